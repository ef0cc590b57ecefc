import type { Comment } from '@hiwar/sdk';
import { CommentActions } from './CommentActions.js';
import { Composer } from './Composer.js';
import { view } from './view.js';

/** One comment; the reply form opens right under it. */
export const CommentItem = view<{ comment: Comment }>(
  ({ comment: c }, { thread, composer, edit, locale, now, avatarUrl }) => {
    const l = locale.value;
    const { t } = l;
    const lit = thread.highlighted.value === c.id;
    const pending = c.status === 'pending';
    // Set once the chunk for editing one's own comments is loaded.
    const ui = edit.ui.value;
    const editing = ui?.model.open.value;
    const { name, website, moderator } = c.author;
    const parts = ['comment'];
    if (pending) parts.push('pending');
    if (c.deleted) parts.push('deleted');
    if (lit) parts.push('highlighted');
    if (moderator) parts.push('moderator');
    if (c.pinned) parts.push('pinned');

    return (
      <>
        <article part={parts.join(' ')} id={`comment-${c.id}`} tabIndex={-1}>
          {/* A deleted comment is a placeholder: no avatar, no author, no time. */}
          {c.deleted || !c.author.avatar ? (
            <span class="noav" />
          ) : (
            <img
              part="avatar"
              src={avatarUrl(c.author.avatar)}
              alt=""
              width={40}
              height={40}
              loading="lazy"
            />
          )}
          <div>
            {!c.deleted && (
              <p class="row">
                <bdi part="author" class="b" id={`hiwar-by-${c.id}`}>
                  {website && /^https?:\/\//i.test(website) ? (
                    <a href={website} rel="nofollow ugc noopener">
                      {name}
                    </a>
                  ) : (
                    name
                  )}
                </bdi>
                {moderator && <span class="badge">{t.moderator}</span>}
                {c.pinned && <span class="badge">{t.pinned}</span>}
                <a part="permalink" class="time" href={`#comment-${c.id}`}>
                  <time dateTime={c.createdAt} title={l.exact(c.createdAt)}>
                    {l.relative(c.createdAt, now.value)}
                  </time>
                </a>
                {c.editedAt && (
                  <span class="mu" title={l.exact(c.editedAt)}>
                    {t.edited}
                  </span>
                )}
              </p>
            )}
            {c.deleted ? (
              <p part="body" class="mu">
                {t.deleted}
              </p>
            ) : ui && editing?.mode === 'edit' && editing.id === c.id ? (
              <ui.CommentEditor id={c.id} />
            ) : (
              // The server sanitized this HTML when the comment was written.
              <div part="body" class="body" dir="auto" dangerouslySetInnerHTML={{ __html: c.html }} />
            )}
            {pending && !c.deleted && <p class="notice">{t.pending}</p>}
            {!c.deleted && <CommentActions comment={c} />}
          </div>
        </article>
        {composer.replyTo.value?.id === c.id && <Composer />}
      </>
    );
  },
);
