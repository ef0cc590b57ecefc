import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { useApp, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { formsAr } from '../i18n/forms.ar.js';
import { formsEn } from '../i18n/forms.en.js';
import { tokensAr } from '../i18n/tokens.ar.js';
import { tokensEn } from '../i18n/tokens.en.js';
import { type FieldErrors, firstErrorField } from '../models/form-errors.js';
import type { TokensModel } from '../models/tokens.js';
import { Field, FormStatus } from './Field.js';

const FIELDS = ['currentPassword', 'newPassword', 'repeatPassword'] as const;

/** The caller's password change: the current one, the new one twice. */
export function TokensPassword({ model }: { model: TokensModel }) {
  const { prefs, toasts } = useApp();
  const t = useStrings({ ar: tokensAr, en: tokensEn });
  const f = useStrings({ ar: formsAr, en: formsEn });
  const errors = useSignal<FieldErrors>({});
  const failure = useSignal('');
  const formRef = useRef<HTMLFormElement>(null);
  const reason = (field: string) => {
    const code = errors.value[field];
    if (!code) return undefined;
    return field === 'currentPassword' && code === 'invalid' ? t.wrongPassword : f.reasons[code];
  };
  const labels = {
    currentPassword: t.currentPassword,
    newPassword: t.newPassword,
    repeatPassword: t.repeatPassword,
  };
  const autocomplete = {
    currentPassword: 'current-password',
    newPassword: 'new-password',
    repeatPassword: 'new-password',
  };
  return (
    <form
      ref={formRef}
      class="card"
      noValidate
      aria-labelledby="password-title"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget as HTMLFormElement;
        const data = new FormData(form);
        failure.value = '';
        const result = await model.changePassword({
          current: String(data.get('currentPassword') ?? ''),
          next: String(data.get('newPassword') ?? ''),
          repeat: String(data.get('repeatPassword') ?? ''),
        });
        if ('ok' in result) {
          errors.value = {};
          form.reset();
          toasts.show({ text: t.passwordChanged });
          formRef.current?.querySelector<HTMLElement>('#password-currentPassword')?.focus();
        } else if ('errors' in result) {
          errors.value = result.errors;
          const first = firstErrorField(result.errors, FIELDS);
          formRef.current?.querySelector<HTMLElement>(`#password-${first}`)?.focus();
        } else failure.value = errorMessage(result.error, prefs.lang.value);
      }}
    >
      <h2 id="password-title">{t.passwordTitle}</h2>
      <fieldset disabled={model.busy.value}>
        {FIELDS.map((field) => (
          <Field
            key={field}
            id={`password-${field}`}
            label={labels[field]}
            help={field === 'newPassword' ? t.newPasswordHelp : undefined}
            error={reason(field)}
          >
            {(control) => (
              <input
                {...control}
                name={field}
                type="password"
                autoComplete={autocomplete[field]}
                onInput={() => {
                  if (errors.value[field]) {
                    const { [field]: _, ...rest } = errors.value;
                    errors.value = rest;
                  }
                }}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={model.busy.value}>
          {t.changePassword}
        </button>
      </div>
      <FormStatus text={failure.value} />
    </form>
  );
}
