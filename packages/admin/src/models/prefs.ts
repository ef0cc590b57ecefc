import { effect, signal } from '@preact/signals';

export type Lang = 'ar' | 'en';
export type Theme = 'auto' | 'light' | 'dark';

/** The part of Web Storage the preferences need; `null` keeps them in memory. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

const KEY = 'hiwar:admin:v1:';

/**
 * The reader's choices, kept in `localStorage`: the language (Arabic, right to
 * left, by default), light or dark (or the system's), and whether the keyboard
 * shortcuts are on.
 *
 * @example
 * const prefs = createPrefs(localStorage);
 * prefs.lang.value = 'en';
 */
export function createPrefs(storage: KeyValueStore | null) {
  const read = (name: string) => {
    try {
      return storage?.getItem(KEY + name) ?? null;
    } catch {
      return null;
    }
  };
  const write = (name: string, value: string) => {
    try {
      storage?.setItem(KEY + name, value);
    } catch {
      // Private mode or a full quota: the choice lasts for this visit.
    }
  };
  const storedTheme = read('theme');
  const prefs = {
    lang: signal<Lang>(read('lang') === 'en' ? 'en' : 'ar'),
    theme: signal<Theme>(storedTheme === 'light' || storedTheme === 'dark' ? storedTheme : 'auto'),
    shortcuts: signal(read('shortcuts') !== 'off'),
  };
  effect(() => write('lang', prefs.lang.value));
  effect(() => write('theme', prefs.theme.value));
  effect(() => write('shortcuts', prefs.shortcuts.value ? 'on' : 'off'));
  return prefs;
}

export type Prefs = ReturnType<typeof createPrefs>;

/** Keeps `<html lang dir data-theme>` in step with the preferences. */
export function applyPrefs(prefs: Prefs, root: HTMLElement): () => void {
  return effect(() => {
    const lang = prefs.lang.value;
    root.lang = lang;
    root.dir = lang === 'ar' ? 'rtl' : 'ltr';
    root.dataset.theme = prefs.theme.value;
  });
}
