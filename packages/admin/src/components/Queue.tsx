import type { ActionResult, AdminComment, ModerationAction } from '@hiwar/protocol';
import { useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { errorMessage } from '../i18n/errors.js';
import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import { shellAr } from '../i18n/shell.ar.js';
import { shellEn } from '../i18n/shell.en.js';
import { createQueueModel } from '../models/queue-model.js';
import { bulkActions } from './actions.js';
import { CommenterPanel } from './CommenterPanel.js';
import { useApp, useFormat, useStrings } from './context.js';
import { HelpDialog } from './HelpDialog.js';
import { QueueFilters } from './QueueFilters.js';
import type { RowHandlers } from './QueueRow.js';
import { QueueRows } from './QueueRows.js';
import { StatusTabs } from './StatusTabs.js';

/** How often the counts and the newest page are fetched again while the tab is visible. */
const POLL_MS = 20_000;

const KEY_ACTIONS: Record<string, ModerationAction> = {
  a: 'approve',
  u: 'unapprove',
  s: 'spam',
  d: 'delete',
};

/**
 * The moderation queue: status tabs with counts, filters, bulk actions, the rows,
 * "load more" (and more as the end scrolls into view), keyboard shortcuts, undo,
 * the commenter panel and the help dialog. Refreshes itself every 20 s while the
 * browser tab is visible.
 */
export function Queue() {
  const { api, prefs, toasts } = useApp();
  const t = useStrings({ ar: queueAr, en: queueEn });
  const shell = useStrings({ ar: shellAr, en: shellEn });
  const format = useFormat();
  const model = useMemo(() => createQueueModel({ client: () => api.client.value }), [api]);
  const now = useSignal(Date.now());
  const help = useSignal(false);
  const commenter = useSignal<AdminComment | null>(null);
  const last = useRef<ActionResult | null>(null);
  const lang = prefs.lang.value;
  const tRef = useRef(t);
  tRef.current = t;

  const countText = (n: number) => {
    const forms = tRef.current.comments;
    const rule = new Intl.PluralRules(lang).select(n);
    return forms[rule].replace('{n}', format.number(n));
  };

  const fail = (error: unknown) => toasts.show({ text: errorMessage(error, prefs.lang.peek()), error: true });

  const undo = async () => {
    const result = last.current;
    if (!result) return;
    last.current = null;
    try {
      await model.undo(result);
      toasts.show({ text: tRef.current.undone });
    } catch (error) {
      fail(error);
    }
  };

  const handlers: RowHandlers = useMemo(
    () => ({
      async act(action, ids) {
        if (!ids.length) return;
        try {
          const result = await model.act(action, ids);
          last.current = result;
          const changed = result.previous.length;
          const skipped = ids.length - changed;
          const text = `${tRef.current.done[action]} ${countText(changed)}${
            skipped > 0 ? ` ${tRef.current.skipped(format.number(skipped))}` : ''
          }`;
          toasts.show(
            changed ? { text, action: { label: tRef.current.undo, run: () => void undo() } } : { text },
          );
        } catch (error) {
          fail(error);
        }
      },
      async reply(comment, body) {
        await model.reply(comment.id, body);
        toasts.show({ text: tRef.current.replied });
      },
      async edit(comment, body) {
        await model.edit(comment.id, body);
        toasts.show({ text: tRef.current.saved });
      },
      async toggleThread(comment) {
        try {
          await model.setThreadClosed(comment, !comment.thread.closed);
          toasts.show({
            text: comment.thread.closed ? tRef.current.threadOpened : tRef.current.threadClosed,
          });
        } catch (error) {
          fail(error);
        }
      },
      openCommenter(comment) {
        commenter.value = comment;
      },
      filterThread(comment) {
        const title = comment.thread.title || comment.thread.url || tRef.current.untitled;
        model.filters.value = { ...model.filters.value, thread: { id: comment.thread.id, title } };
        void model.load();
      },
    }),
    [model, lang],
  );

  // First load (asked for before the first paint, not after it), and the polling that
  // pauses while the browser tab is hidden.
  useLayoutEffect(() => {
    void model.load();
    void model.loadSites().catch(() => undefined);
    const tick = () => {
      now.value = Date.now();
      if (document.visibilityState === 'visible') void model.refresh().catch(() => undefined);
    };
    const timer = setInterval(tick, POLL_MS);
    const onVisible = () => document.visibilityState === 'visible' && tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [model]);

  // The keyboard shortcuts, unless turned off, typing, or a dialog is open.
  useEffect(() => {
    const focusRow = () => {
      const id = model.focused.peek();
      const row = id ? document.getElementById(`c-${id}`) : null;
      row?.focus({ preventScroll: true });
      row?.scrollIntoView({ block: 'nearest' });
    };
    const onKey = (event: KeyboardEvent) => {
      if (!prefs.shortcuts.peek() || event.ctrlKey || event.metaKey || event.altKey) return;
      if (help.peek() || commenter.peek() || document.querySelector('dialog[open]')) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      const key = event.key;
      const focused = model.focused.peek();
      const action = KEY_ACTIONS[key];
      if (key === 'j' || key === 'k') {
        model.move(key === 'j' ? 1 : -1);
        focusRow();
      } else if (key === 'x' && focused) {
        model.toggle(focused);
      } else if (action) {
        void handlers.act(action, model.targets()).then(focusRow);
      } else if (key === 'r' && focused) {
        model.replying.value = focused;
      } else if (key === 'e' && focused) {
        model.editing.value = focused;
      } else if (key === 'z') {
        void undo();
      } else if (key === '?') {
        help.value = true;
      } else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [model, handlers]);

  const comments = model.comments.value;
  const selectedCount = model.selected.value.size;
  const error = model.error.value;
  return (
    <div class="queue">
      <div class="queue-head">
        <h1>{t.title}</h1>
        <button type="button" class="help-button" onClick={() => (help.value = true)} aria-keyshortcuts="?">
          {t.helpButton} <kbd>?</kbd>
        </button>
      </div>
      <StatusTabs model={model} onChange={() => void model.load()} />
      <QueueFilters model={model} onChange={() => void model.load()} />
      <fieldset class="bulk">
        <legend class="sr-only">{t.bulkLabel}</legend>
        <label class="check">
          <input
            type="checkbox"
            id="select-all"
            checked={model.allSelected.value}
            disabled={!comments.length}
            onChange={(event) => model.selectAll(event.currentTarget.checked)}
          />
          {t.selectAll}
        </label>
        <span class="selected-count" aria-live="polite">
          {selectedCount ? t.selectedCount(format.number(selectedCount)) : ''}
        </span>
        {bulkActions(model.tab.value).map((action) => (
          <button
            key={action}
            type="button"
            class={`act act-${action}`}
            disabled={!selectedCount}
            onClick={() => void handlers.act(action, [...model.selected.value])}
          >
            {t.actions[action]}
          </button>
        ))}
      </fieldset>
      {error ? (
        <div class="alert" role="alert">
          {errorMessage(error, lang)}{' '}
          <button type="button" onClick={() => void model.load()}>
            {shell.retry}
          </button>
        </div>
      ) : null}
      {model.loading.value && !comments.length ? (
        <p class="muted" role="status">
          {t.loading}
        </p>
      ) : !error && !comments.length ? (
        <p class="empty">{t.empty}</p>
      ) : null}
      <QueueRows model={model} now={now} handlers={handlers} label={t.title} />
      <div class="more">
        {comments.length > 0 && (
          <p class="muted">{t.shown(format.number(comments.length), model.nextCursor.value !== null)}</p>
        )}
        {model.nextCursor.value && (
          <button
            type="button"
            disabled={model.loadingMore.value}
            onClick={() => void model.loadMore().catch(fail)}
          >
            {t.loadMore}
          </button>
        )}
      </div>
      {help.value && <HelpDialog onClose={() => (help.value = false)} />}
      {commenter.value && (
        <CommenterPanel
          comment={commenter.value}
          onClose={() => {
            commenter.value = null;
            void model.refresh().catch(() => undefined);
          }}
        />
      )}
    </div>
  );
}
