import { describe, expect, it } from 'vitest';
import { foldArabic, searchText } from './fold-arabic.js';

describe('foldArabic', () => {
  it('removes diacritics, the superscript alef and tatweel', () => {
    expect(foldArabic('مُحَمَّدٌ')).toBe('محمد');
    expect(foldArabic('هٰذا')).toBe('هذا');
    expect(foldArabic('جميـــــل')).toBe('جميل');
  });

  it('unifies alef, yeh, waw-hamza and teh marbuta forms', () => {
    expect(foldArabic('أحمد إسلام آمال ٱلله')).toBe('احمد اسلام امال الله');
    expect(foldArabic('على')).toBe(foldArabic('علي'));
    expect(foldArabic('مسئول')).toBe('مسيول');
    expect(foldArabic('مؤتمر')).toBe('موتمر');
    expect(foldArabic('مدرسة')).toBe('مدرسه');
  });

  it('turns presentation forms, Arabic-Indic digits and Latin case into plain forms', () => {
    expect(foldArabic('\uFEFB')).toBe('لا');
    expect(foldArabic('٢٠٢٦ ۱۲')).toBe('2026 12');
    expect(foldArabic('Hello WORLD ＡＢＣ')).toBe('hello world abc');
  });

  it('drops bidi controls and collapses white space', () => {
    expect(foldArabic('  a\u202E\u200Fb \n\t c ')).toBe('ab c');
  });

  it('is idempotent', () => {
    for (const sample of ['مُحَمَّدٌ', 'أحمد', 'Straße ﻻ ٣', 'على']) {
      expect(foldArabic(foldArabic(sample))).toBe(foldArabic(sample));
    }
  });

  it('builds search text from the body and the name only', () => {
    expect(searchText('مرحباً', 'أحمد')).toBe('مرحبا\nاحمد');
  });
});
