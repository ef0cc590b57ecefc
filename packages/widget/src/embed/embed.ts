/**
 * embed.js, the classic script a publisher pastes:
 *
 *   <script src="https://comments.example.com/embed.js" data-site="news" async></script>
 *
 * It reads its own data-* attributes, finds `[data-hiwar]` (else puts a
 * `<div data-hiwar>` right after itself) and, when that element comes within
 * 600px of the viewport, imports the app module next to this file and mounts it.
 * Mistakes go to the console with a fix; nothing is thrown into the host page.
 */
import type { MountOptions } from '../mount.js';
import { permalinkId } from '../page.js';

/** The app module's file name (it carries a content hash), set by the build. */
declare const __HIWAR_APP__: string;

const fail = (message: string) => console.error(`Hiwar: ${message}`);

function main() {
  const script = document.currentScript as HTMLScriptElement | null;
  const data = script?.dataset;
  if (!script?.src || !data?.site) {
    return fail('add data-site="…" (your site id) to <script src="…/embed.js">, loaded as a classic script.');
  }
  const pick = (name: 'theme' | 'lang' | 'loading' | 'digits', allowed: RegExp) => {
    const value = data[name];
    if (value && !allowed.test(value))
      fail(`data-${name}="${value}" is not one of ${allowed.source}; ignored.`);
    else return value;
  };
  const options: MountOptions = {
    site: data.site,
    baseUrl: new URL('.', script.src).href,
    url: data.url,
    id: data.id,
    title: data.title,
    lang: pick('lang', /^(ar|en)$/),
    theme: pick('theme', /^(auto|light|dark)$/) as MountOptions['theme'],
    digits: pick('digits', /^(latn|arab)$/) as MountOptions['digits'],
  };
  const lazy = pick('loading', /^(lazy|eager)$/) !== 'eager';

  let el = [...document.querySelectorAll<HTMLElement>('[data-hiwar]')].find(
    (e) => !e.shadowRoot && !e.dataset.hiwarTaken,
  );
  if (!el) {
    el = document.createElement('div');
    el.setAttribute('data-hiwar', '');
    script.after(el);
  }
  const target = el;
  target.dataset.hiwarTaken = '';
  const app = new URL(__HIWAR_APP__, script.src).href;
  const start = () =>
    import(/* @vite-ignore */ app).then(
      (module: { mount(el: HTMLElement, options: MountOptions): unknown }) => module.mount(target, options),
      (error: unknown) => {
        fail(
          `${app} did not load (${error}): is the server up, and does it send Access-Control-Allow-Origin?`,
        );
        target.textContent =
          options.lang === 'en' ? 'Comments could not be loaded.' : 'تعذّر تحميل التعليقات.';
      },
    );

  // A permalink to a comment opens the thread at once.
  if (!lazy || permalinkId(location.hash) || !window.IntersectionObserver) {
    start();
    return;
  }
  // Give the element its box before watching it: a host rule such as `div { display: none }`
  // would otherwise keep it from ever intersecting. Inner !important rules beat the page's.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':host{display:block!important}');
  (target.shadowRoot ?? target.attachShadow({ mode: 'open' })).adoptedStyleSheets = [sheet];
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        start();
      }
    },
    { rootMargin: '600px' },
  );
  observer.observe(target);
}

main();
