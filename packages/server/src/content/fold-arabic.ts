/**
 * Folds text for the admin search and the word lists, so that the spellings a
 * reader types interchangeably compare equal:
 *
 * - NFKC first: Arabic presentation forms (ﻻ, ﺃ…) and full-width Latin become plain letters;
 * - Arabic diacritics (U+064B–U+065F), the superscript alef (U+0670) and the
 *   Quranic annotation marks (U+06D6–U+06ED) are removed, and so is tatweel (U+0640);
 * - alef forms أ إ آ ٱ → ا; yeh forms ى ئ (and the Persian ی) → ي; ؤ → و; ة → ه;
 *   the Persian keheh ک → ك (the choices of Lucene's Arabic normalizer, plus the
 *   hamza seats, which writers drop or add freely);
 * - Arabic-Indic and Persian digits → 0–9;
 * - lower case; zero-width and bidi controls removed; runs of white space → one space.
 *
 * So «مُحَمَّدٌ» folds to «محمد», «أحمد» to «احمد», «على» and «علي» to «علي».
 * Folding loses information on purpose: use it only for matching, never for display.
 *
 * @example
 * foldArabic('أَحْمَـــد') // → 'احمد'
 * foldArabic('Hello  WORLD') // → 'hello world'
 */
export function foldArabic(text: string): string {
  return text
    .normalize('NFKC')
    .replace(MARKS, '')
    .replace(LETTERS, (letter) => LETTER_MAP[letter] ?? letter)
    .replace(DIGITS, (digit) => String((digit.codePointAt(0) as number) & 0xf))
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

// Diacritics, superscript alef, Quranic marks, tatweel; zero-width and bidi controls.
const MARKS = /[\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
const LETTER_MAP: Record<string, string> = {
  '\u0623': '\u0627', // أ
  '\u0625': '\u0627', // إ
  '\u0622': '\u0627', // آ
  '\u0671': '\u0627', // ٱ
  '\u0649': '\u064A', // ى
  '\u0626': '\u064A', // ئ
  '\u06CC': '\u064A', // ی
  '\u0624': '\u0648', // ؤ
  '\u0629': '\u0647', // ة
  '\u06A9': '\u0643', // ک
};
const LETTERS = /[\u0623\u0625\u0622\u0671\u0649\u0626\u06CC\u0624\u0629\u06A9]/gu;
// ٠–٩ (U+0660–0669) and ۰–۹ (U+06F0–06F9): the low nibble is the digit.
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/gu;

/**
 * What the admin search matches a comment against: its folded text and author
 * name. Never the email address.
 *
 * @example
 * searchText('**مرحباً**', 'أحمد') // → '**مرحبا**\nاحمد'
 */
export function searchText(bodyMarkdown: string, authorName: string): string {
  return `${foldArabic(bodyMarkdown)}\n${foldArabic(authorName)}`;
}
