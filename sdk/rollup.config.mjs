import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

/** TypeScript for the browser: tests stay out, types are erased, nothing else is emitted. */
const compile = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.test.ts'],
    compilerOptions: {
      noEmit: false,
      rewriteRelativeImportExtensions: true,
      declaration: false,
      target: 'ES2020',
      sourceMap: false,
    },
  });

/**
 * Private property names of the SDK (never on the wire, in storage, in `data-*` or in the public
 * API) that the script-tag build may shorten. `built-bundle.test.ts` runs the result.
 */
const privateProps = /^(reached|shown|memory|requireConsent|autoCapture|queue)$/;

/** Build-time constant: `SCRIPT_TAG = true` in lb.js, so terser drops what only the ESM build needs. */
const scriptTagFlag = {
  name: 'script-tag-flag',
  load: (id) => (id.endsWith('/build-flags.ts') ? 'export const SCRIPT_TAG = true;' : null),
};

const minify = () =>
  terser({
    ecma: 2020,
    toplevel: true,
    compress: {
      passes: 3,
      inline: 1, // measured: smaller gzip than inlining every one-use function
      pure_getters: true,
      unsafe: true,
      unsafe_arrows: true,
      // no unsafe_comps: it assumes no NaN and turned `ms >= 0 ? … : ms < 0 ? 0 : undefined` into
      // `0 > ms ? … : Math.min(ms, …)`, so an HTTP-date Retry-After became NaN (no wait at all).
      unsafe_math: true,
      unsafe_methods: true,
      unsafe_regexp: true,
      unsafe_undefined: true,
      booleans_as_integers: true,
      drop_console: true,
    },
    // builtins: also shorten listed names that happen to be DOM property names (`queue`)
    mangle: { properties: { regex: privateProps, builtins: true } },
    format: { comments: false, wrap_func_args: false },
  });

export default [
  {
    input: 'src/script-tag.ts',
    output: { file: 'dist/lb.js', format: 'iife', strict: false },
    plugins: [scriptTagFlag, compile(), minify()],
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.mjs', format: 'es' },
    plugins: [compile()],
  },
];
