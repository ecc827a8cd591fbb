/**
 * A slice of a site's lead ids: those `> after` and `<= through` (either end open when null).
 * Ranges, rather than lists of ids, let a page be locked and its events read by index range
 * scans, and let several pages be worked on at once without ever overlapping.
 */
export type LeadRange = { after: string | null; through: string | null };

/**
 * The ranges that split a site's ids at `bounds` (ascending, as the database orders ids; they
 * are never compared here, whose string order may differ from the database's collation). Every
 * id falls in exactly one range, including ids created after the bounds were read: the first
 * range is open below, the last open above.
 */
export function rangesBetween(bounds: readonly string[]): LeadRange[] {
  const ranges: LeadRange[] = [];
  let after: string | null = null;
  for (const through of bounds) {
    ranges.push({ after, through });
    after = through;
  }
  ranges.push({ after, through: null });
  return ranges;
}
