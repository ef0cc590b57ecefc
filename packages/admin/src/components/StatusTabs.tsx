import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import { type QueueModel, TABS } from '../models/queue-model.js';
import { useFormat, useStrings } from './context.js';

/** WordPress's status links with their counts; the counts are also said in a live region. */
export function StatusTabs({ model, onChange }: { model: QueueModel; onChange: () => void }) {
  const t = useStrings({ ar: queueAr, en: queueEn });
  const format = useFormat();
  const counts = model.counts.value;
  const count = (tab: (typeof TABS)[number]) => {
    if (!counts) return null;
    const n = tab === 'all' ? counts.pending + counts.approved + counts.spam : counts[tab];
    return format.number(n);
  };
  return (
    <nav class="tabs" aria-label={t.tabsLabel}>
      <ul>
        {TABS.map((tab) => (
          <li key={tab}>
            <button
              type="button"
              class={`tab tab-${tab}`}
              aria-pressed={model.tab.value === tab}
              onClick={() => {
                if (model.tab.value === tab) return;
                model.tab.value = tab;
                onChange();
              }}
            >
              {t.tabs[tab]} <span class="count">{count(tab) ?? ''}</span>
            </button>
          </li>
        ))}
      </ul>
      <p class="sr-only" aria-live="polite">
        {counts ? t.countsSummary(format.number(counts.pending), format.number(counts.spam)) : ''}
      </p>
    </nav>
  );
}
