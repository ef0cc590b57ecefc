import { focusIn, rootOf } from './context.js';
import { LoadError } from './LoadError.js';
import { view } from './view.js';

/**
 * The next page of top-level comments (no `root`) or of the replies to the
 * top-level comment `root`; focus moves to the first comment it brought.
 */
export const LoadMore = view<{ root?: string }>(({ root = '' }, { thread, locale }) => {
  const { t } = locale.value;
  const { busy, error } = thread.paging.value[root] ?? {};
  // The comments this paging adds to: top-level ones, or the replies of `root`.
  const list = () =>
    root
      ? (thread.nodes.value.find((n) => n.comment.id === root)?.replies ?? [])
      : thread.nodes.value.map((n) => n.comment);
  const more = async (event: Event) => {
    const shadow = rootOf(event);
    const before = list().length;
    const first = (await thread.loadPage(root)) && list()[before];
    if (first) focusIn(shadow, `#comment-${first.id}`);
  };
  if (error) return <LoadError error={error} retry={more} />;
  return (
    <p class="more">
      <button type="button" part={root ? 'load-replies' : 'load-more'} aria-disabled={busy} onClick={more}>
        {root ? t.loadReplies : t.loadMore}
      </button>
    </p>
  );
});
