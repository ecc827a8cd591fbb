/*
 * Control characters in stored text end up in log lines, CSV exports, webhooks and the dashboard,
 * where they split lines or hide text; PostgreSQL also refuses NUL outright. Bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069) can reverse what a reader sees, as in
 * "Trojan Source". Cleaning instead of refusing keeps formerly valid events valid.
 */

// \p{Cc} is exactly the C0 controls, DEL and the C1 controls.
const CONTROLS_AND_BIDI = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
const OTHER_CONTROLS_AND_BIDI = /(?![\t\n\v\f\r\u0085])\p{Cc}|[\u202a-\u202e\u2066-\u2069]/gu;
const LINE_BREAK_RUNS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * For URLs, tags and other single tokens: controls and bidi formatting removed outright, as a
 * browser's serialized URL never holds them raw (WHATWG URL parsing drops tabs and newlines too).
 */
export function cleanToken(value: string): string {
  return value.replace(CONTROLS_AND_BIDI, '');
}

/**
 * For titles, names and free-text values: each run of tabs and line breaks becomes one space, so
 * words stay apart; other controls and bidi formatting are removed.
 */
export function cleanText(value: string): string {
  return value.replace(OTHER_CONTROLS_AND_BIDI, '').replace(LINE_BREAK_RUNS, ' ');
}
