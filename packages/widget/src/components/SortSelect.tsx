import type { ThreadSort } from '@hiwar/sdk';
import { useWidget } from './context.js';

/** Oldest or newest first. */
export function SortSelect() {
  const { thread, locale } = useWidget();
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
}
