import type { Role } from '@hiwar/protocol';
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { useApp, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { usersAr } from '../i18n/users.ar.js';
import { usersEn } from '../i18n/users.en.js';
import { type FieldErrors, firstErrorField } from '../models/form-errors.js';
import { USER_FIELDS, type UsersModel } from '../models/users.js';
import { Field, FormStatus, useReasons } from './Field.js';
import { RoleSelect, UsersSites } from './UsersSites.js';

/** The form that adds an account: username, display name, role, sites for a moderator, first password. */
export function UsersCreate({ model }: { model: UsersModel }) {
  const { prefs, toasts } = useApp();
  const t = useStrings({ ar: usersAr, en: usersEn });
  const role = useSignal<Role>('moderator');
  const sites = useSignal<string[]>([]);
  const errors = useSignal<FieldErrors>({});
  const failure = useSignal('');
  const formRef = useRef<HTMLFormElement>(null);
  const reason = useReasons(errors.value);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const username = String(data.get('username') ?? '').trim();
    failure.value = '';
    const result = await model.create({
      username,
      displayName: String(data.get('displayName') ?? ''),
      role: role.value,
      sites: sites.value,
      password: String(data.get('password') ?? ''),
    });
    if ('ok' in result) {
      errors.value = {};
      form.reset();
      sites.value = [];
      toasts.show({ text: t.createdUser(username) });
      formRef.current?.querySelector<HTMLElement>('#new-user-username')?.focus();
    } else if ('errors' in result) {
      errors.value = result.errors;
      const first = firstErrorField(result.errors, USER_FIELDS);
      formRef.current?.querySelector<HTMLElement>(`#new-user-${first}`)?.focus();
    } else {
      failure.value = errorMessage(result.error, prefs.lang.value);
    }
  };

  return (
    <form ref={formRef} class="card" onSubmit={submit} noValidate aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t.createTitle}</h2>
      <fieldset disabled={model.busy.value.has('new')}>
        <div class="numbers">
          <Field id="new-user-username" label={t.username} error={reason('username')}>
            {(control) => (
              <input {...control} name="username" autoComplete="off" spellcheck={false} dir="auto" />
            )}
          </Field>
          <Field
            id="new-user-displayName"
            label={t.displayName}
            help={t.displayNameHelp}
            error={reason('displayName')}
          >
            {(control) => <input {...control} name="displayName" autoComplete="off" dir="auto" />}
          </Field>
        </div>
        <Field id="new-user-role" label={t.role} help={t.roleHelp} error={reason('role')}>
          {(control) => (
            <RoleSelect
              control={control}
              value={role.value}
              labels={t.roles}
              onChange={(next) => (role.value = next)}
            />
          )}
        </Field>
        {role.value === 'moderator' && (
          <UsersSites
            id="new-user-sites"
            legend={t.sites}
            help={t.sitesHelp}
            error={reason('sites')}
            sites={model.sites.value}
            chosen={sites.value}
            onChange={(next) => {
              sites.value = next;
              const { sites: _, ...rest } = errors.value;
              errors.value = rest;
            }}
          />
        )}
        <Field id="new-user-password" label={t.password} help={t.passwordHelp} error={reason('password')}>
          {(control) => <input {...control} name="password" type="password" autoComplete="new-password" />}
        </Field>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={model.busy.value.has('new')}>
          {t.create}
        </button>
      </div>
      <FormStatus text={failure.value} />
    </form>
  );
}
