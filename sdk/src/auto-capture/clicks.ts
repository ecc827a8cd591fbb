import type { Emit, Listen } from '../events.ts';
import { cleanTags, cleanUrl } from '../sanitize.ts';
import { readAction } from './actions.ts';

/** File types that count as downloads even without a `download` or `data-lb-download` attribute. */
const FILE = /\.(pdf|docx?|xlsx?|pptx?|csv|zip|dmg|exe|msi|pkg|apk|epub|mp4)$/i;

/** True when following the link fetches a file (attribute, marker or extension). */
export const isDownload = (link: HTMLAnchorElement): boolean =>
  link.hasAttribute('download') || link.dataset.lbDownload != null || FILE.test(link.pathname);

/**
 * Records a `download` for clicks on download links (`target=_blank` ones too), tagged with the
 * `data-lb-download` value, and an `action` for clicks on `data-lb-action` elements. It only
 * listens: the click goes on as usual.
 */
export const captureClicks = (listen: Listen, emit: Emit): void => {
  listen(document, 'click', (event: MouseEvent) => {
    const target = event.target as Element;
    const link = target.closest?.<HTMLAnchorElement>('a[href]');
    const href = link && isDownload(link) && cleanUrl(link.href);
    const name = readAction(target);
    if (href) emit('download', { href, tags: cleanTags(link.dataset.lbDownload) }, true);
    if (name) emit('action', { name }, true);
  });
};
