import type { Field as FieldName } from '../models/composer-model.js';
import { problemText } from './context.js';
import { view } from './view.js';

interface FieldProps {
  name: FieldName;
  required?: boolean;
  type?: 'email' | 'url';
  auto?: string;
}

/**
 * A labelled field of the comment form with its error beside it. Required ones
 * say so in words for screen readers; the `*` is for the eye only. Email and
 * website are left to right.
 */
export const Field = view<FieldProps>(({ name, required, type, auto }, { composer, locale }) => {
  const { t } = locale.value;
  const id = `hiwar-${name}`;
  const problem = composer.fieldErrors.value[name];
  const props = {
    id,
    name,
    value: composer[name].value,
    required,
    dir: (type ? 'ltr' : 'auto') as 'ltr',
    'aria-invalid': !!problem,
    'aria-describedby':
      [problem && `${id}-e`, name === 'email' && 'hiwar-en'].filter(Boolean).join(' ') || undefined,
    onInput: (event: Event) => {
      composer[name].value = (event.currentTarget as HTMLInputElement).value;
      composer.clearError(name);
    },
  };
  return (
    <div class="field">
      <label for={id}>
        {t[name]}
        {required && (
          <>
            <span class="req" aria-hidden="true">
              {' *'}
            </span>
            <span class="vh"> {t.required}</span>
          </>
        )}
      </label>
      {name === 'body' ? (
        <textarea {...props} />
      ) : (
        <input {...props} type={type as 'url'} autoComplete={auto} />
      )}
      {problem && (
        <span part="field-error" class="err" id={`${id}-e`}>
          {problemText(t, problem)}
        </span>
      )}
    </div>
  );
});
