import { describe, expect, it } from 'vitest';
import { cleanText, cleanToken } from './clean-text.ts';

describe('cleanText, for titles, names and free-text values', () => {
  it.each([
    ['a line break', 'Pricing\nAcme', 'Pricing Acme'],
    ['a CR LF run with a tab', 'Pricing\r\n\tAcme', 'Pricing Acme'],
    ['line and paragraph separators and NEL', 'a\u2028b\u2029c\u0085d', 'a b c d'],
    ['a NUL', 'Pri\u0000cing', 'Pricing'],
    ['an escape sequence', '\u001b[31mred', '[31mred'],
    ['DEL and a C1 control', 'a\u007fb\u009bc', 'abc'],
    ['a control between line breaks', 'a\n\u0001\nb', 'a b'],
    ['a right-to-left override', 'invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['bidi isolates', '\u2066x\u2069', 'x'],
  ])('%s: %j becomes %j', (_what, raw, stored) => {
    expect(cleanText(raw)).toBe(stored);
  });

  it.each(['Pricing – Acme', 'Ünïcödé 日本語 😀', 'שלום\u200fworld', '  spaced  '])(
    'keeps %j as it is',
    (text) => {
      expect(cleanText(text)).toBe(text);
    },
  );
});

describe('cleanToken, for URLs and tags', () => {
  it.each([
    ['a line break', 'https://acme.test/pri\ncing', 'https://acme.test/pricing'],
    [
      'a CR LF header injection',
      'https://acme.test/\r\nSet-Cookie: a=b',
      'https://acme.test/Set-Cookie: a=b',
    ],
    ['a tab and a NUL', 'https://acme.test/\ta\u0000b', 'https://acme.test/ab'],
    ['a C1 control', 'pri\u0085cing', 'pricing'],
    ['a right-to-left override', 'https://acme.test/\u202efdp.exe', 'https://acme.test/fdp.exe'],
  ])('%s: %j becomes %j', (_what, raw, stored) => {
    expect(cleanToken(raw)).toBe(stored);
  });
});
