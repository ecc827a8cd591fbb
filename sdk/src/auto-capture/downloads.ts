import type { Emit, Listen } from '../events.ts';
import { cleanTags, cleanUrl } from '../sanitize.ts';

/** File types that count as downloads even without a `download` or `data-lb-download` attribute. */
const FILE =
  /\.(pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|txt|csv|key|pages|numbers|zip|rar|7z|gz|tgz|dmg|exe|msi|pkg|apk|epub|mp[34]|mov|avi|wav)$/i;

/** True when following the link fetches a file (attribute, marker or extension). */
export function isDownload(link: HTMLAnchorElement): boolean {
  return link.hasAttribute('download') || link.hasAttribute('data-lb-download') || FILE.test(link.pathname);
}

/**
 * Records a `download` for clicks (and middle-clicks) on download links, tagged with the
 * comma-separated `data-lb-download` value. It only listens: the click goes on as usual.
 */
export function captureDownloads(listen: Listen, emit: Emit): void {
  const onClick = (event: MouseEvent) => {
    const link = (event.target as Element).closest?.<HTMLAnchorElement>('a[href]');
    const href = link && event.button < 2 && isDownload(link) && cleanUrl(link.href);
    if (href) emit('download', { href, tags: cleanTags(link.getAttribute('data-lb-download')) }, true);
  };
  listen(document, 'click', onClick);
  listen(document, 'auxclick', onClick);
}
