import { useFormat } from './context.js';

/**
 * «قبل 5 دقائق», with the exact date and time on hover. `now` may be a signal: then
 * only the time re-renders as it ticks, not the row around it.
 */
export function Time({ iso, now }: { iso: string; now: number | { value: number } }) {
  const format = useFormat();
  return (
    <time dateTime={iso} title={format.exact(iso)}>
      {format.relative(iso, typeof now === 'number' ? now : now.value)}
    </time>
  );
}
