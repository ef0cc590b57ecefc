import type { Lang } from '../models/prefs.js';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** Numbers and times in one language; Arabic with Western digits, as the widget writes them. */
export function createFormat(lang: Lang) {
  const tag = lang === 'ar' ? 'ar-u-nu-latn' : 'en';
  const numbers = new Intl.NumberFormat(tag);
  const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const dtf = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short' });
  return {
    number: (n: number) => numbers.format(n),
    /** «قبل 5 دقائق», "5 minutes ago". */
    relative(iso: string, now: number) {
      let value = Math.min(0, (Date.parse(iso) - now) / 1000);
      for (const [unit, size] of UNITS) {
        if (Math.abs(value) < size || unit === 'year')
          return rtf.format(unit === 'second' ? 0 : Math.round(value), unit);
        value /= size;
      }
      return '';
    },
    /** The exact date and time, for a `<time>`'s title. */
    exact: (iso: string) => dtf.format(new Date(iso)),
  };
}

export type Format = ReturnType<typeof createFormat>;
