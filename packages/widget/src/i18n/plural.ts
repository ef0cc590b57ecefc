/**
 * CLDR plural forms of one message. `zero`…`many` are the categories
 * `Intl.PluralRules` returns (Arabic uses all six, English `one` and `other`);
 * `none` is for exactly 0 in every language ("No comments"). A form may leave the
 * number out: «تعليقان» says "two comments" on its own. `{n}` is replaced by the
 * number, written with the digits the widget was told to use.
 */
export interface PluralForms {
  none?: string;
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/** The digits numbers are written with: Western (`latn`, 0-9) or Arabic-Indic (`arab`, ٠-٩). */
export type Digits = 'latn' | 'arab';

/**
 * Picks the plural form of `n` for `lang` and fills in the number.
 *
 * @example
 * plural(COUNT_FORMS.ar, 11, 'ar', 'latn') // → '11 تعليقًا'
 */
export function plural(forms: PluralForms, n: number, lang: string, digits: Digits): string {
  const category = new Intl.PluralRules(lang).select(n) as keyof PluralForms;
  const form = (n === 0 && forms.none) || forms[category] || forms.other;
  return form.replace('{n}', new Intl.NumberFormat(lang, { numberingSystem: digits }).format(n));
}
