import { useWidget } from './context.js';

/** The live region saying what just happened: posted, awaiting moderation, saved, deleted. */
export function Status() {
  const { thread, locale } = useWidget();
  const said = thread.announcement.value;
  return (
    <p part="status" role="status" class="ok">
      {said && locale.value.t[said.key]}
    </p>
  );
}
