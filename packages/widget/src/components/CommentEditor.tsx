import type { EditUi } from '../models/edit-slot.js';
import { focusIn, problemText, rootOf } from './context.js';
import { view } from './view.js';

/** Edits one's own comment in place; focus returns to its edit button after. Part of the chunk `edit.ts`. */
export const CommentEditor = view<{ id: string }>(({ id }, { edit: slot, locale }) => {
  const { t } = locale.value;
  const edit = (slot.ui.value as EditUi).model;
  const error = edit.error.value;
  const field = `hiwar-edit-${id}`;
  const back = `[data-edit="${id}"]`;
  return (
    <form
      part="edit-form"
      class="field"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const shadow = rootOf(event);
        focusIn(shadow, (await edit.save()) ? back : `#${field}`);
      }}
    >
      <label for={field}>{t.editLabel}</label>
      <textarea
        id={field}
        dir="auto"
        value={edit.text.value}
        onInput={(event) => {
          edit.text.value = event.currentTarget.value;
        }}
        aria-invalid={!!error}
        aria-describedby={error ? `${field}-e` : undefined}
      />
      {error && (
        <span part="field-error" class="err" id={`${field}-e`}>
          {problemText(t, error)}
        </span>
      )}
      <p class="row">
        <button type="submit" class="btn" aria-disabled={edit.busy.value}>
          {t.save}
        </button>
        <button
          type="button"
          onClick={(event) => {
            focusIn(rootOf(event), back);
            edit.setOpen(null);
          }}
        >
          {t.cancel}
        </button>
      </p>
    </form>
  );
});
