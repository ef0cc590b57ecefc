import { ERROR_CODES, FIELD_REASONS } from '@hiwar/protocol/codes';
import { describe, expect, it } from 'vitest';
import { ar } from './ar.js';
import { COUNT_FORMS } from './counts.js';
import { en } from './en.js';
import { createLocale, toLang } from './locale.js';
import { plural } from './plural.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MINUTE = 60_000;

describe('Arabic plurals', () => {
  it('writes comment counts in all six CLDR forms', () => {
    const count = (n: number) => plural(COUNT_FORMS.ar, n, 'ar', 'latn');
    expect([0, 1, 2, 3, 10, 11, 99, 100, 101, 1000].map(count)).toEqual([
      'لا توجد تعليقات',
      'تعليق واحد',
      'تعليقان',
      '3 تعليقات',
      '10 تعليقات',
      '11 تعليقًا',
      '99 تعليقًا',
      '100 تعليق',
      '101 تعليق',
      '1,000 تعليق',
    ]);
  });

  it('says the minutes left to edit in the right form', () => {
    const { editWindow } = createLocale('ar', ar);
    expect([1, 2, 3, 12, 100].map((m) => editWindow(m * MINUTE))).toEqual([
      'يمكنك التعديل خلال دقيقة واحدة',
      'يمكنك التعديل خلال دقيقتين',
      'يمكنك التعديل خلال 3 دقائق',
      'يمكنك التعديل خلال 12 دقيقة',
      'يمكنك التعديل خلال 100 دقيقة',
    ]);
    // Eleven minutes and a half left: still "12 minutes" (rounded up), never 0 while it is open.
    expect(editWindow(11.5 * MINUTE)).toBe('يمكنك التعديل خلال 12 دقيقة');
    expect(editWindow(1000)).toBe('يمكنك التعديل خلال دقيقة واحدة');
    expect(createLocale('ar', ar, 'arab').editWindow(12 * MINUTE)).toBe('يمكنك التعديل خلال ١٢ دقيقة');
  });
});

describe('English plurals', () => {
  it('writes comment counts', () => {
    const count = (n: number) => plural(COUNT_FORMS.en, n, 'en', 'latn');
    expect([0, 1, 2, 1000].map(count)).toEqual(['No comments', '1 comment', '2 comments', '1,000 comments']);
    expect(createLocale('en', en).editWindow(MINUTE)).toBe('You can edit this for 1 minute');
    expect(createLocale('en', en).editWindow(12 * MINUTE)).toBe('You can edit this for 12 minutes');
  });
});

describe('digits', () => {
  it('uses Western digits in Arabic unless told to use Arabic-Indic ones', () => {
    expect(createLocale('ar', ar).count(3)).toBe('3 تعليقات');
    const arab = createLocale('ar', ar, 'arab');
    expect(arab.count(3)).toBe('٣ تعليقات');
    expect(arab.count(1000)).toBe('١٬٠٠٠ تعليق');
    expect(arab.relative(ago(5 * MINUTE), NOW)).toBe('قبل ٥ دقائق');
    expect(createLocale('en', en, 'arab').count(3)).toBe('3 comments');
  });
});

describe('relative and exact times', () => {
  it('says how long ago, in Arabic and in English', () => {
    const l = createLocale('ar', ar);
    expect(l.relative(ago(10_000), NOW)).toBe('الآن');
    expect(l.relative(ago(5 * MINUTE), NOW)).toBe('قبل 5 دقائق');
    expect(l.relative(ago(2 * 60 * MINUTE), NOW)).toBe('قبل ساعتين');
    expect(l.relative(ago(24 * 60 * MINUTE), NOW)).toBe('أمس');
    expect(l.relative(ago(400 * 24 * 60 * MINUTE), NOW)).toBe('السنة الماضية');
    expect(createLocale('en', en).relative(ago(3 * 60 * MINUTE), NOW)).toBe('3 hours ago');
  });

  it('never says "in a few seconds" for a server clock slightly ahead', () => {
    expect(createLocale('en', en).relative(new Date(NOW + 20_000).toISOString(), NOW)).toBe('now');
  });

  it('gives the exact date and time, with the chosen digits', () => {
    expect(createLocale('ar', ar).exact('2025-01-02T13:04:00Z')).toMatch(/^2 يناير 2025/);
    expect(createLocale('ar', ar, 'arab').exact('2025-01-02T13:04:00Z')).toMatch(/^٢ يناير ٢٠٢٥/);
  });
});

describe('message tables', () => {
  it.each([
    ['ar', ar],
    ['en', en],
  ])('%s has words for every API error code and every field reason', (_, t) => {
    for (const code of ERROR_CODES) expect(t.codes[code], code).toMatch(/\S/);
    for (const reason of FIELD_REASONS) expect(t.reasons[reason], reason).toMatch(/\S/);
    expect(Object.keys(t.codes).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('has the same keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
  });

  it('uses WordPress’s Arabic wording for the form', () => {
    expect([ar.formHeading, ar.body, ar.name, ar.email, ar.website, ar.submit]).toEqual([
      'اترك تعليقاً',
      'التعليق',
      'الاسم',
      'البريد الإلكتروني',
      'الموقع الإلكتروني',
      'إرسال التعليق',
    ]);
    expect(`${ar.emailNote} ${ar.requiredNote}`).toBe(
      'لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *',
    );
  });
});

describe('language tags', () => {
  it('reads the languages the widget speaks and nothing else', () => {
    expect(['ar', 'ar-EG', 'EN-us', 'en_GB', 'fr', '', undefined, null].map(toLang)).toEqual([
      'ar',
      'ar',
      'en',
      'en',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(createLocale('ar', ar).dir).toBe('rtl');
    expect(createLocale('en', en).dir).toBe('ltr');
  });
});
