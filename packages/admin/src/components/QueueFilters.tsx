import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import type { QueueModel } from '../models/queue-model.js';
import { useStrings } from './context.js';

/** Site, search, author and dates; the thread picked from a row shows as a chip. */
export function QueueFilters({ model, onChange }: { model: QueueModel; onChange: () => void }) {
  const t = useStrings({ ar: queueAr, en: queueEn });
  const filters = model.filters.value;
  const sites = model.sites.value;
  const thread = filters.thread;
  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    model.filters.value = {
      ...model.filters.value,
      q: value('q'),
      author: value('author'),
      from: value('from'),
      to: value('to'),
    };
    onChange();
  };
  const any = filters.q || filters.author || filters.from || filters.to || filters.thread || filters.site;
  return (
    <form class="filters" aria-label={t.filtersLabel} onSubmit={apply}>
      {sites.length > 1 && (
        <div class="field">
          <label for="f-site">{t.site}</label>
          <select
            id="f-site"
            value={filters.site ?? ''}
            onChange={(event) => {
              const site = event.currentTarget.value || undefined;
              model.filters.value = { ...model.filters.value, site, thread: undefined };
              onChange();
            }}
          >
            <option value="">{t.allSites}</option>
            {sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.id}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field grow">
        <label for="f-q">{t.search}</label>
        <input id="f-q" name="q" type="search" defaultValue={filters.q ?? ''} maxLength={200} dir="auto" />
      </div>
      <div class="field">
        <label for="f-author">{t.author}</label>
        <input id="f-author" name="author" defaultValue={filters.author ?? ''} dir="auto" />
      </div>
      <div class="field">
        <label for="f-from">{t.from}</label>
        <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ''} />
      </div>
      <div class="field">
        <label for="f-to">{t.to}</label>
        <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ''} />
      </div>
      <div class="field buttons">
        <button type="submit" class="primary">
          {t.searchButton}
        </button>
        {any && (
          <button
            type="reset"
            onClick={(event) => {
              event.preventDefault();
              const form = (event.currentTarget as HTMLButtonElement).form;
              form?.reset();
              for (const input of form?.querySelectorAll('input') ?? []) input.value = '';
              model.filters.value = {};
              onChange();
            }}
          >
            {t.clearFilters}
          </button>
        )}
      </div>
      {thread && (
        <p class="chip">
          {t.thread}: <bdi>{thread.title}</bdi>
          <button
            type="button"
            class="icon"
            aria-label={t.clearThread(thread.title)}
            onClick={() => {
              model.filters.value = { ...model.filters.value, thread: undefined };
              onChange();
            }}
          >
            ×
          </button>
        </p>
      )}
    </form>
  );
}
