import type { AdminComment, ModerationAction } from '@hiwar/protocol';
import { computed, useComputed } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import type { QueueModel } from '../models/queue-model.js';
import { rowActions } from './actions.js';
import { useStrings } from './context.js';
import { InlineEditor } from './InlineEditor.js';
import { memo } from './memo.js';
import { Time } from './Time.js';

export interface RowHandlers {
  act(action: ModerationAction, ids: string[]): Promise<void>;
  reply(comment: AdminComment, body: string): Promise<unknown>;
  edit(comment: AdminComment, body: string): Promise<unknown>;
  toggleThread(comment: AdminComment): void;
  openCommenter(comment: AdminComment): void;
  filterThread(comment: AdminComment): void;
}

interface QueueRowProps {
  comment: AdminComment;
  model: QueueModel;
  /** The clock the relative times follow (a signal: rows do not re-render as it ticks). */
  now: { value: number };
  handlers: RowHandlers;
}

/**
 * One comment of the queue: checkbox, author (opening the commenter panel), email,
 * website and identicon, its page and the comment it answers, the text, the time,
 * and its actions. Re-renders only when its own comment changes or an editor opens
 * on it: selection, focus and "busy" are signals bound to the DOM, so selecting all of
 * 1 000 rows or moving the focus sets a class and a checkbox, not 1 000 renders.
 */
export const QueueRow = memo(function QueueRow({ comment, model, now, handlers }: QueueRowProps) {
  const t = useStrings({ ar: queueAr, en: queueEn });
  const { id, status } = comment;
  const bound = useMemo(() => {
    const selected = computed(() => model.selected.value.has(id));
    const focused = computed(() => model.focused.value === id);
    const busy = computed(() => model.pending.value.has(id));
    return {
      selected,
      busy,
      ariaBusy: computed(() => busy.value || undefined),
      cls: computed(() =>
        [
          'row',
          `status-${status}`,
          selected.value && 'selected',
          focused.value && 'focused',
          busy.value && 'busy',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    };
  }, [model, id, status]);
  const replying = useComputed(() => model.replying.value === id).value;
  const editing = useComputed(() => model.editing.value === id).value;
  const { author, thread } = comment;
  const title = thread.title || thread.url || t.untitled;
  const busy = bound.busy;
  return (
    <li
      id={`c-${id}`}
      class={bound.cls}
      tabIndex={-1}
      aria-busy={bound.ariaBusy}
      onFocusIn={() => {
        if (model.focused.peek() !== comment.id) model.focused.value = comment.id;
      }}
    >
      <div class="row-check">
        <input
          type="checkbox"
          id={`s-${comment.id}`}
          checked={bound.selected}
          aria-label={t.select(author.name)}
          onChange={() => model.toggle(comment.id)}
        />
      </div>
      <div class="row-author">
        {/* `loading` before `src`: set the other way round, the image is fetched at once. */}
        <img class="avatar" loading="lazy" src={author.avatar} alt="" width={40} height={40} />
        <div class="author-lines">
          <button type="button" class="author-name link" onClick={() => handlers.openCommenter(comment)}>
            <bdi>{author.name}</bdi>
          </button>
          {author.moderator && <span class="badge mod">{t.moderatorBadge}</span>}
          {author.email && (
            <a class="author-email" href={`mailto:${author.email}`} dir="ltr">
              {author.email}
            </a>
          )}
          {author.website && (
            <a
              class="author-site"
              href={author.website}
              rel="nofollow noopener noreferrer ugc"
              target="_blank"
              dir="ltr"
            >
              {author.website.replace(/^https?:\/\//, '')}
            </a>
          )}
        </div>
      </div>
      <div class="row-main">
        <p class="row-meta">
          <span class="status-badge">{t.statusBadge[comment.status]}</span>
          <Time iso={comment.createdAt} now={now} />
          {comment.editedAt && <span class="muted">{t.editedBadge}</span>}
          {comment.pinned && <span class="badge">{t.pinnedBadge}</span>}
          <span class="on">
            {t.onThread}{' '}
            <button
              type="button"
              class="link thread-title"
              title={t.filterThread(title)}
              onClick={() => handlers.filterThread(comment)}
            >
              <bdi>{title}</bdi>
            </button>
            {thread.url && (
              <a class="view" href={thread.url} target="_blank" rel="noopener noreferrer">
                {t.viewPage}
              </a>
            )}
            {thread.closed && <span class="badge closed">{t.closedBadge}</span>}
          </span>
        </p>
        {comment.parent && (
          <p class="in-reply">
            {t.inReplyTo} <bdi class="parent-author">{comment.parent.authorName}</bdi>:{' '}
            <q dir="auto">{comment.parent.excerpt}</q>
          </p>
        )}
        {editing ? (
          <InlineEditor
            id={`edit-${comment.id}`}
            label={t.editLabel}
            initial={comment.markdown}
            submitLabel={t.save}
            onSubmit={(body) => handlers.edit(comment, body)}
            onCancel={() => (model.editing.value = null)}
          />
        ) : (
          // The server renders and sanitizes comment HTML (the widget shows the same).
          <div class="body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.html }} />
        )}
        <fieldset class="row-buttons">
          <legend class="sr-only">{t.rowActions(author.name)}</legend>
          {rowActions(comment.status).map((action) => (
            <button
              key={action}
              type="button"
              class={`act act-${action}`}
              disabled={busy}
              onClick={() => void handlers.act(action, [comment.id])}
            >
              {t.actions[action]}
            </button>
          ))}
          {comment.status !== 'deleted' && comment.status !== 'spam' && (
            <>
              <button type="button" class="act" onClick={() => (model.replying.value = comment.id)}>
                {t.reply}
              </button>
              <button type="button" class="act" onClick={() => (model.editing.value = comment.id)}>
                {t.edit}
              </button>
            </>
          )}
          {comment.status === 'approved' && comment.parentId === null && (
            <button
              type="button"
              class="act"
              disabled={busy}
              onClick={() => void handlers.act(comment.pinned ? 'unpin' : 'pin', [comment.id])}
            >
              {t.actions[comment.pinned ? 'unpin' : 'pin']}
            </button>
          )}
          <button type="button" class="act" onClick={() => handlers.toggleThread(comment)}>
            {thread.closed ? t.openThread : t.closeThread}
          </button>
        </fieldset>
        {replying && (
          <InlineEditor
            id={`reply-${comment.id}`}
            label={t.replyLabel(author.name)}
            initial=""
            submitLabel={t.sendReply}
            onSubmit={(body) => handlers.reply(comment, body)}
            onCancel={() => (model.replying.value = null)}
          />
        )}
      </div>
    </li>
  );
});
