import { shellAr } from '../i18n/shell.ar.js';
import { shellEn } from '../i18n/shell.en.js';
import { useApp, useStrings } from './context.js';

/** The live region where action results (with their undo) and errors appear. */
export function Toasts() {
  const { toasts } = useApp();
  const t = useStrings({ ar: shellAr, en: shellEn });
  return (
    <section class="toasts" aria-label={t.notifications}>
      <div aria-live="polite" aria-atomic="false">
        {toasts.list.value.map((toast) => (
          <div key={toast.id} class={toast.error ? 'toast error' : 'toast'}>
            <span>{toast.text}</span>
            {toast.action && (
              <button
                type="button"
                class="toast-action"
                onClick={() => {
                  toasts.dismiss(toast.id);
                  toast.action?.run();
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button
              type="button"
              class="toast-close"
              aria-label={t.dismiss}
              onClick={() => toasts.dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
