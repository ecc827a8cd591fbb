import { createLeadbeam, type Leadbeam } from './create-leadbeam.ts';
import { readQueue } from './queue.ts';

/**
 * Entry of the script-tag build (`lb.js`):
 * `<script async src="https://collect.example.com/lb.js" data-site="pk_…"></script>` with
 * optional `data-api`, `data-auto-identify="false"` and `data-consent="required"`.
 * Replays the snippet's queue, then makes `window.leadbeam` the API, where `leadbeam.push([…])`
 * keeps working beside `leadbeam.track(…)`.
 */
const page = window as unknown as { leadbeam?: unknown };
const script = (document.currentScript ??
  document.querySelector('script[data-site]')) as HTMLScriptElement | null;
const config = script?.dataset;

if (config?.site && !(page.leadbeam as Leadbeam | undefined)?.track) {
  const api = createLeadbeam({
    site: config.site,
    api: config.api || new URL(script!.src).origin,
    autoIdentify: config.autoIdentify !== 'false',
    requireConsent: config.consent === 'required',
    queue: readQueue(page.leadbeam),
  });
  page.leadbeam = api;
}
