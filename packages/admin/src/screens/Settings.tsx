import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useApp, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { formsAr } from '../i18n/forms.ar.js';
import { formsEn } from '../i18n/forms.en.js';
import { settingsAr } from '../i18n/settings.ar.js';
import { settingsEn } from '../i18n/settings.en.js';
import { firstErrorField } from '../models/form-errors.js';
import { createSettingsModel, SETTINGS_FIELDS, type SettingsModel } from '../models/settings.js';
import { Field, FieldError, FormStatus } from './Field.js';
import { LoadFailed, Loading } from './LoadFailed.js';
import { NumberInput, SettingsAbuse } from './SettingsAbuse.js';
import { LangSelect, OriginsHelp, policiesOf, SettingsCreate } from './SettingsCreate.js';
import '../styles/screens.css';

/** Every setting of the caller's sites; an owner edits them and adds sites, a moderator reads them. */
export function Settings() {
  const { api, session } = useApp();
  const t = useStrings({ ar: settingsAr, en: settingsEn });
  const model = useMemo(() => createSettingsModel(api.client.value), [api.client.value]);
  const owner = session.user.value?.role === 'owner';
  useEffect(() => {
    void model.load();
  }, [model]);

  const sites = model.sites.value;
  return (
    <section class="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">{t.title}</h1>
      {model.loadError.value ? (
        <LoadFailed error={model.loadError.value} retry={() => model.load()} />
      ) : !model.loaded.value ? (
        <Loading />
      ) : (
        <>
          {sites.length === 0 && <p>{t.noSites}</p>}
          {sites.length > 1 && (
            <div class="field inline">
              <label for="settings-site">{t.site}</label>
              <select
                id="settings-site"
                value={model.selectedId.value ?? ''}
                onChange={(e) => model.select(e.currentTarget.value)}
              >
                {sites.map((site) => (
                  <option key={site.id} value={site.id}>
                    {site.id}
                  </option>
                ))}
              </select>
            </div>
          )}
          {!owner && sites.length > 0 && (
            <p class="notice" role="note">
              {t.readOnly}
            </p>
          )}
          {model.draft.value && <SettingsForm key={model.selectedId.value} model={model} editable={owner} />}
          {owner && <SettingsCreate model={model} />}
        </>
      )}
    </section>
  );
}

function SettingsForm({ model, editable }: { model: SettingsModel; editable: boolean }) {
  const { prefs, toasts } = useApp();
  const t = useStrings({ ar: settingsAr, en: settingsEn });
  const f = useStrings({ ar: formsAr, en: formsEn });
  const formRef = useRef<HTMLFormElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const newOrigin = useSignal('');
  const status = useSignal<{ text: string; error?: boolean } | null>(null);
  const draft = model.draft.value;
  const errors = model.errors.value;
  if (!draft) return null;
  const reason = (field: string) => (errors[field] ? f.reasons[errors[field]] : undefined);
  const site = model.selectedId.value ?? '';
  const id = (field: string) => `site-${field}`;

  const save = async (event: Event) => {
    event.preventDefault();
    status.value = null;
    const result = await model.save();
    if (result === 'saved') {
      status.value = { text: t.saved };
      toasts.show({ text: t.saved });
      saveRef.current?.focus();
    } else if (result === 'unchanged') {
      status.value = { text: t.unchanged };
    } else if (result === 'invalid') {
      const count = Object.keys(model.errors.peek()).length;
      status.value = { text: f.fixFields(count), error: true };
      const first = firstErrorField(model.errors.peek(), SETTINGS_FIELDS);
      const target =
        first === 'origins'
          ? formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], #site-new-origin')
          : formRef.current?.querySelector<HTMLElement>(`#${id(first ?? '')}`);
      target?.focus();
    } else {
      status.value = { text: errorMessage(result.error, prefs.lang.value), error: true };
    }
  };
  const addOrigin = () => {
    if (model.addOrigin(newOrigin.value)) newOrigin.value = '';
  };

  return (
    <form
      ref={formRef}
      class="card settings-form"
      onSubmit={save}
      noValidate
      aria-labelledby="settings-site-name"
    >
      <h2 id="settings-site-name" dir="ltr">
        {site}
      </h2>
      <fieldset disabled={!editable || model.saving.value}>
        <fieldset class="group" aria-describedby="site-origins-help">
          <legend>{t.origins}</legend>
          <p class="field-help" id="site-origins-help">
            <OriginsHelp />
          </p>
          {errors.origins && <FieldError id="site-origins-error" text={f.reasons[errors.origins] ?? ''} />}
          <ul class="origins">
            {draft.origins.map((origin, index) => {
              const error = reason(`origins.${index}`);
              return (
                <li key={index} class={error ? 'has-error' : ''}>
                  <input
                    class="origin"
                    dir="ltr"
                    aria-label={`${t.origins} ${index + 1}`}
                    value={origin}
                    aria-invalid={error ? 'true' : undefined}
                    aria-describedby={error ? `site-origin-${index}-error` : undefined}
                    onInput={(e) => {
                      const origins = [...draft.origins];
                      origins[index] = e.currentTarget.value;
                      model.update({ origins });
                    }}
                  />
                  {editable && (
                    <button
                      type="button"
                      class="icon-button"
                      aria-label={t.removeOrigin(origin)}
                      onClick={() => model.removeOrigin(index)}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  )}
                  {error && <FieldError id={`site-origin-${index}-error`} text={error} />}
                </li>
              );
            })}
          </ul>
          {editable && (
            <div class="add-row">
              <label for="site-new-origin" class="visually-hidden">
                {t.newOrigin}
              </label>
              <input
                id="site-new-origin"
                dir="ltr"
                type="url"
                inputMode="url"
                placeholder="https://news.example"
                value={newOrigin.value}
                onInput={(e) => (newOrigin.value = e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addOrigin();
                  }
                }}
              />
              <button type="button" onClick={addOrigin}>
                {t.addOrigin}
              </button>
            </div>
          )}
        </fieldset>

        <fieldset class="group" aria-describedby={errors.moderation ? 'site-moderation-error' : undefined}>
          <legend>{t.moderation}</legend>
          {policiesOf(t).map((policy) => (
            <label key={policy} class="choice">
              <input
                type="radio"
                name="moderation"
                id={policy === draft.moderation ? id('moderation') : undefined}
                value={policy}
                checked={draft.moderation === policy}
                onChange={() => model.update({ moderation: policy })}
              />
              {t.policies[policy]}
            </label>
          ))}
          {errors.moderation && <FieldError id="site-moderation-error" text={reason('moderation') ?? ''} />}
        </fieldset>

        <div class="numbers">
          <NumberInput
            model={model}
            field="editWindowMinutes"
            label={t.editWindow}
            help={t.editWindowHelp}
            reason={reason}
          />
          <NumberInput
            model={model}
            field="maxDepth"
            label={t.maxDepth}
            help={t.maxDepthHelp}
            reason={reason}
          />
          <NumberInput
            model={model}
            field="autoCloseDays"
            label={t.autoClose}
            help={t.autoCloseHelp}
            reason={reason}
          />
          {model.selected.value?.holdLinks !== undefined && (
            <NumberInput
              model={model}
              field="holdLinks"
              label={t.holdLinks}
              help={t.holdLinksHelp}
              reason={reason}
            />
          )}
        </div>

        {(
          [
            ['holdWords', t.holdWords, t.holdWordsHelp],
            ['rejectWords', t.rejectWords, t.rejectWordsHelp],
          ] as const
        ).map(([field, label, help]) => (
          <Field key={field} id={id(field)} label={label} help={help} error={reason(field)}>
            {(control) => (
              <textarea
                {...control}
                rows={4}
                dir="auto"
                value={draft[field]}
                onInput={(e) => model.update({ [field]: e.currentTarget.value })}
              />
            )}
          </Field>
        ))}

        <Field id={id('lang')} label={t.lang} error={reason('lang')}>
          {(control) => (
            <LangSelect control={control} value={draft.lang} onChange={(lang) => model.update({ lang })} />
          )}
        </Field>

        <SettingsAbuse model={model} reason={reason} />
      </fieldset>

      {editable && (
        <div class="form-actions">
          <button type="submit" class="primary" ref={saveRef} disabled={model.saving.value}>
            {model.saving.value ? t.saving : t.save}
          </button>
          <button
            type="button"
            disabled={model.saving.value}
            onClick={() => {
              model.select(site);
              status.value = null;
            }}
          >
            {t.reset}
          </button>
        </div>
      )}
      <FormStatus text={status.value?.text ?? ''} error={status.value?.error ?? false} />
    </form>
  );
}
