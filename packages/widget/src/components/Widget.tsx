import { CommentList } from './CommentList.js';
import { Composer } from './Composer.js';
import { LoadError } from './LoadError.js';
import { LoadMore } from './LoadMore.js';
import { SortSelect } from './SortSelect.js';
import { Status } from './Status.js';
import { view } from './view.js';

/** The whole widget: heading and order, the thread and its paging, the form. */
export const Widget = view((_, { thread, composer, locale, theme }) => {
  const l = locale.value;
  const { t } = l;
  const state = thread.state.value;
  const info = thread.thread.value;
  return (
    <section
      part="root"
      class="root"
      dir={l.dir}
      lang={l.lang}
      data-theme={theme.value}
      aria-labelledby="hiwar-h"
      aria-busy={state === 'loading'}
    >
      <div class="bar">
        <h2 part="heading" id="hiwar-h">
          {info ? l.count(info.commentCount) : t.heading}
        </h2>
        {info && <SortSelect />}
      </div>
      {state === 'error' && <LoadError error={thread.error.value} retry={thread.load} />}
      {!info && state === 'loading' && <p class="mu">{t.loading}</p>}
      {info && <CommentList nodes={thread.nodes.value} />}
      {info && thread.nextCursor.value && <LoadMore />}
      <Status />
      {info &&
        (info.closed ? (
          <p part="closed" class="notice">
            {t.closed}
          </p>
        ) : (
          !composer.replyTo.value && <Composer />
        ))}
    </section>
  );
});
