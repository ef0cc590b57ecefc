import type { AdminComment, BanDuration, BanKind } from '@hiwar/protocol';
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { errorMessage } from '../i18n/errors.js';
import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import { createCommenterModel } from '../models/commenter-model.js';
import { useApp, useFormat, useStrings } from './context.js';
import { Modal } from './Modal.js';
import { Time } from './Time.js';

const KINDS: BanKind[] = ['email', 'ip', 'name'];
const DURATIONS: BanDuration[] = ['day', 'week', 'month', 'forever'];
const STATUSES = ['pending', 'approved', 'spam', 'deleted'] as const;

/**
 * The author of a comment: their email and website, counts per status, what they
 * wrote on the site, the bans that match them, a form to ban (by email, IP or
 * name; a day, a week, a month or for good; refuse or always hold) and lifting.
 */
export function CommenterPanel({ comment, onClose }: { comment: AdminComment; onClose: () => void }) {
  const { api, prefs, toasts } = useApp();
  const t = useStrings({ ar: queueAr, en: queueEn });
  const format = useFormat();
  const model = useMemo(() => createCommenterModel(() => api.client.value, comment.id), [comment.id]);
  useEffect(() => void model.load(), [model]);
  const kind = useSignal<BanKind>(comment.author.email ? 'email' : 'name');
  const duration = useSignal<BanDuration>('week');
  const hold = useSignal(false);
  const busy = useSignal(false);
  const actionError = useSignal<unknown>(null);
  const data = model.data.value;
  const author = data?.author ?? comment.author;
  const now = Date.now();

  const run = async (work: () => Promise<void>, done: string) => {
    busy.value = true;
    actionError.value = null;
    try {
      await work();
      toasts.show({ text: done });
    } catch (caught) {
      actionError.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <Modal labelledBy="commenter-title" onClose={onClose} class="panel">
      <div class="modal-head">
        <img class="avatar big" src={author.avatar} alt="" width={56} height={56} />
        <div>
          <p class="eyebrow">{t.panelTitle}</p>
          <h2 id="commenter-title">
            <bdi>{author.name}</bdi>
          </h2>
        </div>
        <button type="button" class="icon" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </div>
      <dl class="facts">
        <div>
          <dt>{t.email}</dt>
          <dd dir="ltr">{author.email ?? t.noEmail}</dd>
        </div>
        {author.website && (
          <div>
            <dt>{t.website}</dt>
            <dd dir="ltr">
              <a href={author.website} rel="nofollow noopener noreferrer ugc" target="_blank">
                {author.website}
              </a>
            </dd>
          </div>
        )}
      </dl>
      {model.error.value ? (
        <p class="alert" role="alert">
          {errorMessage(model.error.value, prefs.lang.value)}
        </p>
      ) : null}
      {data && (
        <ul class="counts" aria-label={t.tabsLabel}>
          {STATUSES.map((status) => (
            <li key={status}>
              <span class="count-n">{format.number(data.counts[status])}</span> {t.tabs[status]}
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="bans-title">
        <h3 id="bans-title">{t.bans}</h3>
        {data && data.bans.length === 0 && <p class="muted">{t.noBans}</p>}
        <ul class="bans">
          {data?.bans.map((ban) => (
            <li key={ban.id}>
              <span>
                {t.banKinds[ban.kind]}: <bdi dir="auto">{ban.label}</bdi>
                {ban.effect === 'hold' && <span class="badge">{t.holdBadge}</span>}{' '}
                <span class="muted">{ban.expiresAt ? t.until(format.exact(ban.expiresAt)) : t.forever}</span>
              </span>
              <button
                type="button"
                disabled={busy.value}
                onClick={() => run(() => model.lift(ban.id), t.lifted)}
              >
                {t.lift}
              </button>
            </li>
          ))}
        </ul>
      </section>

      <form
        class="ban-form"
        aria-labelledby="ban-title"
        onSubmit={(event) => {
          event.preventDefault();
          const reason = (new FormData(event.currentTarget).get('reason') as string | null)?.trim();
          void run(
            () =>
              model.ban({
                kind: kind.value,
                duration: duration.value,
                effect: hold.value ? 'hold' : 'ban',
                ...(reason ? { reason } : {}),
              }),
            t.banned,
          );
        }}
      >
        <h3 id="ban-title">{t.banTitle}</h3>
        <fieldset>
          <legend>{t.banBy}</legend>
          {KINDS.map((value) => (
            <label key={value} class="check">
              <input
                type="radio"
                name="kind"
                value={value}
                checked={kind.value === value}
                disabled={value === 'email' && !comment.author.email}
                onChange={() => (kind.value = value)}
              />
              {t.banKinds[value]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t.duration}</legend>
          {DURATIONS.map((value) => (
            <label key={value} class="check">
              <input
                type="radio"
                name="duration"
                value={value}
                checked={duration.value === value}
                onChange={() => (duration.value = value)}
              />
              {t.durations[value]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t.effect}</legend>
          <label class="check">
            <input type="radio" name="effect" checked={!hold.value} onChange={() => (hold.value = false)} />
            {t.effectBan}
          </label>
          <label class="check">
            <input type="radio" name="effect" checked={hold.value} onChange={() => (hold.value = true)} />
            {t.effectHold}
          </label>
        </fieldset>
        <label for="ban-reason">{t.reason}</label>
        <input id="ban-reason" name="reason" maxLength={500} dir="auto" />
        {actionError.value ? (
          <p class="field-error" role="alert">
            {errorMessage(actionError.value, prefs.lang.value)}
          </p>
        ) : null}
        <button type="submit" class="danger" disabled={busy.value}>
          {t.banButton}
        </button>
      </form>

      {data && (
        <section aria-labelledby="history-title">
          <h3 id="history-title">{t.history}</h3>
          <ol class="history">
            {data.comments.map((c) => (
              <li key={c.id}>
                <p class="row-meta">
                  <span class="status-badge">{t.statusBadge[c.status]}</span>
                  <Time iso={c.createdAt} now={now} />
                  <bdi class="muted">{c.thread.title || c.thread.url || t.untitled}</bdi>
                </p>
                <div class="body" dir="auto" dangerouslySetInnerHTML={{ __html: c.html }} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </Modal>
  );
}
