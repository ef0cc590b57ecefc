import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { useStrings } from '../components/context.js';
import { tokensAr } from '../i18n/tokens.ar.js';
import { tokensEn } from '../i18n/tokens.en.js';
import type { TokensModel } from '../models/tokens.js';

/** The secret of the token just created, shown this once, with a copy button and a warning. */
export function TokensSecret({ model }: { model: TokensModel }) {
  const t = useStrings({ ar: tokensAr, en: tokensEn });
  const copied = useSignal<'idle' | 'done' | 'failed'>('idle');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const created = model.created.value;
  useEffect(() => {
    headingRef.current?.focus();
  }, [created?.token.id]);
  if (!created) return null;
  return (
    <section class="card secret" aria-labelledby="token-secret-title">
      <h2 id="token-secret-title" tabIndex={-1} ref={headingRef}>
        {t.secretTitle(created.token.name)}
      </h2>
      <p class="warning" id="token-secret-warning">
        <span aria-hidden="true">⚠ </span>
        {t.secretWarning}
      </p>
      <label for="token-secret">{t.secretLabel}</label>
      <div class="add-row">
        <input
          id="token-secret"
          class="secret-value"
          dir="ltr"
          readOnly
          value={created.secret}
          aria-describedby="token-secret-warning"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          class="primary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(created.secret);
              copied.value = 'done';
            } catch {
              copied.value = 'failed';
              document.getElementById('token-secret')?.focus();
            }
          }}
        >
          {t.copy}
        </button>
      </div>
      <p class="form-status" role="status">
        {copied.value === 'done' && (
          <>
            <span aria-hidden="true">✓ </span>
            {t.copied}
          </>
        )}
        {copied.value === 'failed' && t.copyFailed}
      </p>
      <div class="form-actions">
        <button
          type="button"
          onClick={() => {
            model.dismissSecret();
            document.getElementById('new-token-name')?.focus();
          }}
        >
          {t.done}
        </button>
      </div>
    </section>
  );
}
