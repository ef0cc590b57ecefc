import type { AdminUser, Role } from '@hiwar/protocol';
import { isHiwarError } from '@hiwar/sdk';
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { useApp, useFormat, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { formsAr } from '../i18n/forms.ar.js';
import { formsEn } from '../i18n/forms.en.js';
import { usersAr } from '../i18n/users.ar.js';
import { usersEn } from '../i18n/users.en.js';
import type { FieldErrors } from '../models/form-errors.js';
import type { FormResult, UsersModel } from '../models/users.js';
import { Confirm } from './Confirm.js';
import { Field, FormStatus, useReasons } from './Field.js';
import { RoleSelect, UsersSites } from './UsersSites.js';

type Panel = 'none' | 'edit' | 'password' | 'delete';

/** One account: what it is, and its actions (edit, disable/enable, set password, delete). */
export function UsersRow({ user, model, self }: { user: AdminUser; model: UsersModel; self: boolean }) {
  const { prefs, toasts } = useApp();
  const t = useStrings({ ar: usersAr, en: usersEn });
  const f = useStrings({ ar: formsAr, en: formsEn });
  const format = useFormat();
  const panel = useSignal<Panel>('none');
  const message = useSignal('');
  const errors = useSignal<FieldErrors>({});
  const displayName = useSignal(user.displayName);
  const role = useSignal<Role>(user.role);
  const sites = useSignal<string[]>(user.role === 'owner' ? [] : user.sites);
  const password = useSignal('');
  const rowRef = useRef<HTMLLIElement>(null);
  const busy = model.busy.value.has(user.id);
  const key = `user-${user.id}`;
  const reason = useReasons(errors.value);

  /** Shows the outcome: a toast when done, the reason beside the row when not. */
  const settle = (result: FormResult, done: string) => {
    if ('ok' in result) {
      message.value = '';
      errors.value = {};
      panel.value = 'none';
      toasts.show({ text: done });
      rowRef.current?.querySelector<HTMLElement>('.item-actions button')?.focus();
      return;
    }
    if ('errors' in result) {
      errors.value = result.errors;
      const first = Object.keys(result.errors)[0];
      rowRef.current?.querySelector<HTMLElement>(`#${key}-${first}`)?.focus();
      return;
    }
    const forbidden = isHiwarError(result.error) && result.error.code === 'forbidden';
    message.value = forbidden ? t.lastOwner : errorMessage(result.error, prefs.lang.value);
    if (panel.value === 'delete') panel.value = 'none';
  };
  const open = (next: Panel) => {
    panel.value = panel.value === next ? 'none' : next;
    message.value = '';
    errors.value = {};
    displayName.value = user.displayName;
    role.value = user.role;
    sites.value = user.role === 'owner' ? [] : user.sites;
    password.value = '';
  };

  return (
    <li class={`item ${user.disabled ? 'is-disabled' : ''}`} ref={rowRef} aria-labelledby={`${key}-name`}>
      <div class="item-head">
        <h2 id={`${key}-name`} dir="auto">
          {user.displayName}
          {self && <span class="muted"> {t.you}</span>}
        </h2>
        <span class={`badge role-${user.role}`}>{t.roles[user.role]}</span>
        <span class={`badge ${user.disabled ? 'badge-off' : 'badge-on'}`}>
          <span aria-hidden="true">{user.disabled ? '○ ' : '● '}</span>
          {user.disabled ? t.disabled : t.active}
        </span>
      </div>
      <dl class="item-meta">
        <div>
          <dt>{t.username}</dt>
          <dd dir="auto">{user.username}</dd>
        </div>
        <div>
          <dt>{t.sites}</dt>
          <dd dir="ltr">
            {user.role === 'owner' ? <span dir="auto">{t.allSites}</span> : user.sites.join('، ') || '—'}
          </dd>
        </div>
        <div>
          <dt>{t.created}</dt>
          <dd>
            <time dateTime={user.createdAt} title={format.exact(user.createdAt)}>
              {format.relative(user.createdAt, Date.now())}
            </time>
          </dd>
        </div>
      </dl>
      <div class="item-actions">
        <button
          type="button"
          aria-expanded={panel.value === 'edit'}
          disabled={busy}
          onClick={() => open('edit')}
        >
          {t.edit}
        </button>
        <button
          type="button"
          disabled={busy || self}
          onClick={async () =>
            settle(
              await model.update(user.id, { disabled: !user.disabled }),
              user.disabled ? t.enabledUser(user.username) : t.disabledUser(user.username),
            )
          }
        >
          {user.disabled ? t.enable : t.disable}
        </button>
        <button
          type="button"
          aria-expanded={panel.value === 'password'}
          disabled={busy}
          onClick={() => open('password')}
        >
          {t.resetPassword}
        </button>
        <button type="button" class="danger" disabled={busy || self} onClick={() => open('delete')}>
          {t.delete}
        </button>
      </div>
      <FormStatus text={message.value} />

      {panel.value === 'edit' && (
        <form
          class="item-panel"
          aria-label={t.editTitle(user.username)}
          noValidate
          onSubmit={async (event) => {
            event.preventDefault();
            settle(
              await model.update(user.id, {
                displayName: displayName.value.trim() || user.username,
                role: role.value,
                ...(role.value === 'moderator' ? { sites: sites.value } : {}),
              }),
              t.saved(user.username),
            );
          }}
        >
          <div class="numbers">
            <Field id={`${key}-displayName`} label={t.displayName} error={reason('displayName')}>
              {(control) => (
                <input
                  {...control}
                  dir="auto"
                  value={displayName.value}
                  onInput={(e) => (displayName.value = e.currentTarget.value)}
                />
              )}
            </Field>
            <Field id={`${key}-role`} label={t.role} error={reason('role')}>
              {(control) => (
                <RoleSelect
                  control={control}
                  value={role.value}
                  labels={t.roles}
                  onChange={(next) => (role.value = next)}
                />
              )}
            </Field>
          </div>
          {role.value === 'moderator' && (
            <UsersSites
              id={`${key}-sites`}
              legend={t.sites}
              help={t.sitesHelp}
              error={reason('sites')}
              sites={model.sites.value}
              chosen={sites.value}
              onChange={(next) => (sites.value = next)}
            />
          )}
          <SaveCancel save={t.save} cancel={f.cancel} busy={busy} onCancel={() => open('none')} />
        </form>
      )}

      {panel.value === 'password' && (
        <form
          class="item-panel"
          aria-label={t.resetTitle(user.username)}
          noValidate
          onSubmit={async (event) => {
            event.preventDefault();
            if (password.value === '') {
              settle({ errors: { password: 'required' } }, '');
              return;
            }
            settle(await model.update(user.id, { password: password.value }), t.passwordSet(user.username));
          }}
        >
          <Field id={`${key}-password`} label={t.newPassword} help={t.resetHelp} error={reason('password')}>
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                value={password.value}
                onInput={(e) => (password.value = e.currentTarget.value)}
              />
            )}
          </Field>
          <SaveCancel save={t.save} cancel={f.cancel} busy={busy} onCancel={() => open('none')} />
        </form>
      )}

      {panel.value === 'delete' && (
        <Confirm
          title={t.deleteTitle(user.username)}
          body={t.deleteBody}
          confirmLabel={t.delete}
          cancelLabel={f.cancel}
          onCancel={() => (panel.value = 'none')}
          onConfirm={async () => settle(await model.remove(user.id), t.deleted(user.username))}
        />
      )}
    </li>
  );
}

function SaveCancel(props: { save: string; cancel: string; busy: boolean; onCancel: () => void }) {
  return (
    <div class="form-actions">
      <button type="submit" class="primary" disabled={props.busy}>
        {props.save}
      </button>
      <button type="button" onClick={props.onCancel}>
        {props.cancel}
      </button>
    </div>
  );
}
