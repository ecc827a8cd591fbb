/**
 * Build-time constants. The script-tag build replaces this module (see rollup.config.mjs) with
 * `SCRIPT_TAG = true`, and terser drops the code it guards: teardown (`stop`), which a page
 * that loads `lb.js` never calls, is kept for the ESM build and the tests only.
 */
export const SCRIPT_TAG: boolean = false;
