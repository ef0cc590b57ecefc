import { describe, expect, it } from 'vitest';
import { cleanName, MAX_MARKS } from './names.js';

describe('cleanName', () => {
  it.each([
    ['bidi override', '\u202Eadmin\u202C', 'admin'],
    ['embeddings', '\u202Aa\u202Bb\u202Dc', 'abc'],
    ['isolates', '\u2066x\u2067y\u2068z\u2069', 'xyz'],
    ['LRM, RLM, ALM', '\u200Eس\u200Fل\u061Cمى', 'سلمى'],
    ['zero-width space and word joiner', 'a\u200Bb\u2060c\u2061d\u2064', 'abcd'],
    ['BOM, soft hyphen, Mongolian vowel separator', '\uFEFFab\u00ADc\u180Ed', 'abcd'],
    ['controls', 'a\u0001b\u007Fc\u009Fd', 'abcd'],
    ['tags outside a flag', 'a\u{E0041}\u{E0062}\u{E007F}b', 'ab'],
    ['Hangul fillers', '\u3164\u115Fname\uFFA0', 'name'],
    ['variation selector after a letter', 'a\uFE0Fb', 'ab'],
    ['white space runs', '  أحمد \t\n  علي\u00A0\u3000 ', 'أحمد علي'],
    ['ZWNJ between Latin letters', 'a\u200Cb', 'ab'],
    ['ZWJ between Latin letters', 'a\u200Db', 'ab'],
    ['ZWNJ at the edges', '\u200Cمی\u200C', 'می'],
    ['a mark with no base', '\u0301abc', 'abc'],
  ])('removes %s', (_what, input, expected) => {
    expect(cleanName(input)).toBe(expected);
  });

  it.each([
    ['Persian ZWNJ', 'می\u200Cخواهم'],
    ['a Persian name with ZWNJ', 'علی\u200Cرضا'],
    ['Kurdish ZWNJ', 'بە\u200Cخێر'],
    ['ZWNJ after a vowel mark', 'مِ\u200Cن'],
    ['ZWJ between Arabic letters', 'ک\u200Dی'],
    ['emoji family (ZWJ sequence)', '👨\u200D👩\u200D👧'],
    ['emoji with a skin tone in a ZWJ sequence', '👩🏽\u200D💻'],
    ['emoji presentation selector', '❤\uFE0F'],
    ['a keycap', '1\uFE0F\u20E3'],
    ['a subdivision flag', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'],
    ['Devanagari virama + ZWJ', 'क्\u200Dष'],
    ['Arabic with diacritics', 'مُحَمَّدٌ'],
    ['Latin with accents', 'Zoë Renée'],
  ])('keeps %s', (_what, input) => {
    expect(cleanName(input)).toBe(input.normalize('NFC'));
  });

  it('normalizes to NFC', () => {
    expect(cleanName('e\u0301')).toBe('\u00E9');
  });

  it('caps long runs of combining marks on one base', () => {
    const zalgo = `a${'\u0300\u0301\u0302\u0303'.repeat(50)}b`;
    const cleaned = cleanName(zalgo);
    expect([...cleaned.normalize('NFD')].filter((c) => /\p{M}/u.test(c)).length).toBeLessThanOrEqual(
      MAX_MARKS,
    );
    expect(cleaned.startsWith('a') || cleaned.startsWith('à')).toBe(true);
    expect(cleaned.endsWith('b')).toBe(true);
  });

  it.each([
    ['\u2066\u2067\u2068'],
    ['\u200F\u200E'],
    ['\u200B\u2060'],
    ['\u202E\u202C'],
    [' \u200C\u200D '],
    ['\u0301\u0302'],
  ])('leaves nothing of %j', (input) => {
    expect(cleanName(input)).toBe('');
  });
});
