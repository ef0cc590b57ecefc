import { useSignal } from '@preact/signals';
import { errorMessage } from '../i18n/errors.js';
import { shellAr } from '../i18n/shell.ar.js';
import { shellEn } from '../i18n/shell.en.js';
import { useApp, useStrings } from './context.js';

/** The login form; failures are told by their code in the reader's language. */
export function Login() {
  const { session, prefs } = useApp();
  const t = useStrings({ ar: shellAr, en: shellEn });
  const error = useSignal<unknown>(null);
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    busy.value = true;
    error.value = await session.login(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
    busy.value = false;
  };
  const message = error.value
    ? errorMessage(error.value, prefs.lang.value)
    : session.ended.value
      ? t.sessionEnded
      : '';
  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <p class="brand-name">{t.brand}</p>
        <h1 id="login-title">{t.loginTitle}</h1>
        <div role="alert" class={message ? 'alert' : 'alert empty'}>
          {message}
        </div>
        <label for="login-username">{t.username}</label>
        <input id="login-username" name="username" autoComplete="username" required dir="auto" />
        <label for="login-password">{t.password}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t.loggingIn : t.login}
        </button>
        <button
          type="button"
          class="link"
          lang={prefs.lang.value === 'ar' ? 'en' : 'ar'}
          aria-label={t.languageLabel}
          onClick={() => (prefs.lang.value = prefs.lang.value === 'ar' ? 'en' : 'ar')}
        >
          {t.language}
        </button>
      </form>
    </main>
  );
}
