/**
 * Cleans a display name (a commenter's, or a moderator's) the way RFC 8264 (PRECIS)
 * and UTS #39 advise, in a practical subset:
 *
 * - NFC (the result is NFC; marks are counted on the decomposed form);
 * - removed: bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), the
 *   marks LRM, RLM and ALM (U+200E, U+200F, U+061C), every other format character
 *   (general category Cf: U+200B, U+2060–2064, U+FEFF, U+00AD, U+180E…), the invisible
 *   fillers (U+034F, U+115F, U+1160, U+3164, U+FFA0), control characters, and tag
 *   characters (U+E0000–E007F) except a flag's tag sequence after 🏴 (U+1F3F4);
 * - variation selectors are kept only right after an emoji (a character with the
 *   Emoji property, or a skin-tone modifier);
 * - ZWNJ (U+200C) is kept only between two letters of a joining script (Arabic,
 *   Syriac, N'Ko, Mongolian…: the Persian «می‌خواهم», the Kurdish and Urdu names), or
 *   after a virama; ZWJ (U+200D) only inside an emoji sequence (👨‍👩‍👧), between two
 *   joining-script letters, or after a virama. PRECIS's CONTEXTJ rule (RFC 5892
 *   Appendix A.1–A.2) asks for a virama or for Joining_Type values JavaScript cannot
 *   read; "a letter of a joining script on both sides" is the rule used here;
 * - a combining mark with no base is removed, and a base keeps at most
 *   {@link MAX_MARKS} marks (enough for Arabic's shadda + vowel + more, not for "Zalgo");
 * - every run of white space becomes one space; the ends are trimmed.
 *
 * The result may be empty: the caller refuses such a name.
 *
 * @example
 * cleanName('\u202Eadmin\u202C') // → 'admin'
 * cleanName('می\u200Cخواهم') // → 'می\u200Cخواهم' (ZWNJ kept)
 * cleanName('a\u200Cb') // → 'ab'
 */
export function cleanName(name: string): string {
  // Decomposed while cleaning, so the mark cap counts é's accent too; composed at the end.
  const chars = [...name.normalize('NFD')];
  const out: string[] = [];
  let marks = 0;
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const previous = out.at(-1);
    if (WHITE_SPACE.test(char)) {
      if (previous !== undefined && previous !== ' ') out.push(' ');
      marks = 0;
      continue;
    }
    if (char === ZWNJ || char === ZWJ) {
      if (keepJoiner(char, out, chars[i + 1])) out.push(char);
      continue;
    }
    if (VARIATION_SELECTOR.test(char)) {
      if (previous !== undefined && EMOJI_BASE.test(previous)) out.push(char);
      continue;
    }
    if (TAG.test(char)) {
      if (inFlagTags(out)) out.push(char);
      continue;
    }
    if (REMOVED.test(char)) continue;
    if (MARK.test(char)) {
      // A mark needs a base (not a space, not a joiner), and a base takes only a few.
      if (previous === undefined || previous === ' ' || previous === ZWNJ || previous === ZWJ) continue;
      if (marks >= MAX_MARKS) continue;
      marks += 1;
      out.push(char);
      continue;
    }
    marks = 0;
    out.push(char);
  }
  // A joiner left at the end (its follower removed) has nothing to join.
  while (out.length > 0 && (out.at(-1) === ' ' || out.at(-1) === ZWJ || out.at(-1) === ZWNJ)) out.pop();
  return out.join('').normalize('NFC');
}

/** Combining marks one base character may carry in a name. */
export const MAX_MARKS = 4;

const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const WHITE_SPACE = /^\p{White_Space}$/u; // not JavaScript's \s, which counts U+FEFF
const VARIATION_SELECTOR = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u;
const EMOJI_BASE = /^(?:\p{Emoji}|[\u{1F3FB}-\u{1F3FF}])$/u;
const TAG = /^[\u{E0000}-\u{E007F}]$/u;
// Format characters (ZWJ/ZWNJ, variation selectors and tags are decided above), controls,
// unpaired surrogates, noncharacters, and the fillers that draw nothing.
const REMOVED = /^(?:[\p{Cf}\p{Cc}\p{Cs}\uFFFE\uFFFF\u115F\u1160\u3164\uFFA0\u2800]|\u034F)$/u;
const MARK = /^\p{M}$/u;
const LETTER = /^\p{L}$/u;
const JOINING_SCRIPT =
  /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Sogdian}\p{Script=Phags_Pa}]$/u;
// The viramas of the main Brahmic scripts (Canonical_Combining_Class 9), for PRECIS's first rule.
const VIRAMA =
  /^[\u094D\u09CD\u0A4D\u0ACD\u0B4D\u0BCD\u0C4D\u0CCD\u0D3B\u0D3C\u0D4D\u0DCA\u0E3A\u0F84\u1039\u103A\u1714\u1734\u17D2\u1A60\u1B44\u1BAA\u1BAB\uA806\uA8C4\uA953\uA9C0\uAAF6\uABED]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/** The last letter before the joiner, skipping the marks that sit on it. */
function letterBefore(out: readonly string[]): string | undefined {
  for (let i = out.length - 1; i >= 0; i--) {
    const char = out[i] as string;
    if (MARK.test(char)) continue;
    return char;
  }
  return undefined;
}

function keepJoiner(joiner: string, out: readonly string[], next: string | undefined): boolean {
  const previous = out.at(-1);
  if (previous === undefined || next === undefined) return false;
  if (VIRAMA.test(previous)) return true;
  const before = letterBefore(out);
  const joining = (char: string | undefined) =>
    char !== undefined && LETTER.test(char) && JOINING_SCRIPT.test(char);
  if (joining(before) && joining(next)) return true;
  if (joiner === ZWNJ) return false;
  // Emoji ZWJ sequence: a pictograph (maybe with U+FE0F or a skin tone) on the left, one on the right.
  let i = out.length - 1;
  while (i > 0 && /^[\uFE0F\u{1F3FB}-\u{1F3FF}]$/u.test(out[i] as string)) i--;
  return PICTOGRAPH.test(out[i] as string) && PICTOGRAPH.test(next);
}

/** Inside 🏴 + tag letters: the subdivision flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿) are the one use of tag characters. */
function inFlagTags(out: readonly string[]): boolean {
  for (let i = out.length - 1; i >= 0; i--) {
    const char = out[i] as string;
    if (char === '\u{1F3F4}') return true;
    if (!/^[\u{E0020}-\u{E007E}]$/u.test(char)) return false;
  }
  return false;
}
