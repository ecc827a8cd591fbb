import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEmail, EMAIL_PROBLEMS, emailDomain, normalizeEmail } from './email-address.ts';
import { LIMITS } from './limits.ts';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jane.Doe@Acme.TEST \n')).toBe('jane.doe@acme.test');
  });

  it.each(['jane@acme.test', 'jane.doe+leads@mail.acme.co.uk', 'o_brien-1@acme-pipelines.io', 'a@b.co'])(
    'accepts %j',
    (email) => {
      expect(normalizeEmail(email)).toBe(email);
    },
  );

  it.each([
    '',
    '   ',
    'jane',
    'jane@',
    '@acme.test',
    'jane@acme',
    'jane@@acme.test',
    'jane doe@acme.test',
    'jane\u00a0doe@acme.test',
    'jane@acme..test',
    'jane@-acme.test',
    'jane@acme-.test',
    'jane@acme.test.',
    '"jane"@acme.test',
    '<jane@acme.test>',
    'jane@acme.test, bob@acme.test',
    'jane\u0000@acme.test',
    'jane@ac_me.test',
    'jane@acme\u3002test',
  ])('refuses %j', (email) => {
    expect(normalizeEmail(email)).toBeNull();
  });

  it(`refuses addresses longer than ${LIMITS.maxEmailLength} characters`, () => {
    const domain = '@acme.test';
    const fits = `${'j'.repeat(LIMITS.maxEmailLength - domain.length)}${domain}`;
    expect(normalizeEmail(fits)).toBe(fits);
    expect(normalizeEmail(`j${fits}`)).toBeNull();
  });

  it('measures the length after trimming', () => {
    const domain = '@acme.test';
    const fits = `${'j'.repeat(LIMITS.maxEmailLength - domain.length)}${domain}`;
    expect(normalizeEmail(`  ${fits}  `)).toBe(fits);
  });
});

describe('one person is one lead: spellings that fold to the same address', () => {
  it.each([
    ['fullwidth letters and @', 'ｊａｎｅ＠ａｃｍｅ.test'],
    ['a fullwidth full stop in the domain', 'jane@acme．test'],
    ['the small commercial at', 'jane﹫acme.test'],
    ['mathematical bold letters', '𝐣𝐚𝐧𝐞@acme.test'],
    ['upper case', 'JANE@ACME.TEST'],
    ['no-break and ideographic spaces around it', '\u00a0jane@acme.test\u3000'],
    ['a tab before and a line feed after', '\tjane@acme.test\n'],
  ])('%s: %j is jane@acme.test', (_what, raw) => {
    expect(normalizeEmail(raw)).toBe('jane@acme.test');
  });

  it('folds a one dot leader into the full stop it looks like', () => {
    expect(normalizeEmail('jane\u2024doe@acme.test')).toBe('jane.doe@acme.test');
  });

  it('writes an internationalized domain as punycode, so both spellings are one lead', () => {
    expect(normalizeEmail('иван@пример.рф')).toBe('иван@xn--e1afmkfd.xn--p1ai');
    expect(normalizeEmail('иван@xn--e1afmkfd.xn--p1ai')).toBe('иван@xn--e1afmkfd.xn--p1ai');
    expect(normalizeEmail('Jane@Bücher.de')).toBe('jane@xn--bcher-kva.de');
  });

  it('is stable: a normalized address normalizes to itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.emailAddress(),
          fc.string({ unit: 'binary', maxLength: 30 }).map((local) => `${local}@acme.test`),
          fc.string({ unit: 'grapheme', maxLength: 30 }).map((local) => `${local}@Bücher.de`),
        ),
        (raw) => {
          const once = normalizeEmail(raw);
          if (once !== null) expect(normalizeEmail(once)).toBe(once);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('lookalike addresses are refused, and the refusal says why', () => {
  it.each([
    ['a zero-width space', 'jane\u200b@acme.test'],
    ['a zero-width non-joiner', 'ja\u200cne@acme.test'],
    ['a zero-width joiner', 'ja\u200dne@acme.test'],
    ['a word joiner', 'ja\u2060ne@acme.test'],
    ['a byte order mark inside', 'ja\ufeffne@acme.test'],
    ['a leading byte order mark', '\ufeffjane@acme.test'],
    ['a soft hyphen', 'ja\u00adne@acme.test'],
    ['a left-to-right mark', 'jane\u200e@acme.test'],
    ['a right-to-left mark', 'jane\u200f@acme.test'],
    ['a left-to-right embedding', '\u202ajane@acme.test'],
    ['a right-to-left embedding', '\u202bjane@acme.test'],
    ['a pop directional formatting', 'jane\u202c@acme.test'],
    ['a left-to-right override', '\u202djane@acme.test'],
    ['a right-to-left override', '\u202etset.emca@enaj'],
    ['a left-to-right isolate', '\u2066jane@acme.test'],
    ['a right-to-left isolate', '\u2067jane@acme.test'],
    ['a first strong isolate', '\u2068jane@acme.test'],
    ['a pop directional isolate', 'jane\u2069@acme.test'],
    ['a Mongolian vowel separator', 'ja\u180ene@acme.test'],
    ['a Hangul filler', 'jane\u3164@acme.test'],
    ['a combining grapheme joiner', 'ja\u034fne@acme.test'],
    ['a variation selector', 'jane\ufe0f@acme.test'],
    ['a tag character', 'jane\u{e0061}@acme.test'],
    ['a private-use character', 'jane\ue000@acme.test'],
    ['an unassigned code point', 'jane\u0378@acme.test'],
    ['a lone surrogate', 'jane\ud800@acme.test'],
    ['a zero-width space in the domain', 'jane@ac\u200bme.test'],
    ['a NUL', 'jane\u0000@acme.test'],
    ['a DEL', 'jane\u007f@acme.test'],
    ['a C1 control', 'jane\u009b@acme.test'],
  ])('%s: %j', (_what, raw) => {
    expect(checkEmail(raw)).toEqual({ ok: false, problem: 'invisible', message: EMAIL_PROBLEMS.invisible });
  });

  it.each([
    ['a Cyrillic а in a Latin name', 'j\u0430ne@acme.test'],
    ['a Cyrillic е in a Latin name', 'jan\u0435@acme.test'],
    ['a Cyrillic о in a Latin name', 'j\u043ehn@acme.test'],
    ['a Greek ο in a Latin name', 'j\u03bfhn@acme.test'],
    ['a Greek ν in a Latin name', 'ja\u03bde@acme.test'],
    ['an Armenian օ in a Latin name', 'j\u0585hn@acme.test'],
    ['a Cherokee Ꭼ in a Latin name', '\u13acve@acme.test'],
    ['a Latin a in a Cyrillic name', 'ив\u0061н@acme.test'],
    ['a Greek α in a Cyrillic name', 'ив\u03b1н@acme.test'],
    ['a combining dot above on a Latin letter', 'j\u0307ane@acme.test'],
    ['a modifier apostrophe (no script of its own)', 'o\u02bcbrien@acme.test'],
  ])('%s: %j', (_what, raw) => {
    expect(checkEmail(raw)).toMatchObject({ ok: false, problem: 'mixed-scripts' });
  });

  it.each([
    ['a Unicode hyphen', 'jane\u2010doe@acme.test'],
    ['a non-breaking hyphen', 'jane\u2011doe@acme.test'],
    ['an emoji', 'jane\u{1f600}@acme.test'],
    ['an Arabic-Indic digit', 'jane\u0663@acme.test'],
    ['a Devanagari danda, which reads as |', '\u0930\u093e\u092e\u0964@acme.test'],
  ])('%s: %j', (_what, raw) => {
    expect(checkEmail(raw)).toMatchObject({ ok: false, problem: 'symbols' });
  });

  it('names each reason in words', () => {
    expect(EMAIL_PROBLEMS.invisible).toMatch(/invisible/);
    expect(EMAIL_PROBLEMS['mixed-scripts']).toBe('must not mix scripts in the part before @');
  });
});

describe('addresses in one script are accepted', () => {
  it.each([
    ['Latin with diacritics', 'José.Müller@acme.test', 'josé.müller@acme.test'],
    ['Cyrillic with ASCII digits and punctuation', 'Иван.Петров-2@acme.test', 'иван.петров-2@acme.test'],
    ['Greek', 'δοκιμή@acme.test', 'δοκιμή@acme.test'],
    ['Devanagari with its combining vowel signs', 'राम@acme.test', 'राम@acme.test'],
    ['Han', '山田太郎@acme.test', '山田太郎@acme.test'],
    [
      'Japanese mixing Han, Hiragana and Katakana',
      '山田たろうユーザー@acme.test',
      '山田たろうユーザー@acme.test',
    ],
    ['Korean mixing Hangul and Han', '김民준@acme.test', '김民준@acme.test'],
  ])('%s: %j', (_what, raw, normalized) => {
    expect(normalizeEmail(raw)).toBe(normalized);
  });

  it('does not catch a lookalike inside one script: Latin ı beside i makes another lead', () => {
    expect(normalizeEmail('j\u0131ll@acme.test')).toBe('j\u0131ll@acme.test');
  });
});

describe('emailDomain', () => {
  it('returns the part after the last @', () => {
    expect(emailDomain('jane@acme.test')).toBe('acme.test');
    expect(emailDomain('ops@eu.mail.acme.test')).toBe('eu.mail.acme.test');
  });
});
