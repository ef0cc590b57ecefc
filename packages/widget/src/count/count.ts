/**
 * count.js: fills every `[data-hiwar-count]` element (its value: a page URL,
 * relative to this page; empty for this page) and every
 * `[data-hiwar-count][data-hiwar-id]` element with its comment count, in words,
 * with one request.
 *
 *   <script src="https://comments.example.com/count.js" data-site="news" async></script>
 *   <a href="/a/1#comments" data-hiwar-count="/a/1">تعليقات</a>
 *
 * Plain DOM and fetch, no framework: it must stay tiny.
 */
import { COUNT_FORMS } from '../i18n/counts.js';
import { plural } from '../i18n/plural.js';
import { pageUrl } from '../page.js';

/** The API takes at most this many pages per request. */
const BATCH = 100;

const fail = (message: string) => console.error(`Hiwar: ${message}`);

function main() {
  const script = document.currentScript as HTMLScriptElement | null;
  const site = script?.dataset.site;
  if (!script?.src || !site) {
    return fail(
      'count.js needs data-site: <script src="https://YOUR-HIWAR-SERVER/count.js" data-site="YOUR-SITE" async></script>.',
    );
  }
  const tag = (script.dataset.lang || document.documentElement.lang || 'ar').toLowerCase();
  const lang = tag.startsWith('en') ? 'en' : 'ar';
  const digits = script.dataset.digits === 'arab' ? 'arab' : 'latn';

  const wanted = new Map<string, HTMLElement[]>();
  for (const el of document.querySelectorAll<HTMLElement>('[data-hiwar-count]')) {
    const id = el.dataset.hiwarId;
    let key: string;
    try {
      key = id ? `id=${id}` : `url=${new URL(el.dataset.hiwarCount || pageUrl(), document.baseURI).href}`;
    } catch {
      fail(`data-hiwar-count="${el.dataset.hiwarCount}" is not an address.`);
      continue;
    }
    wanted.set(key, [...(wanted.get(key) ?? []), el]);
  }
  const keys = [...wanted.keys()];
  for (let i = 0; i < keys.length; i += BATCH) {
    const query = new URLSearchParams({ site });
    const batch = keys.slice(i, i + BATCH);
    for (const key of batch) {
      const at = key.indexOf('=');
      query.append(key.slice(0, at), key.slice(at + 1));
    }
    fetch(new URL(`api/v1/counts?${query}`, script.src))
      .then((response) =>
        response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`)),
      )
      .then(({ counts }: { counts: Record<string, number> }) => {
        for (const key of batch) {
          const n = counts[key.slice(key.indexOf('=') + 1)];
          if (typeof n !== 'number') continue;
          for (const el of wanted.get(key) ?? []) el.textContent = plural(COUNT_FORMS[lang], n, lang, digits);
        }
      })
      .catch((error: unknown) => fail(`could not get comment counts from ${script.src} (${error}).`));
  }
}

main();
