import { useFormat } from './context.js';

/** «قبل 5 دقائق», with the exact date and time on hover. */
export function Time({ iso, now }: { iso: string; now: number }) {
  const format = useFormat();
  return (
    <time dateTime={iso} title={format.exact(iso)}>
      {format.relative(iso, now)}
    </time>
  );
}
