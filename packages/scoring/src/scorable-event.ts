import type { EventType, Utm, WireEvent } from '@leadbeam/protocol';

/**
 * The part of an event that scoring looks at. `ts` is the corrected event time in ms since the
 * epoch (the collector's, not the browser's). Build it with `toScorableEvent`, or by hand from
 * stored rows (then `path` and `extension` may be left out: they are derived from `url`/`href`).
 */
export type ScorableEvent = {
  type: EventType;
  ts: number;
  url?: string | undefined;
  /** Page path, e.g. `/pricing`; derived from `url` when absent. */
  path?: string | undefined;
  tags?: readonly string[] | undefined;
  form?: string | undefined;
  step?: number | undefined;
  stepName?: string | undefined;
  conversion?: string | undefined;
  /** Action or track event name. */
  name?: string | undefined;
  /** Download target. */
  href?: string | undefined;
  /** Lower-case file extension of `href` without the dot; derived from `href` when absent. */
  extension?: string | undefined;
  utm?:
    | { source?: string | undefined; medium?: string | undefined; campaign?: string | undefined }
    | undefined;
};

/** The path of an absolute URL (`/` when it has none), without query or fragment. No URL parsing. */
export function pathOfUrl(url: string): string {
  const scheme = url.indexOf('://');
  const hostStart = scheme === -1 ? 0 : scheme + 3;
  let end = url.length;
  const query = url.indexOf('?', hostStart);
  if (query !== -1) end = query;
  const hash = url.indexOf('#', hostStart);
  if (hash !== -1 && hash < end) end = hash;
  const slash = url.indexOf('/', hostStart);
  return slash === -1 || slash >= end ? '/' : url.slice(slash, end);
}

/** The lower-case extension of the file a URL points at (`pdf`), or undefined. */
export function extensionOfUrl(url: string): string | undefined {
  const path = pathOfUrl(url);
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return undefined;
  const extension = path.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(extension) ? extension : undefined;
}

/** Maps a validated wire event to what scoring needs; `ts` is the corrected time, `utm` the session's. */
export function toScorableEvent(event: WireEvent, ts: number, utm?: Utm): ScorableEvent {
  const scorable: ScorableEvent = { type: event.type, ts };
  if (event.url !== undefined) {
    scorable.url = event.url;
    scorable.path = pathOfUrl(event.url);
  }
  if (utm) scorable.utm = utm;
  switch (event.type) {
    case 'page_view':
      if (event.tags) scorable.tags = event.tags;
      break;
    case 'download':
      if (event.tags) scorable.tags = event.tags;
      scorable.href = event.href;
      scorable.extension = extensionOfUrl(event.href);
      break;
    case 'form_step':
      scorable.form = event.form;
      scorable.step = event.step;
      if (event.stepName !== undefined) scorable.stepName = event.stepName;
      break;
    case 'form_submit':
      scorable.form = event.form;
      break;
    case 'thank_you':
      scorable.conversion = event.conversion;
      break;
    case 'action':
    case 'track':
      scorable.name = event.name;
      break;
    case 'identify':
      break;
  }
  return scorable;
}
