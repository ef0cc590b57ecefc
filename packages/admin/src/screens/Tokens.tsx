import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useApp, useFormat, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { formsAr } from '../i18n/forms.ar.js';
import { formsEn } from '../i18n/forms.en.js';
import { tokensAr } from '../i18n/tokens.ar.js';
import { tokensEn } from '../i18n/tokens.en.js';
import type { FieldErrors } from '../models/form-errors.js';
import { createTokensModel, type TokensModel } from '../models/tokens.js';
import { Confirm } from './Confirm.js';
import { Field, FormStatus } from './Field.js';
import { LoadFailed, Loading } from './LoadFailed.js';
import { TokensPassword } from './TokensPassword.js';
import { TokensSecret } from './TokensSecret.js';
import '../styles/screens.css';

/** The caller's API tokens (create, with the secret shown once; revoke) and their password change. */
export function Tokens() {
  const { api } = useApp();
  const t = useStrings({ ar: tokensAr, en: tokensEn });
  const model = useMemo(() => createTokensModel(api.client.value), [api.client.value]);
  useEffect(() => {
    void model.load();
  }, [model]);

  return (
    <section class="screen" aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t.title}</h1>
      <p class="intro">
        {t.intro[0]}
        <code dir="ltr">@hiwar/sdk</code>
        {t.intro[1]}
        <code dir="ltr">Authorization: Bearer</code>
        {t.intro[2]}
      </p>
      {model.created.value && <TokensSecret model={model} />}
      {model.loadError.value ? (
        <LoadFailed error={model.loadError.value} retry={() => model.load()} />
      ) : model.loaded.value ? (
        <TokensList model={model} />
      ) : (
        <Loading />
      )}
      <TokensCreate model={model} />
      <TokensPassword model={model} />
    </section>
  );
}

function TokensList({ model }: { model: TokensModel }) {
  const { prefs, toasts } = useApp();
  const t = useStrings({ ar: tokensAr, en: tokensEn });
  const f = useStrings({ ar: formsAr, en: formsEn });
  const format = useFormat();
  const revoking = useSignal<{ id: string; name: string } | null>(null);
  const failure = useSignal('');
  const now = Date.now();
  const tokens = model.tokens.value;
  if (tokens.length === 0) return <p class="muted">{t.none}</p>;
  return (
    <>
      <ul class="list" aria-label={t.listCaption}>
        {tokens.map((token) => (
          <li key={token.id} class="item" aria-labelledby={`token-${token.id}`}>
            <div class="item-head">
              <h2 id={`token-${token.id}`} dir="auto">
                {token.name}
              </h2>
              <code dir="ltr" class="prefix">
                {token.prefix}…
              </code>
            </div>
            <dl class="item-meta">
              <div>
                <dt>{t.created}</dt>
                <dd>
                  <time dateTime={token.createdAt} title={format.exact(token.createdAt)}>
                    {format.relative(token.createdAt, now)}
                  </time>
                </dd>
              </div>
              <div>
                <dt>{t.lastUsed}</dt>
                <dd>
                  {token.lastUsedAt ? (
                    <time dateTime={token.lastUsedAt} title={format.exact(token.lastUsedAt)}>
                      {format.relative(token.lastUsedAt, now)}
                    </time>
                  ) : (
                    t.never
                  )}
                </dd>
              </div>
            </dl>
            <div class="item-actions">
              <button
                type="button"
                class="danger"
                aria-label={t.revokeLabel(token.name)}
                onClick={() => (revoking.value = { id: token.id, name: token.name })}
              >
                {t.revoke}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <FormStatus text={failure.value} />
      {revoking.value && (
        <Confirm
          title={t.revokeTitle(revoking.value.name)}
          body={t.revokeBody}
          confirmLabel={t.revoke}
          cancelLabel={f.cancel}
          onCancel={() => (revoking.value = null)}
          onConfirm={async () => {
            const { id, name } = revoking.value ?? { id: '', name: '' };
            revoking.value = null;
            const result = await model.revoke(id);
            if ('ok' in result) {
              failure.value = '';
              toasts.show({ text: t.revoked(name) });
              document.getElementById('new-token-name')?.focus();
            } else failure.value = 'error' in result ? errorMessage(result.error, prefs.lang.value) : '';
          }}
        />
      )}
    </>
  );
}

function TokensCreate({ model }: { model: TokensModel }) {
  const { prefs } = useApp();
  const t = useStrings({ ar: tokensAr, en: tokensEn });
  const f = useStrings({ ar: formsAr, en: formsEn });
  const name = useSignal('');
  const errors = useSignal<FieldErrors>({});
  const failure = useSignal('');
  const inputRef = useRef<HTMLInputElement>(null);
  const code = errors.value.name;
  return (
    <form
      class="card"
      noValidate
      aria-labelledby="new-token-title"
      onSubmit={async (event) => {
        event.preventDefault();
        failure.value = '';
        const result = await model.create(name.value);
        if ('ok' in result) {
          name.value = '';
          errors.value = {};
          // The secret panel takes the focus (TokensSecret).
        } else if ('errors' in result) {
          errors.value = result.errors;
          inputRef.current?.focus();
        } else failure.value = errorMessage(result.error, prefs.lang.value);
      }}
    >
      <h2 id="new-token-title">{t.createTitle}</h2>
      <div class="add-row">
        <Field
          id="new-token-name"
          label={t.name}
          help={t.nameHelp}
          error={code ? f.reasons[code] : undefined}
        >
          {(control) => (
            <input
              {...control}
              ref={inputRef}
              dir="auto"
              autoComplete="off"
              maxLength={100}
              value={name.value}
              onInput={(e) => {
                name.value = e.currentTarget.value;
                errors.value = {};
              }}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={model.busy.value}>
          {t.create}
        </button>
      </div>
      <FormStatus text={failure.value} />
    </form>
  );
}
