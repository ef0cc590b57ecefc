import type { ComponentChildren } from 'preact';
import { useStrings } from '../components/context.js';
import { formsAr } from '../i18n/forms.ar.js';
import { formsEn } from '../i18n/forms.en.js';
import type { FieldErrors } from '../models/form-errors.js';

/** The attributes that tie a control to its label, help and error. */
export interface FieldControl {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
}

interface FieldProps {
  id: string;
  label: string;
  help?: ComponentChildren;
  /** Shown under the control with a sign, not by colour alone, and read with it. */
  error?: string | undefined;
  class?: string;
  children: (control: FieldControl) => ComponentChildren;
}

/**
 * A labelled control with its help and its error, both tied to it by
 * `aria-describedby`; `aria-invalid` while it has an error.
 *
 * @example
 * <Field id="site-depth" label={t.maxDepth} error={reason}>{(c) => <input {...c} />}</Field>
 */
export function Field({ id, label, help, error, class: className, children }: FieldProps) {
  const described = [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label for={id}>{label}</label>
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': 'true' as const } : {}),
      })}
      {error && <FieldError id={`${id}-error`} text={error} />}
      {help && (
        <p class="field-help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </div>
  );
}

/** An error line: a warning sign and the words, so it does not rest on colour. */
export function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <p class="field-error" id={id}>
      <span aria-hidden="true">⚠ </span>
      {text}
    </p>
  );
}

/** A form's outcome line, read out when it changes; a failure carries a sign as well as its colour. */
export function FormStatus({ text, error = true }: { text: string; error?: boolean }) {
  return (
    <p class={`form-status ${error ? 'error' : ''}`} role="status">
      {text && (
        <>
          <span aria-hidden="true">{error ? '⚠ ' : '✓ '}</span>
          {text}
        </>
      )}
    </p>
  );
}

/**
 * The sentence for a field's reason in the reader's language, or undefined when it has none.
 *
 * @example
 * const reason = useReasons(errors.value);
 * <Field error={reason('username')} …/>
 */
export function useReasons(errors: FieldErrors): (field: string) => string | undefined {
  const f = useStrings({ ar: formsAr, en: formsEn });
  return (field) => {
    const code = errors[field];
    return code ? f.reasons[code] : undefined;
  };
}
