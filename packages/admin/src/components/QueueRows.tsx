import { useEffect, useRef } from 'preact/hooks';
import type { QueueModel } from '../models/queue-model.js';
import { QueueRow, type RowHandlers } from './QueueRow.js';

/** How near the end of the list (in pixels, below the window) the next page is fetched. */
const END_MARGIN_PX = 600;

interface QueueRowsProps {
  model: QueueModel;
  now: { value: number };
  handlers: RowHandlers;
  label: string;
}

/**
 * The queue's list: its rows, and the next page fetched as the end of the list nears
 * the window. Every loaded row stays in the document (find in page, screen readers
 * and the keyboard reach them all); the rows' `content-visibility: auto` spares the
 * browser the style, layout and paint of those out of view, so that with 1 000 rows
 * only the twenty or so near the window are drawn (`pnpm bench:admin-ui` measures it).
 */
export function QueueRows({ model, now, handlers, label }: QueueRowsProps) {
  const loading = model.loading.value;
  const sentinel = useRef<HTMLLIElement>(null);

  useEffect(() => {
    const end = sentinel.current;
    if (!end || typeof IntersectionObserver === 'undefined') return;
    let stopped = false;
    const near = () => end.getBoundingClientRect().top < window.innerHeight + END_MARGIN_PX;
    const more = async () => {
      if (stopped || model.loadingMore.peek() || model.nextCursor.peek() === null) return;
      try {
        await model.loadMore();
      } catch {
        return;
      }
      // The observer speaks only when the end enters or leaves the margin: when the new
      // page leaves it in view (a tall window, a jump to the bottom), nothing else would
      // ask for the next one. So look again once the page has been drawn.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      if (near()) void more();
    };
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void more();
      },
      { rootMargin: `${END_MARGIN_PX}px` },
    );
    observer.observe(end);
    return () => {
      stopped = true;
      observer.disconnect();
    };
  }, [model, loading]);

  return (
    <ol class={loading ? 'rows stale' : 'rows'} aria-label={label}>
      {model.comments.value.map((comment) => (
        <QueueRow key={comment.id} comment={comment} model={model} now={now} handlers={handlers} />
      ))}
      <li ref={sentinel} class="sentinel" aria-hidden="true" />
    </ol>
  );
}
