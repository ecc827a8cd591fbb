const SEPARATOR = '\u0001';

/** One map key for a row identified within a site (every key of the schema starts with site_id). */
export const siteKey = (siteId: string, id: string) => `${siteId}${SEPARATOR}${id}`;

/** The site id and the row's id a `siteKey` was made of. */
export function siteKeyParts(key: string): [siteId: string, id: string] {
  const at = key.indexOf(SEPARATOR);
  return [key.slice(0, at), key.slice(at + 1)];
}
