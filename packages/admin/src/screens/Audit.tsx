import type { AuditEntry } from '@hiwar/protocol';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useApp, useFormat, useStrings } from '../components/context.js';
import { auditAr } from '../i18n/audit.ar.js';
import { auditEn } from '../i18n/audit.en.js';
import { createAuditModel } from '../models/audit.js';
import { AuditChanges } from './AuditChanges.js';
import { LoadFailed, Loading } from './LoadFailed.js';
import '../styles/screens.css';

/** The audit log, newest first: who did what, when, and what it changed; by site, a page at a time. */
export function Audit() {
  const { api } = useApp();
  const t = useStrings({ ar: auditAr, en: auditEn });
  const model = useMemo(() => createAuditModel(api.client.value), [api.client.value]);
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    void model.load();
  }, [model]);

  const entries = model.entries.value;
  const more = async () => {
    const count = model.entries.peek().length;
    await model.more();
    // The first new entry takes the focus, so a keyboard reader goes on from there.
    listRef.current?.querySelectorAll<HTMLElement>(':scope > li')[count]?.focus();
  };

  return (
    <section class="screen" aria-labelledby="audit-title">
      <h1 id="audit-title">{t.title}</h1>
      <div class="field inline">
        <label for="audit-site">{t.filter}</label>
        <select
          id="audit-site"
          value={model.site.value}
          onChange={(e) => void model.setSite(e.currentTarget.value)}
        >
          <option value="">{t.allSites}</option>
          {model.sites.value.map((site) => (
            <option key={site} value={site}>
              {site}
            </option>
          ))}
        </select>
      </div>
      {model.error.value && entries.length === 0 ? (
        <LoadFailed error={model.error.value} retry={() => model.reload()} />
      ) : (
        <>
          {!model.loaded.value && <Loading />}
          {model.loaded.value && entries.length === 0 && <p class="muted">{t.empty}</p>}
          <ol class="list audit" aria-label={t.listCaption} ref={listRef}>
            {entries.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </ol>
          {model.error.value && <LoadFailed error={model.error.value} retry={() => void more()} />}
          <div class="form-actions" aria-live="polite">
            {model.nextCursor.value ? (
              <button type="button" onClick={() => void more()} disabled={model.loading.value}>
                {model.loading.value ? t.loadingMore : t.more}
              </button>
            ) : (
              model.loaded.value && entries.length > 0 && <p class="muted">{t.end}</p>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const t = useStrings({ ar: auditAr, en: auditEn });
  const format = useFormat();
  const action = t.actions[entry.action];
  const name = nameOf(entry);
  const target =
    entry.targetType && entry.targetId && entry.action !== 'session.login'
      ? (t.targets[entry.targetType]?.(name ?? entry.targetId) ??
        `${entry.targetType} ${name ?? entry.targetId}`)
      : null;
  return (
    <li class="item" tabIndex={-1}>
      <p class="audit-line">
        <strong dir="auto">{entry.actor ?? t.cli}</strong>{' '}
        <span>{action ?? <code dir="ltr">{entry.action}</code>}</span>
        {target && (
          <>
            {' '}
            <span class="muted">
              <bdi>{target}</bdi>
            </span>
          </>
        )}
        {entry.siteId && entry.targetType !== 'site' && (
          <span class="badge" dir="ltr">
            {entry.siteId}
          </span>
        )}
      </p>
      <p class="muted audit-when">
        <time dateTime={entry.at} title={format.exact(entry.at)}>
          {format.exact(entry.at)}
        </time>
      </p>
      <AuditChanges entry={entry} />
    </li>
  );
}

/** A user's or a token's name from the entry, to say which rather than a number. */
function nameOf(entry: AuditEntry): string | undefined {
  for (const side of [entry.after, entry.before]) {
    if (side && typeof side === 'object') {
      const { username, name } = side as { username?: unknown; name?: unknown };
      if (typeof username === 'string') return username;
      if (typeof name === 'string') return name;
    }
  }
  return undefined;
}
