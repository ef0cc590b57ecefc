import type { ThreadSort } from '@hiwar/sdk';
import { view } from './view.js';

/** Oldest or newest first. */
export const SortSelect = view((_, { thread, locale }) => {
  const { t } = locale.value;
  return (
    <div class="row mu">
      <label for="hiwar-sort">{t.sortLabel}</label>
      <select
        id="hiwar-sort"
        part="sort"
        value={thread.sort.value}
        onChange={(e) => thread.setSort(e.currentTarget.value as ThreadSort)}
      >
        <option value="oldest">{t.oldest}</option>
        <option value="newest">{t.newest}</option>
      </select>
    </div>
  );
});
