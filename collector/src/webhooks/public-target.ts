import { classifyAddress, parseIpAddress } from './address-class.ts';

/** A webhook target the collector will not call: a retry would be refused the same way. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  constructor(reason: string) {
    super(`refused: ${reason}`);
  }
}

/** A refusal that only applies because the collector keeps webhooks off private networks. */
export const privateTargetRefused = (reason: string) =>
  new TargetRefusedError(`${reason} (set LEADBEAM_WEBHOOK_PRIVATE_TARGETS=true to allow)`);

/** Names that never lead to the public internet, whatever DNS says. */
const LOCAL_NAME = /(?:^|\.)(?:localhost|local|internal|home\.arpa)$/;

/**
 * Why a URL's host cannot be a public target, decided without DNS: an IP literal (which the URL
 * parser has already normalised from `2130706433`, `0x7f.1`, `127.1` …) that is not public, or a
 * local name. Null when only the DNS answers can tell, which are checked when connecting.
 */
export function localTargetReason(url: URL): string | null {
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (parseIpAddress(host)) {
    const verdict = classifyAddress(host);
    return verdict.public ? null : `the address is ${verdict.reason}`;
  }
  if (LOCAL_NAME.test(host)) return 'the host name is local (localhost, *.local, *.internal, *.home.arpa)';
  if (!host.includes('.')) return 'the host name is a single label, resolved against local search domains';
  return null;
}

/** Throws when the URL's host is refused before any DNS lookup (see `localTargetReason`). */
export function assertNotLocalTarget(url: URL): void {
  const reason = localTargetReason(url);
  if (reason) throw privateTargetRefused(reason);
}
