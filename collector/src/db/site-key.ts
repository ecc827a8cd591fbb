/** One map key for a row identified within a site (every key of the schema starts with site_id). */
export const siteKey = (siteId: string, id: string) => `${siteId}\u0001${id}`;
