import { useApp, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { shellAr } from '../i18n/shell.ar.js';
import { shellEn } from '../i18n/shell.en.js';

/** A screen's data could not be loaded: why, in the reader's language, and a retry button. */
export function LoadFailed({ error, retry }: { error: unknown; retry: () => void }) {
  const { prefs } = useApp();
  const t = useStrings({ ar: shellAr, en: shellEn });
  return (
    <div class="load-failed" role="alert">
      <p>
        <span aria-hidden="true">⚠ </span>
        {t.loadError} {errorMessage(error, prefs.lang.value)}
      </p>
      <button type="button" onClick={retry}>
        {t.retry}
      </button>
    </div>
  );
}

/** Said while a screen's data is on its way. */
export function Loading() {
  const t = useStrings({ ar: shellAr, en: shellEn });
  return (
    <p class="muted" role="status">
      {t.loading}
    </p>
  );
}
