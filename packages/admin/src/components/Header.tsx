import type { AdminUser } from '@hiwar/protocol';
import { shellAr } from '../i18n/shell.ar.js';
import { shellEn } from '../i18n/shell.en.js';
import { hrefOf, type Route } from '../models/router.js';
import { useApp, useStrings } from './context.js';

const NEXT_THEME = { auto: 'light', light: 'dark', dark: 'auto' } as const;

/** The top bar: the name, the navigation, language and theme switches, the user and logout. */
export function Header({ user }: { user: AdminUser }) {
  const { router, prefs, session } = useApp();
  const t = useStrings({ ar: shellAr, en: shellEn });
  const current = router.route.value;
  const items: [Route, string][] = [
    ['queue', t.queue],
    ['sites', t.sites],
    ...(user.role === 'owner' ? ([['users', t.users]] as [Route, string][]) : []),
    ['tokens', t.tokens],
    ['audit', t.audit],
  ];
  const theme = prefs.theme.value;
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-name">{t.brand}</span>
        <span class="brand-sub">{t.dashboard}</span>
      </div>
      <nav class="nav" aria-label={t.mainNav}>
        <ul>
          {items.map(([route, label]) => (
            <li key={route}>
              <a
                href={hrefOf(route)}
                aria-current={route === current ? 'page' : undefined}
                onClick={(event) => {
                  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  router.navigate(route);
                }}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="tools">
        <button
          type="button"
          class="tool"
          lang={prefs.lang.value === 'ar' ? 'en' : 'ar'}
          aria-label={t.languageLabel}
          onClick={() => (prefs.lang.value = prefs.lang.value === 'ar' ? 'en' : 'ar')}
        >
          {t.language}
        </button>
        <button
          type="button"
          class="tool"
          aria-label={`${t.themeLabel}: ${t.themes[theme]}`}
          onClick={() => (prefs.theme.value = NEXT_THEME[theme])}
        >
          <span aria-hidden="true">{theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}</span>{' '}
          {t.themes[theme]}
        </button>
        <span class="who" title={t.signedInAs(user.username)}>
          {user.displayName || user.username}
        </span>
        <button type="button" class="tool" onClick={() => void session.logout()}>
          {t.logout}
        </button>
      </div>
    </header>
  );
}
