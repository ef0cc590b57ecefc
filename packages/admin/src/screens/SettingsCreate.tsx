import type { Lang, ModerationPolicy } from '@hiwar/protocol';
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { useApp, useStrings } from '../components/context.js';
import { errorMessage } from '../i18n/errors.js';
import { settingsAr } from '../i18n/settings.ar.js';
import { settingsEn } from '../i18n/settings.en.js';
import type { FieldErrors } from '../models/form-errors.js';
import type { SettingsModel } from '../models/settings.js';
import { Field, type FieldControl, FormStatus, useReasons } from './Field.js';

/** The owner's form for a new site: its id, origins, moderation and language. */
export function SettingsCreate({ model }: { model: SettingsModel }) {
  const { prefs, toasts } = useApp();
  const t = useStrings({ ar: settingsAr, en: settingsEn });
  const errors = useSignal<FieldErrors>({});
  const failure = useSignal('');
  const busy = useSignal(false);
  const moderation = useSignal<ModerationPolicy>('first-time');
  const lang = useSignal<Lang>(prefs.lang.peek());
  const formRef = useRef<HTMLFormElement>(null);
  const reason = useReasons(errors.value);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    busy.value = true;
    failure.value = '';
    const result = await model.create({
      id: String(data.get('id') ?? ''),
      origins: String(data.get('origins') ?? ''),
      moderation: moderation.value,
      lang: lang.value,
    });
    busy.value = false;
    if ('ok' in result) {
      errors.value = {};
      toasts.show({ text: t.created(String(data.get('id')).trim()) });
      form.reset();
      document.getElementById('settings-site-name')?.focus();
    } else if ('errors' in result) {
      errors.value = result.errors;
      const first = ['id', 'origins'].find((name) => result.errors[name]) ?? Object.keys(result.errors)[0];
      formRef.current?.querySelector<HTMLElement>(`#new-site-${first}`)?.focus();
    } else {
      failure.value = errorMessage(result.error, prefs.lang.value);
    }
  };

  return (
    <form ref={formRef} class="card" onSubmit={submit} noValidate aria-labelledby="new-site-title">
      <h2 id="new-site-title">{t.createTitle}</h2>
      <fieldset disabled={busy.value}>
        <Field id="new-site-id" label={t.siteId} help={t.siteIdHelp} error={reason('id')}>
          {(control) => <input {...control} name="id" dir="ltr" autoComplete="off" spellcheck={false} />}
        </Field>
        <Field
          id="new-site-origins"
          label={t.originsOnePerLine}
          help={<OriginsHelp />}
          error={reason('origins')}
        >
          {(control) => <textarea {...control} name="origins" rows={2} dir="ltr" />}
        </Field>
        <div class="numbers">
          <Field id="new-site-moderation" label={t.moderation} error={reason('moderation')}>
            {(control) => (
              <select
                {...control}
                value={moderation.value}
                onChange={(e) => (moderation.value = e.currentTarget.value as ModerationPolicy)}
              >
                {policiesOf(t).map((policy) => (
                  <option key={policy} value={policy}>
                    {t.policies[policy]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="new-site-lang" label={t.lang} error={reason('lang')}>
            {(control) => (
              <LangSelect control={control} value={lang.value} onChange={(next) => (lang.value = next)} />
            )}
          </Field>
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy.value}>
          {t.create}
        </button>
      </div>
      <FormStatus text={failure.value} />
    </form>
  );
}

/** The default language choice, each language named in itself. */
export function LangSelect(props: { control: FieldControl; value: Lang; onChange: (lang: Lang) => void }) {
  const t = useStrings({ ar: settingsAr, en: settingsEn });
  return (
    <select
      {...props.control}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as Lang)}
    >
      <option value="ar" lang="ar">
        {t.langs.ar}
      </option>
      <option value="en" lang="en">
        {t.langs.en}
      </option>
    </select>
  );
}

/** What an origin looks like: the help text and three examples, each kept left to right. */
export function OriginsHelp() {
  const t = useStrings({ ar: settingsAr, en: settingsEn });
  return (
    <>
      {t.originsHelp}{' '}
      {t.originsExamples.map((example, i) => (
        <span key={example}>
          {i > 0 && ' '}
          <code dir="ltr">{example}</code>
        </span>
      ))}
    </>
  );
}

/**
 * The moderation policies in the order the screen offers them: the keys of the strings'
 * table, which its type keeps complete (a value import of the protocol would bundle zod).
 */
export function policiesOf(t: { policies: Record<ModerationPolicy, string> }): ModerationPolicy[] {
  return Object.keys(t.policies) as ModerationPolicy[];
}
