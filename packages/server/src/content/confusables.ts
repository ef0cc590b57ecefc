import { foldArabic } from './fold-arabic.js';
import { cleanName } from './names.js';

/**
 * A UTS #39 "skeleton" of a name, for telling whether two names look alike:
 * «аdmin» with a Cyrillic а, «ADMIN», «𝐚𝐝𝐦𝐢𝐧», «a.d.m.i.n» and «ädmin» all have the
 * skeleton of "admin"; «مُدير», «مـدير» and «مدیر» (Persian yeh) that of «مدير».
 *
 * UTS #39 maps each character through confusables.txt between two NFDs. This is a
 * practical subset, stricter in some ways:
 * 1. the name is cleaned (see cleanName), then NFKC (mathematical and full-width
 *    letters, ligatures) and Arabic folding (foldArabic: diacritics and tatweel out,
 *    alef, yeh, waw-hamza, teh marbuta and keheh forms unified, Arabic-Indic digits),
 *    which also lower-cases, so case does not tell names apart;
 * 2. NFD, and every combining mark is dropped (accents do not tell names apart);
 * 3. each character goes through {@link CONFUSABLE} (below);
 * 4. everything but letters and digits is dropped (spaces, dots, dashes, symbols).
 *
 * @example
 * skeleton('Аdmin') === skeleton('admin') // → true (Cyrillic А)
 * skeleton('المُـدير') === skeleton('المدير') // → true
 */
export function skeleton(name: string): string {
  const folded = foldArabic(cleanName(name).normalize('NFKC')).normalize('NFD').replace(/\p{M}/gu, '');
  let out = '';
  for (const char of folded) out += CONFUSABLE[char] ?? char;
  return out.replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Characters that look like another, for the reserved words and Arabic names. The
 * Latin, Cyrillic, Greek, digit and symbol rows follow Unicode's confusables.txt
 * (UTS #39, https://www.unicode.org/Public/security/latest/confusables.txt): its
 * targets for the letters of "admin", "administrator", "moderator", "mod" and
 * "hiwar", and for the look-alikes of lower case a–z that matter for them (its
 * "m → rn", "1, I, | → l", "0 → o", Arabic alef → l and Arabic-Indic five → o
 * included, so the targets here are its targets). The Arabic rows are letter
 * variants of other Arabic-script languages that read as the Arabic letter
 * (Kurdish, Urdu, Uyghur, Pashto forms of heh, waw, yeh, dal, reh, noon, kaf);
 * alef, yeh, teh marbuta and keheh are already unified by foldArabic.
 * Upper-case forms are absent: the skeleton is lower-cased before the table is read.
 */
const CONFUSABLE: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  ԁ: 'd',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ӏ: 'l',
  ј: 'j',
  к: 'k',
  м: 'rn',
  н: 'h',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  г: 'r',
  ѕ: 's',
  т: 't',
  ц: 'u',
  ս: 'u',
  ѵ: 'v',
  ԝ: 'w',
  ѡ: 'w',
  х: 'x',
  у: 'y',
  // Greek
  α: 'a',
  δ: 'd',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  ω: 'w',
  χ: 'x',
  γ: 'y',
  // Latin look-alikes, digits and symbols
  m: 'rn',
  ı: 'i',
  ɩ: 'i',
  ɑ: 'a',
  ɗ: 'd',
  ɡ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴍ: 'rn',
  ɴ: 'n',
  ᴏ: 'o',
  ʀ: 'r',
  ᴅ: 'd',
  ᴀ: 'a',
  '1': 'l',
  '|': 'l',
  ǀ: 'l',
  '0': 'o',
  '@': 'a',
  // Arabic: alef and Arabic-Indic digits as confusables.txt maps them (foldArabic turned ٥ into 5).
  ا: 'l',
  '5': 'o',
  ۀ: 'ه',
  ە: 'ه',
  ھ: 'ه',
  ہ: 'ه',
  ۃ: 'ه',
  ۆ: 'و',
  ۇ: 'و',
  ۈ: 'و',
  ۉ: 'و',
  ۋ: 'و',
  ۏ: 'و',
  ې: 'ي',
  ۍ: 'ي',
  ێ: 'ي',
  ڈ: 'د',
  ډ: 'د',
  ڊ: 'د',
  ڑ: 'ر',
  ړ: 'ر',
  ڕ: 'ر',
  ں: 'ن',
  ڪ: 'ك',
  ګ: 'ك',
  ڡ: 'ف',
  ٯ: 'ق',
};
