import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { errorMessage } from '../i18n/errors.js';
import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import { useApp, useStrings } from './context.js';

interface InlineEditorProps {
  id: string;
  label: string;
  initial: string;
  submitLabel: string;
  onSubmit: (body: string) => Promise<unknown>;
  onCancel: () => void;
}

/** A textarea under a row, for an inline reply or edit; Escape cancels, Ctrl+Enter sends. */
export function InlineEditor({ id, label, initial, submitLabel, onSubmit, onCancel }: InlineEditorProps) {
  const { prefs } = useApp();
  const t = useStrings({ ar: queueAr, en: queueEn });
  const busy = useSignal(false);
  const error = useSignal<unknown>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    const body = ref.current?.value ?? '';
    if (!body.trim()) return;
    busy.value = true;
    try {
      await onSubmit(body);
    } catch (caught) {
      error.value = caught;
    } finally {
      busy.value = false;
    }
  };
  return (
    <form class="inline-editor" onSubmit={submit}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        ref={ref}
        rows={4}
        dir="auto"
        defaultValue={initial}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel();
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
        }}
      />
      {error.value ? (
        <p class="field-error" role="alert">
          {errorMessage(error.value, prefs.lang.value)}
        </p>
      ) : null}
      <div class="row-buttons">
        <button type="submit" class="primary" disabled={busy.value}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
