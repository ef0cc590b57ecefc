import { shellAr } from '../i18n/shell.ar.js';
import { shellEn } from '../i18n/shell.en.js';
import { Audit } from '../screens/Audit.js';
import { Settings } from '../screens/Settings.js';
import { Tokens } from '../screens/Tokens.js';
import { Users } from '../screens/Users.js';
import { useApp, useStrings } from './context.js';
import { Header } from './Header.js';
import { Login } from './Login.js';
import { Queue } from './Queue.js';
import { Toasts } from './Toasts.js';

/** The dashboard: the login screen, or the shell around the current route. */
export function App() {
  const { session, router } = useApp();
  const t = useStrings({ ar: shellAr, en: shellEn });
  const user = session.user.value;
  if (user === undefined) {
    return (
      <main class="boot" id="main">
        <p role="status">{t.loading}</p>
      </main>
    );
  }
  if (user === null) {
    return (
      <>
        <Login />
        <Toasts />
      </>
    );
  }
  const route = router.route.value;
  return (
    <>
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <Header user={user} />
      <main id="main" class={`main main-${route}`} tabIndex={-1}>
        {route === 'queue' && <Queue />}
        {route === 'sites' && <Settings />}
        {route === 'users' && <Users />}
        {route === 'tokens' && <Tokens />}
        {route === 'audit' && <Audit />}
      </main>
      <Toasts />
    </>
  );
}
