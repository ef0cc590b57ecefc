import type { PluralForms } from './plural.js';

/**
 * "N comments" in each language. Kept apart from the full message tables so that
 * count.js, which needs only these, stays tiny.
 */
export const COUNT_FORMS: Record<'ar' | 'en', PluralForms> = {
  ar: {
    zero: 'لا توجد تعليقات',
    one: 'تعليق واحد',
    two: 'تعليقان',
    few: '{n} تعليقات',
    many: '{n} تعليقًا',
    other: '{n} تعليق',
  },
  en: { none: 'No comments', one: '{n} comment', other: '{n} comments' },
};
