import type { Comment } from '@hiwar/sdk';
import { focusIn, problemText, rootOf } from './context.js';
import { view } from './view.js';

/** Reply; and, on one's own comment inside the window: edit, delete and the time left. */
export const CommentActions = view<{ comment: Comment }>(
  ({ comment: c }, { thread, composer, edit, locale }) => {
    const l = locale.value;
    const { t } = l;
    const left = edit.msLeft(c.id);
    const open = edit.open.value;
    const asking = open?.id === c.id && open.mode === 'delete';
    const error = edit.error.value;
    const toggle = (event: Event, mode: 'edit' | 'delete' | null, focus: string) => {
      edit.setOpen(mode && c.id, mode ?? undefined);
      focusIn(rootOf(event), focus);
    };
    return (
      <div class="row">
        {c.status === 'approved' && !thread.thread.value?.closed && (
          <button
            type="button"
            data-reply={c.id}
            aria-describedby={`hiwar-by-${c.id}`}
            onClick={(event) => {
              composer.setReplyTo(c);
              focusIn(rootOf(event), '#hiwar-body');
            }}
          >
            {t.reply}
          </button>
        )}
        {left > 0 && !open && (
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
        )}
        {asking && (
          <>
            {t.confirmDelete}
            <button
              type="button"
              class="err"
              data-confirm={c.id}
              aria-disabled={edit.busy.value}
              onClick={edit.remove}
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
        )}
      </div>
    );
  },
);
