import type { AuditEntry } from '@hiwar/protocol';
import { useStrings } from '../components/context.js';
import { auditAr } from '../i18n/audit.ar.js';
import { auditEn } from '../i18n/audit.en.js';
import { changesOf, listDiff } from '../models/audit.js';

type Messages = typeof auditAr;

/** What an entry changed, one line a field: «الحالة: في انتظار المراجعة ← موافق عليه». */
export function AuditChanges({ entry }: { entry: Pick<AuditEntry, 'before' | 'after'> }) {
  const t = useStrings({ ar: auditAr, en: auditEn });
  const changes = changesOf(entry);
  if (changes.length === 0) return null;
  return (
    <dl class="changes">
      {changes.map((change) => {
        const lists = listDiff(change.before, change.after);
        return (
          <div key={change.key}>
            <dt>{t.fields[change.key] ?? change.key}</dt>
            <dd>
              {lists ? (
                <ListChange added={lists.added} removed={lists.removed} t={t} field={change.key} />
              ) : 'before' in change && 'after' in change ? (
                <>
                  <Value value={change.before} t={t} field={change.key} class="before" />{' '}
                  <span aria-hidden="true" class="arrow">
                    {t.arrow}
                  </span>
                  <span class="visually-hidden">{t.to}</span>{' '}
                  <Value value={change.after} t={t} field={change.key} class="after" />
                </>
              ) : (
                <Value value={'after' in change ? change.after : change.before} t={t} field={change.key} />
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function ListChange({
  added,
  removed,
  t,
  field,
}: {
  added: unknown[];
  removed: unknown[];
  t: Messages;
  field: string;
}) {
  return (
    <>
      {added.length > 0 && (
        <span class="list-added">
          {t.added}: <Value value={added} t={t} field={field} />
        </span>
      )}
      {added.length > 0 && removed.length > 0 && t.separator}
      {removed.length > 0 && (
        <span class="list-removed">
          {t.removed}: <Value value={removed} t={t} field={field} />
        </span>
      )}
    </>
  );
}

/** Fields whose values are words of the contract (a status, a role…), shown translated; others as written. */
const WORDS = new Set([
  'status',
  'statusBeforeDelete',
  'role',
  'moderation',
  'kind',
  'effect',
  'duration',
  'lang',
]);

function Value(props: { value: unknown; t: Messages; field: string; class?: string }) {
  const words = props.t.fieldValues[props.field] ?? (WORDS.has(props.field) ? props.t.values : undefined);
  return <bdi class={`value ${props.class ?? ''}`}>{text(props.value, props.t, words)}</bdi>;
}

function text(value: unknown, t: Messages, words: Record<string, string> | undefined): string {
  if (value === null || value === undefined || value === '') return t.empty_value;
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (typeof value === 'string') return words?.[value] ?? value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? t.empty_value : value.map((v) => text(v, t, words)).join(t.joiner);
  return JSON.stringify(value);
}
