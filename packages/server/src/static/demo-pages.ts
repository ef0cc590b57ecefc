import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareFile, type StaticFile } from './static-file.js';

/** examples/arabic-news in the repository, from src/static/ or dist/static/. */
export const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../../../../examples/arabic-news/', import.meta.url));

/**
 * The demo's pages load only what the Hiwar server itself serves, so their policy
 * names nothing but 'self' (and their styles come from /demo.css, not inline).
 */
export const DEMO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': DEMO_CSP,
  'Cache-Control': 'no-cache',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Content-Type-Options': 'nosniff',
};

export interface Article {
  title: string;
  /** Paragraphs and subheadings, in order. */
  blocks: { kind: 'p' | 'h2'; text: string }[];
}

/** The seed ends with the text of the WordPress comment form the widget replaces. */
const FORM_HEADING = 'اترك تعليقاً';

/**
 * An article in the seed's plain-text shape: the title on the first line, then
 * blocks separated by blank lines. A short block with no closing punctuation is a
 * subheading. Reading stops at «اترك تعليقاً», where the old comment form began.
 *
 * @example
 * parseArticle('العنوان\n\nفقرة أولى.\n\nعنوان فرعي\n\nفقرة.').blocks[1] // { kind: 'h2', text: 'عنوان فرعي' }
 */
export function parseArticle(text: string): Article {
  const [title = '', ...rest] = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const end = rest.indexOf(FORM_HEADING);
  const blocks = (end === -1 ? rest : rest.slice(0, end)).map((block) => ({
    kind: block.length < 120 && !/[.!?؟…"”»)]$/.test(block) ? ('h2' as const) : ('p' as const),
    text: block,
  }));
  return { title, blocks };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Replaces each `{{name}}` with an already-escaped value; an unknown name is a mistake in the template. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`The demo template names {{${name}}}, which the server does not fill.`);
    return value;
  });
}

interface ArticleEntry {
  path: string;
  file: string;
  section: string;
}

function readEntries(dir: string): ArticleEntry[] {
  const entries = JSON.parse(readFileSync(join(dir, 'articles.json'), 'utf8')) as ArticleEntry[];
  for (const entry of entries) {
    // The list is ours, but a path or file of the wrong shape must not become a route or a read outside the folder.
    if (!/^\/(news\/[a-z0-9-]+)?$/.test(entry.path) || !/^[a-z0-9-]+(\/[a-z0-9-]+)*\.txt$/.test(entry.file)) {
      throw new Error(`articles.json has an entry Hiwar will not serve: ${JSON.stringify(entry)}.`);
    }
  }
  return entries;
}

/**
 * The demo newspaper, rendered once: each article of `articles.json` at its path,
 * `/listing` with every article and its comment count (count.js), `/demo.css` and
 * `/favicon.svg`.
 * Page URLs (canonical links, the listing's count keys) start with `publicUrl`.
 * Undefined when the folder is missing (a deployment without the examples).
 *
 * @example
 * loadDemoPages(DEFAULT_DEMO_DIR, 'http://localhost:8080')?.get('/listing')
 */
export function loadDemoPages(dir: string, publicUrl: string): Map<string, StaticFile> | undefined {
  if (!existsSync(join(dir, 'articles.json'))) return undefined;
  const base = publicUrl.replace(/\/+$/, '');
  const articleTemplate = readFileSync(join(dir, 'index.html'), 'utf8');
  const listingTemplate = readFileSync(join(dir, 'listing.html'), 'utf8');
  const pages = new Map<string, StaticFile>();
  const items: string[] = [];

  for (const entry of readEntries(dir)) {
    const article = parseArticle(readFileSync(join(dir, entry.file), 'utf8'));
    const url = `${base}${entry.path}`;
    const summary = article.blocks.find((block) => block.kind === 'p')?.text ?? '';
    const body = article.blocks
      .map(({ kind, text }) => `        <${kind}>${escapeHtml(text)}</${kind}>`)
      .join('\n');
    const html = fill(articleTemplate, {
      title: escapeHtml(article.title),
      summary: escapeHtml(summary),
      canonical: escapeHtml(url),
      section: escapeHtml(entry.section),
      body,
    });
    pages.set(entry.path, prepareFile('index.html', Buffer.from(html), PAGE_HEADERS));
    const href = escapeHtml(entry.path);
    items.push(
      [
        '      <li>',
        '        <article class="teaser">',
        `          <h2><a href="${href}">${escapeHtml(article.title)}</a></h2>`,
        `          <p>${escapeHtml(summary)}</p>`,
        `          <p class="teaser-meta"><a href="${href}#comments"><span data-hiwar-count="${escapeHtml(url)}">التعليقات</span></a></p>`,
        '        </article>',
        '      </li>',
      ].join('\n'),
    );
  }

  const listing = fill(listingTemplate, {
    canonical: escapeHtml(`${base}/listing`),
    items: items.join('\n'),
  });
  pages.set('/listing', prepareFile('listing.html', Buffer.from(listing), PAGE_HEADERS));
  for (const asset of ['demo.css', 'favicon.svg']) {
    pages.set(
      `/${asset}`,
      prepareFile(asset, readFileSync(join(dir, asset)), {
        'Cache-Control': 'public, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      }),
    );
  }
  return pages;
}
