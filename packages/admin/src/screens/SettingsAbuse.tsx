import type { ComponentChildren } from 'preact';
import { useStrings } from '../components/context.js';
import { settingsAr } from '../i18n/settings.ar.js';
import { settingsEn } from '../i18n/settings.en.js';
import {
  hasAbuseSettings,
  type SettingsModel,
  type SiteDraft,
  sentToSpamChecker,
} from '../models/settings.js';
import { Field, FieldError } from './Field.js';

type Reason = (field: string) => string | undefined;
type NumberField = {
  [K in keyof SiteDraft]: SiteDraft[K] extends string ? K : never;
}[keyof SiteDraft];

/**
 * The abuse-control settings of a site in three groups: flood limits, the form check
 * and proof of work, and the spam checker. The spam checker's group says what the
 * service receives before the choice that turns it on, and the Akismet key is typed
 * into a password field: the screen shows only whether one is stored.
 *
 * @example
 * <SettingsAbuse model={model} reason={reason} />
 */
export function SettingsAbuse({ model, reason }: { model: SettingsModel; reason: Reason }) {
  const t = useStrings({ ar: settingsAr, en: settingsEn });
  const draft = model.draft.value;
  const site = model.selected.value;
  if (!draft || !site || !hasAbuseSettings(site)) return null;
  const keyStored = site.akismetKeySet === true && !draft.removeAkismetKey;
  const noKey = draft.spamChecker === 'akismet' && !keyStored && draft.akismetKey.trim() === '';

  return (
    <>
      <fieldset class="group" aria-describedby="site-flood-help">
        <legend>{t.floodGroup}</legend>
        <Intro id="site-flood-help" text={t.floodHelp} />
        <div class="numbers">
          <NumberInput
            model={model}
            field="floodSeconds"
            label={t.floodSeconds}
            help={t.floodSecondsHelp}
            reason={reason}
          />
          <NumberInput
            model={model}
            field="threadHourlyLimit"
            label={t.threadHourlyLimit}
            help={t.threadHourlyLimitHelp}
            reason={reason}
          />
          <NumberInput
            model={model}
            field="siteHourlyLimit"
            label={t.siteHourlyLimit}
            help={t.siteHourlyLimitHelp}
            reason={reason}
          />
        </div>
      </fieldset>

      <fieldset class="group" aria-describedby="site-challenge-help">
        <legend>{t.challengeGroup}</legend>
        <Intro id="site-challenge-help" text={t.challengeHelp} />
        <Choices
          field="challenge"
          legend={t.challenge}
          options={t.challenges}
          value={draft.challenge}
          onChange={(challenge) => model.update({ challenge })}
          error={reason('challenge')}
        />
        <NumberInput
          model={model}
          field="minFillSeconds"
          label={t.minFillSeconds}
          help={t.minFillSecondsHelp}
          reason={reason}
        />
        <Choices
          field="proofOfWork"
          legend={t.proofOfWork}
          help={t.proofOfWorkHelp}
          options={t.powModes}
          value={draft.proofOfWork}
          onChange={(proofOfWork) => model.update({ proofOfWork })}
          error={reason('proofOfWork')}
        />
        <div class="numbers">
          <NumberInput
            model={model}
            field="powDifficulty"
            label={t.powDifficulty}
            help={t.powDifficultyHelp}
            reason={reason}
          />
          <NumberInput
            model={model}
            field="powFloodThreshold"
            label={t.powFloodThreshold}
            help={t.powFloodThresholdHelp}
            reason={reason}
          />
        </div>
      </fieldset>

      <fieldset class="group">
        <legend>{t.spamGroup}</legend>
        <div class="notice" id="site-spam-what">
          <p>{t.spamWhat}</p>
          <ul>
            {sentToSpamChecker(draft.spamCheckEmail).map((item) => (
              <li key={item}>{t.spamItems[item]}</li>
            ))}
          </ul>
          <p>
            {draft.spamCheckEmail ? '' : `${t.spamNoEmail} `}
            {t.spamWait}
          </p>
        </div>
        <Choices
          field="spamChecker"
          legend={t.spamChecker}
          describedBy="site-spam-what"
          options={t.spamCheckers}
          value={draft.spamChecker}
          onChange={(spamChecker) => model.update({ spamChecker })}
          error={reason('spamChecker')}
        />
        <div class="field">
          <label class="choice">
            <input
              type="checkbox"
              id="site-spamCheckEmail"
              checked={draft.spamCheckEmail}
              onChange={(e) => model.update({ spamCheckEmail: e.currentTarget.checked })}
            />
            {t.spamCheckEmail}
          </label>
          {reason('spamCheckEmail') && (
            <FieldError id="site-spamCheckEmail-error" text={reason('spamCheckEmail') ?? ''} />
          )}
        </div>
        <Field
          id="site-akismetKey"
          label={t.akismetKey}
          help={
            draft.removeAkismetKey ? t.akismetKeyRemoving : keyStored ? t.akismetKeySet : t.akismetKeyNone
          }
          error={reason('akismetKey')}
        >
          {(control) => (
            <div class="add-row">
              <input
                {...control}
                type="password"
                dir="ltr"
                autoComplete="new-password"
                spellcheck={false}
                value={draft.akismetKey}
                onInput={(e) => model.update({ akismetKey: e.currentTarget.value, removeAkismetKey: false })}
              />
              {site.akismetKeySet && (
                <button
                  type="button"
                  onClick={() => model.update({ removeAkismetKey: !draft.removeAkismetKey, akismetKey: '' })}
                >
                  {draft.removeAkismetKey ? t.akismetKeyKeep : t.akismetKeyRemove}
                </button>
              )}
            </div>
          )}
        </Field>
        {noKey && (
          <p class="warning">
            <span aria-hidden="true">⚠ </span>
            {t.akismetKeyMissing}
          </p>
        )}
      </fieldset>
    </>
  );
}

/** A group's opening words, spaced from the first setting as a field is. */
function Intro({ id, text }: { id: string; text: string }) {
  return (
    <div class="field">
      <p class="field-help" id={id}>
        {text}
      </p>
    </div>
  );
}

/**
 * A whole-number setting typed as text (so "1.5" reaches the form's own check and a
 * reason, rather than being dropped by a number input).
 *
 * @example
 * <NumberInput model={model} field="maxDepth" label={t.maxDepth} help={t.maxDepthHelp} reason={reason} />
 */
export function NumberInput(props: {
  model: SettingsModel;
  field: NumberField;
  label: string;
  help: string;
  reason: Reason;
}) {
  const { model, field } = props;
  return (
    <Field id={`site-${field}`} label={props.label} help={props.help} error={props.reason(field)}>
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode="numeric"
          dir="ltr"
          class="number"
          value={model.draft.value?.[field] ?? ''}
          onInput={(e) => model.update({ [field]: e.currentTarget.value })}
        />
      )}
    </Field>
  );
}

/** One choice among a few, as radio buttons; the checked one carries the id errors focus. */
function Choices<T extends string>(props: {
  field: string;
  legend: string;
  help?: ComponentChildren;
  describedBy?: string;
  options: Record<T, string>;
  value: T;
  onChange: (value: T) => void;
  error: string | undefined;
}) {
  const { field, error } = props;
  const described = [
    error ? `site-${field}-error` : '',
    props.help ? `site-${field}-help` : '',
    props.describedBy ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset class="field" aria-describedby={described || undefined}>
      <legend>{props.legend}</legend>
      {props.help && (
        <p class="field-help" id={`site-${field}-help`}>
          {props.help}
        </p>
      )}
      {(Object.keys(props.options) as T[]).map((option) => (
        <label key={option} class="choice">
          <input
            type="radio"
            name={field}
            id={option === props.value ? `site-${field}` : undefined}
            value={option}
            checked={props.value === option}
            onChange={() => props.onChange(option)}
          />
          {props.options[option]}
        </label>
      ))}
      {error && <FieldError id={`site-${field}-error`} text={error} />}
    </fieldset>
  );
}
