import type { Emit, Listen } from '../events.ts';
import { cleanName, cleanTags, cleanUrl } from '../sanitize.ts';

/** File types that count as downloads even without a `download` or `data-lb-download` attribute. */
const FILE = /\.(pdf|docx?|xlsx?|pptx?|csv|zip|dmg|exe|msi|pkg|apk|epub|mp4)$/i;

/**
 * Records a `download` for clicks on download links (`target=_blank` ones too), tagged with the
 * `data-lb-download` value, and an `action` for clicks on `data-lb-action` elements. It only
 * listens: the click goes on as usual.
 */
export const captureClicks = (listen: Listen, emit: Emit): void => {
  listen('click', (event: MouseEvent) => {
    const target = event.target as Element;
    const link = target.closest?.<HTMLAnchorElement>('a[href]');
    const tag = link?.dataset.lbDownload;
    // a download when following the link fetches a file: attribute, marker or extension
    const href =
      link &&
      (link.hasAttribute('download') || tag != null || FILE.test(link.pathname)) &&
      cleanUrl(link.href);
    // the action of a click on (or inside) an element with `data-lb-action="name"`
    const name = cleanName(target.closest?.<HTMLElement>('[data-lb-action]')?.dataset.lbAction);
    if (href) emit('download', { href, tags: cleanTags(tag) }, true);
    if (name) emit('action', { name }, true);
  });
};
