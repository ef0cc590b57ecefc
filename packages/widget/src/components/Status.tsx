import { view } from './view.js';

/** The live region saying what just happened: posted, awaiting moderation, saved, deleted. */
export const Status = view((_, { thread, locale }) => {
  const said = thread.announcement.value;
  return (
    <p part="status" role="status" class="ok">
      {said && locale.value.t[said.key]}
    </p>
  );
});
