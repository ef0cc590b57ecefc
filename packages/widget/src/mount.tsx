import { createLiteClient } from '@hiwar/sdk';
import { render } from 'preact';
import { type Theme, WidgetProvider } from './components/context.js';
import { Widget } from './components/Widget.js';
import { createLocale, type Locale, loadMessages, toLang } from './i18n/locale.js';
import type { Digits } from './i18n/plural.js';
import { createComposerModel } from './models/composer-model.js';
import { createEditSlot } from './models/edit-slot.js';
import { createSessionModel } from './models/session-model.js';
import { createThreadModel } from './models/thread-model.js';
import { pageUrl, permalinkId } from './page.js';
import { batch, effect, type ReadonlySignal, signal } from './signals.js';
import { styleSheet } from './styles.js';

/** How a widget is set up; the embed's `data-*` attributes map onto these. */
export interface MountOptions {
  /** The site id on the Hiwar server (`data-site`). Required. */
  site: string;
  /** Where the Hiwar server answers; defaults to the folder this module was loaded from. */
  baseUrl?: string;
  /** The page's address (`data-url`); defaults to its canonical link, else its location. */
  url?: string;
  /** An identifier naming the thread instead of the URL (`data-id`). */
  id?: string;
  /** The page's title, stored with a new thread (`data-title`); defaults to `document.title`. */
  title?: string;
  /** `ar` or `en` (`data-lang`); defaults to `<html lang>`, else the site's language. */
  lang?: string;
  /** `auto` (the reader's system setting; default), `light` or `dark` (`data-theme`). */
  theme?: Theme;
  /** Digits in Arabic: `latn` (0-9; default) or `arab` (٠-٩) (`data-digits`). */
  digits?: Digits;
  /** Top-level comments per page (1..100; default 50). */
  pageSize?: number;
}

/** A mounted widget. */
export interface HiwarWidget {
  /** Changes options; another site, page or server loads that thread. */
  update(options: Partial<MountOptions>): void;
  /** Stops every request and timer and empties the element's shadow root. */
  destroy(): void;
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null; // Refused (storage blocked): the session lives in memory.
  }
}

/**
 * Shows the comments of a page in `el`, inside its open shadow root. Fires
 * `hiwar:ready` (detail `{ commentCount }`) once the thread is shown and
 * `hiwar:posted` (detail `{ id, status }`) after each comment posted, on `el`,
 * bubbling and composed. A missing site is reported on the console, not thrown.
 *
 * @example
 * import { mount } from 'https://comments.example.com/hiwar.js';
 * const widget = mount(document.querySelector('#comments'), { site: 'news' });
 * widget.update({ url: 'https://news.example/a/2' }); // a single-page app moved on
 * widget.destroy();
 */
export function mount(el: HTMLElement, options: MountOptions): HiwarWidget {
  let current = options;
  const theme = signal<Theme>('auto');
  const digits = signal<Digits>('latn');
  const lang = signal(toLang(undefined));
  const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  shadow.adoptedStyleSheets = [styleSheet()];
  const fire = (type: string, detail: object) =>
    el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));

  const start = () => {
    const { site, id } = current;
    if (!site) {
      console.error(
        'Hiwar: no site given. Pass the id of a site on your Hiwar server: mount(el, { site: "news" }).',
      );
      return () => {};
    }
    // Not `new URL('.', import.meta.url)`: the bundler would take that for an asset.
    const baseUrl = current.baseUrl ?? import.meta.url.replace(/[^/]*$/, '');
    // With an id, the id names the thread and the URL is only its link.
    const url = current.url ? new URL(current.url, location.href).href : pageUrl();
    const target = { url, id };
    const client = createLiteClient({ baseUrl, site, timeoutMs: 8000 });
    const session = createSessionModel({ storage: storage(), site, thread: id ? `id:${id}` : url });
    const thread = createThreadModel({ client, session, target, pageSize: current.pageSize });
    const now = signal(Date.now());
    const composer = createComposerModel({
      client,
      session,
      thread,
      target: { ...target, title: (current.title ?? document.title).slice(0, 500) },
      onPosted: ({ comment }) => {
        now.value = Date.now(); // the edit window shown starts from now, not from the last tick
        fire('hiwar:posted', { id: comment.id, status: comment.status });
      },
    });
    const edit = createEditSlot({ client, session, thread, now });
    const locale = signal<Locale | null>(null);
    const draw = () =>
      render(
        // Drawn once the first messages are there: components always have a locale.
        <WidgetProvider
          widget={{
            thread,
            composer,
            edit,
            locale: locale as ReadonlySignal<Locale>,
            theme,
            now,
            avatarUrl: client.avatarUrl,
          }}
        >
          <Widget />
        </WidgetProvider>,
        shadow,
      );
    // The language asked for, else the site's. While neither is known (the thread is
    // still loading) nothing is shown, so a reader downloads one language only.
    let asked = '';
    const stopLocale = effect(() => {
      const want = lang.value ?? thread.site.value?.lang ?? (thread.state.value === 'loading' ? null : 'ar');
      const wantDigits = digits.value;
      const ask = `${want} ${wantDigits}`;
      if (!want || ask === asked) return;
      asked = ask;
      loadMessages(want).then((t) => {
        if (ask !== asked) return;
        // The first time, drawn before anyone hears (hiwar:ready) that the thread is shown.
        batch(() => {
          const first = !locale.peek();
          locale.value = createLocale(want, t, wantDigits);
          if (first) draw();
        });
      });
    });
    /** Shows the comment a `#comment-<id>` fragment names, scrolled to the middle and focused. */
    const follow = async () => {
      const wanted = permalinkId(location.hash);
      if (wanted && (await thread.reveal(wanted)))
        setTimeout(() => {
          const el = shadow.getElementById(`comment-${wanted}`);
          const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
          el?.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
          el?.focus({ preventScroll: true });
        });
    };
    let ready = false;
    const stopReady = effect(() => {
      if (thread.state.value === 'ready' && locale.value && !ready) {
        ready = true;
        fire('hiwar:ready', { commentCount: thread.thread.peek()?.commentCount });
        follow();
      }
    });
    const tick = setInterval(() => {
      now.value = Date.now();
    }, 30_000);
    addEventListener('hashchange', follow);
    thread.load();
    return () => {
      removeEventListener('hashchange', follow);
      clearInterval(tick);
      asked = '';
      stopLocale();
      stopReady();
      thread.dispose();
      composer.dispose();
      edit.dispose();
      render(null, shadow);
    };
  };

  const configure = () => {
    theme.value = ['light', 'dark'].includes(current.theme as string) ? (current.theme as Theme) : 'auto';
    digits.value = current.digits === 'arab' ? 'arab' : 'latn';
    lang.value = toLang(current.lang) ?? toLang(document.documentElement.lang);
  };
  const key = () =>
    JSON.stringify([current.site, current.baseUrl, current.url, current.id, current.pageSize]);
  configure();
  let stop = start();

  return {
    update(next) {
      const before = key();
      current = { ...current, ...next };
      configure();
      if (key() !== before) {
        stop();
        stop = start();
      }
    },
    destroy() {
      stop();
      stop = () => {};
    },
  };
}
