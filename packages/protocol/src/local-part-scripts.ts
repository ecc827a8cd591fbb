import { SCRIPT_CODES } from './script-codes.ts';

/*
 * Lookalike addresses (`jаne` with a Cyrillic а, `jane‐doe` with U+2010) read exactly like a real
 * lead's address, so the part before @ must come from one writing system: ASCII with Latin letters,
 * or the letters and marks of one other script with ASCII digits and punctuation. Lookalikes
 * inside one script (Latin ı beside i) or of a whole script (Cyrillic ѕаӏеѕ for sales) are not caught:
 * that needs Unicode's confusables data.
 */

export type LocalPartProblem = 'symbols' | 'mixed-scripts';

/** `ownsLetter` matches one letter or mark of the system, `spans` a whole part before @ written in it. */
type WritingSystem = { ownsLetter: RegExp; spans: RegExp };

/** Scripts that real writing mixes: Japanese, Korean and Chinese with Bopomofo (UTS #39's "highly restrictive"). */
const SCRIPT_GROUPS = [
  ['Hani', 'Hira', 'Kana'],
  ['Hani', 'Hang'],
  ['Hani', 'Bopo'],
];

// Latin takes no combining marks: one that NFKC leaves uncomposed hides on a letter (j + U+0307 reads as j).
const LATIN: WritingSystem = {
  ownsLetter: /^(?=\p{L})\p{sc=Latn}$/u,
  spans: /^(?:[\x21-\x7e]|(?=\p{L})\p{sc=Latn})+$/u,
};

function otherScript(codes: string[]): WritingSystem {
  const letters = codes.map((code) => `\\p{scx=${code}}`).join('');
  return {
    ownsLetter: new RegExp(`^(?=[\\p{L}\\p{M}])[${letters}]$`, 'u'),
    spans: new RegExp(
      `^(?:[\\x21-\\x40\\x5b-\\x60\\x7b-\\x7e]|(?=[\\p{L}\\p{M}])[${letters}\\p{sc=Zinh}])+$`,
      'u',
    ),
  };
}

const WRITING_SYSTEMS: WritingSystem[] = [
  LATIN,
  ...SCRIPT_CODES.filter((code) => code !== 'Latn').map((code) => otherScript([code])),
  ...SCRIPT_GROUPS.map(otherScript),
];

const ASCII_ONLY = /^[\x21-\x7e]*$/;
const NON_ASCII_SYMBOL = /(?=\P{ASCII})[^\p{L}\p{M}]/u;
const FIRST_SCRIPT_LETTER = /(?=\P{ASCII})\P{sc=Zinh}/u;

/**
 * Why a lower-cased, NFKC-folded part before @ may not identify a lead: `symbols` for non-ASCII
 * digits, punctuation or symbols, `mixed-scripts` when no one writing system spans it. Null if fine.
 */
export function localPartProblem(local: string): LocalPartProblem | null {
  if (ASCII_ONLY.test(local)) return null;
  if (NON_ASCII_SYMBOL.test(local)) return 'symbols';
  const first = FIRST_SCRIPT_LETTER.exec(local)?.[0];
  if (first === undefined) return 'mixed-scripts';
  const fits = WRITING_SYSTEMS.some((system) => system.ownsLetter.test(first) && system.spans.test(local));
  return fits ? null : 'mixed-scripts';
}
