import type { Comment } from '@hiwar/sdk';
import { focusIn, rootOf } from './context.js';
import { view } from './view.js';

/**
 * Reply; and, on one's own comment inside the window, edit and delete (OwnActions,
 * from the chunk `edit.ts`, loaded here the first time such a comment is shown).
 */
export const CommentActions = view<{ comment: Comment }>(
  ({ comment: c }, { thread, composer, edit, locale }) => {
    const left = edit.msLeft(c.id);
    const ui = edit.ui.value;
    if (left > 0) edit.load();
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
            {locale.value.t.reply}
          </button>
        )}
        {ui && <ui.OwnActions comment={c} left={left} />}
      </div>
    );
  },
);
