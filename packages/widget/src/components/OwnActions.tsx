import type { Comment } from '@hiwar/sdk';
import type { EditUi } from '../models/edit-slot.js';
import { focusIn, problemText, rootOf } from './context.js';
import { view } from './view.js';

/**
 * On one's own comment: edit, delete and the time left while the window is open, or
 * the question before deleting. Part of the chunk `edit.ts`; drawn by CommentActions.
 */
export const OwnActions = view<{ comment: Comment; left: number }>(
  ({ comment: c, left }, { edit, locale }) => {
    const l = locale.value;
    const { t } = l;
    const m = (edit.ui.value as EditUi).model;
    const open = m.open.value;
    const error = m.error.value;
    const toggle = (event: Event, mode: 'edit' | 'delete' | null, focus: string) => {
      m.setOpen(mode && c.id, mode ?? undefined);
      focusIn(rootOf(event), focus);
    };
    if (left > 0 && !open) {
      return (
        <>
          <button type="button" data-edit={c.id} onClick={(e) => toggle(e, 'edit', `#hiwar-edit-${c.id}`)}>
            {t.edit}
          </button>
          <button
            type="button"
            data-delete={c.id}
            onClick={(e) => toggle(e, 'delete', `[data-confirm="${c.id}"]`)}
          >
            {t.delete}
          </button>
          <span class="mu">{l.editWindow(left)}</span>
        </>
      );
    }
    return (
      open?.id === c.id &&
      open.mode === 'delete' && (
        <>
          {t.confirmDelete}
          <button
            type="button"
            class="err"
            data-confirm={c.id}
            aria-disabled={m.busy.value}
            onClick={m.remove}
          >
            {t.yesDelete}
          </button>
          <button type="button" onClick={(e) => toggle(e, null, `[data-delete="${c.id}"]`)}>
            {t.cancel}
          </button>
          {error && (
            <span part="error" role="alert" class="err">
              {problemText(t, error)}
            </span>
          )}
        </>
      )
    );
  },
);
