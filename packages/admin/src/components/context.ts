import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { createFormat, type Format } from '../i18n/format.js';
import type { Api } from '../models/api.js';
import type { Lang, Prefs } from '../models/prefs.js';
import type { Router } from '../models/router.js';
import type { Session } from '../models/session.js';
import type { Toasts } from '../models/toasts.js';

/** Everything the app's models share, given to every component through context. */
export interface AppModels {
  prefs: Prefs;
  router: Router;
  api: Api;
  session: Session;
  toasts: Toasts;
}

export const AppContext = createContext<AppModels | null>(null);

export function useApp(): AppModels {
  const app = useContext(AppContext);
  if (!app) throw new Error('A dashboard component was rendered outside <AppContext.Provider>.');
  return app;
}

/** One string table per language, e.g. `{ ar: usersAr, en: usersEn }`. */
export type Tables<T> = Record<Lang, T>;

/**
 * The table of the reader's language; the component re-renders when it changes.
 *
 * @example
 * const t = useStrings({ ar: usersAr, en: usersEn });
 * return <h1>{t.title}</h1>;
 */
export function useStrings<T>(tables: Tables<T>): T {
  return tables[useApp().prefs.lang.value];
}

// One set of Intl formatters per language for the whole app: building them costs about
// a millisecond, and every queue row's time asks for them (50 ms a page of 50 rows).
const formats = new Map<Lang, Format>();

/** Numbers and dates in the reader's language. */
export function useFormat(): Format {
  const lang = useApp().prefs.lang.value;
  let format = formats.get(lang);
  if (!format) {
    format = createFormat(lang);
    formats.set(lang, format);
  }
  return format;
}
