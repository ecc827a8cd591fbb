import { describe, expect, it } from 'vitest';
import { hasUnstorableText } from './storable-text.ts';

describe('text PostgreSQL cannot store in a JSON body', () => {
  it('is found in any string, at any depth, and in keys', () => {
    expect(hasUnstorableText({ stage: 'sal', reason: 'a\u0000b' })).toBe(true);
    expect(hasUnstorableText({ rules: [{ match: { tag: ['ok', '\u0000'] } }] })).toBe(true);
    expect(hasUnstorableText({ 'a\u0000': 1 })).toBe(true);
  });

  it('is any unpaired surrogate, high or low, where a pair is fine', () => {
    expect(hasUnstorableText('\ud800')).toBe(true);
    expect(hasUnstorableText('x\udc00y')).toBe(true);
    expect(hasUnstorableText('\udc00\ud800')).toBe(true);
    expect(hasUnstorableText('emoji 😀 and accents é, tabs\tand newlines\n')).toBe(false);
  });

  it('is looked for without recursion, whatever the nesting or size', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(hasUnstorableText(deep)).toBe(true);
    expect(hasUnstorableText(new Array(500_000).fill('ok'))).toBe(false);
    expect(hasUnstorableText([null, 1, true, { a: [] }])).toBe(false);
  });
});
