import { COUNT_FORMS } from './counts.js';
import type { Messages } from './messages.js';
import { type Digits, plural } from './plural.js';

export type Lang = 'ar' | 'en';

/**
 * The message table of one language, from a chunk of its own: a reader downloads
 * only the language the widget speaks.
 */
export const loadMessages = (lang: Lang): Promise<Messages> =>
  lang === 'en' ? import('./en.js').then((m) => m.en) : import('./ar.js').then((m) => m.ar);

/** What the widget's components need to speak one language. */
export interface Locale {
  lang: Lang;
  dir: 'rtl' | 'ltr';
  digits: Digits;
  t: Messages;
  /** «3 تعليقات», "3 comments". */
  count(n: number): string;
  /** «قبل 5 دقائق», "5 minutes ago": how long before `now` an ISO time was. */
  relative(iso: string, now: number): string;
  /** The exact date and time, for a `<time>`'s title. */
  exact(iso: string): string;
  /** «يمكنك التعديل خلال 12 دقيقة»: the time left to edit, from milliseconds. */
  editWindow(msLeft: number): string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/**
 * Reads a language tag (`ar`, `ar-EG`, `EN-us`) as one the widget speaks, or
 * undefined.
 *
 * @example
 * toLang('ar-EG') // → 'ar'
 */
export function toLang(tag: string | null | undefined): Lang | undefined {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return base === 'ar' || base === 'en' ? base : undefined;
}

/**
 * The widget's strings (`t`, that language's table, see {@link loadMessages}) and
 * formatters for one language. Digits are set explicitly (`latn` by default, as
 * browsers differ on what Arabic uses unasked).
 *
 * @example
 * const locale = createLocale('ar', await loadMessages('ar'));
 * locale.count(3); // → '3 تعليقات'
 */
export function createLocale(lang: Lang, t: Messages, digits: Digits = 'latn'): Locale {
  const numberingSystem: Digits = lang === 'en' ? 'latn' : digits;
  // The digits go in the locale tag (`ar-u-nu-latn`), which every Intl constructor reads.
  const tag = `${lang}-u-nu-${numberingSystem}`;
  const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const dtf = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short' });
  const minuteFormat = new Intl.NumberFormat(tag, { style: 'unit', unit: 'minute', unitDisplay: 'long' });
  return {
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    digits: numberingSystem,
    t,
    count: (n) => plural(COUNT_FORMS[lang], n, lang, numberingSystem),
    relative(iso, now) {
      // A clock a little ahead of the server's must not say "in 3 seconds".
      let value = Math.min(0, (Date.parse(iso) - now) / 1000);
      for (const [unit, size] of UNITS) {
        if (Math.abs(value) < size || unit === 'year') {
          return rtf.format(unit === 'second' ? 0 : Math.round(value), unit);
        }
        value /= size;
      }
      return '';
    },
    exact: (iso) => dtf.format(new Date(iso)),
    editWindow(msLeft) {
      const minutes = Math.max(1, Math.ceil(msLeft / 60_000));
      return t.editWindow
        .replace('{in}', () => rtf.format(minutes, 'minute'))
        .replace('{for}', () => minuteFormat.format(minutes));
    },
  };
}
