import { describe, expect, it } from 'vitest';
import { skeleton } from './confusables.js';

describe('skeleton', () => {
  it.each([
    ['admin', 'ADMIN'],
    ['admin', 'Аdmin'], // Cyrillic А
    ['admin', 'аdmіn'], // Cyrillic а and і
    ['admin', 'ádmín'],
    ['admin', 'a.d.m.i.n'],
    ['admin', 'ad min'],
    ['admin', '𝐚𝐝𝐦𝐢𝐧'], // mathematical bold
    ['admin', 'ａｄｍｉｎ'], // full width
    ['admin', 'adrnin'], // rn for m
    ['admin', '\u202Eadmin'],
    ['moderator', 'm0derat0r'],
    ['moderator', 'MΟDΕRΑΤΟR'], // Greek capitals
    ['hiwar', 'Hiwar'],
    ['hiwar', 'һіwаr'], // Cyrillic
    ['مدير', 'مُدير'],
    ['مدير', 'مـــدير'],
    ['مدير', 'مدیر'], // Persian yeh
    ['مدير', 'مدى\u200Cر'],
    ['المدير', 'المُدير'],
    ['المدير', 'إلمدير'],
    ['حوار', 'حوأر'],
    ['حوار', 'ح و ا ر'],
    ['حوار', 'حۆار'], // Kurdish waw
  ])('%s looks like %s', (a, b) => {
    expect(skeleton(b)).toBe(skeleton(a));
  });

  it.each([
    ['admin', 'adam'],
    ['mod', 'modi'],
    ['مدير', 'مدينة'],
    ['حوار', 'حور'],
    ['أحمد', 'محمد'],
  ])('%s does not look like %s', (a, b) => {
    expect(skeleton(b)).not.toBe(skeleton(a));
  });
});
