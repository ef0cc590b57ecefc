import { Parser } from 'htmlparser2';
import markdownIt, { type MarkdownIt } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Comment bodies: a small markdown subset in, sanitized HTML out.
 *
 * What a commenter can write: paragraphs, line breaks (a single newline is a
 * `<br />`), `*emphasis*`, `**strong**`, `[links](https://…)`, bare http(s) URLs
 * (linked), `` `inline code` ``, fenced and indented code blocks, `> quotes` and
 * lists. Everything else stays the text it was typed as: headings, tables,
 * images (`![x](u)` is a `!` and a link, so a reader's browser never fetches a
 * commenter's image), horizontal rules, strikethrough, raw HTML (escaped),
 * reference-style links and their definitions, relative or non-http(s) links.
 *
 * Decisions:
 * - Only http and https links. No `mailto:`: an address typed in a body stays
 *   plain text (not linked), so the widget never turns it into a harvestable
 *   `mailto:` link; `[x](mailto:…)` and `<a@b.c>` stay as typed.
 * - Reference-style links are off: they are the one construct whose output can
 *   grow far beyond its input (one long definition, thousands of `[a]`).
 * - An ordered list is recognised only when it starts at 1, because its `start`
 *   attribute is not allowed: `2019. A year…` stays text and no number a
 *   commenter typed is ever renumbered.
 * - Nesting is capped at {@link MAX_NESTING} levels; content nested deeper is
 *   left out of the HTML (the stored source keeps it).
 */

/** Elements the rendered HTML may contain. */
export const ALLOWED_TAGS: readonly string[] = Object.freeze([
  'p',
  'br',
  'em',
  'strong',
  'a',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
]);

/** The `rel` every link carries, and the only value it may have. */
export const LINK_REL = 'nofollow ugc noopener';

/** Deepest block or inline nesting markdown-it builds; keeps hostile input linear. */
export const MAX_NESTING = 20;

/**
 * Longest HTML {@link renderMarkdown} returns, in UTF-16 code units. A body at the
 * 65 525-character limit renders well below it unless built to expand (every
 * character an `&` or a `<`, a quote per line…); see {@link renderMarkdown}.
 */
export const MAX_HTML_LENGTH = 262_144;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowedClasses: {},
  allowedStyles: {},
  parseStyleAttributes: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  // Elements whose text is dropped with them (the rest are unwrapped to text).
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'xmp'],
  nestingLimit: 2 * MAX_NESTING + 8,
  transformTags: {
    // A link survives only with an absolute http(s) href; it then gets exactly
    // `href` (as the URL parser serializes it) and our `rel`. Anything else is
    // renamed to a disallowed tag, so its text stays and the element goes.
    a: (_tagName, attribs): sanitizeHtml.Tag => {
      const href = httpHref(attribs.href);
      return href === undefined
        ? { tagName: 'hiwar-unwrap', attribs: {} }
        : { tagName: 'a', attribs: { href, rel: LINK_REL } };
    },
  },
};

/** The WHATWG-serialized URL when `value` is an absolute http(s) URL with a host. */
function httpHref(value: string | undefined): string | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '') return undefined;
  return url.href;
}

function createMarkdown(): MarkdownIt {
  const md = markdownIt('default', {
    html: false,
    xhtmlOut: true,
    breaks: true,
    linkify: true,
    typographer: false,
    maxNesting: MAX_NESTING,
  });
  md.disable([
    'table',
    'hr',
    'reference',
    'html_block',
    'heading',
    'lheading',
    'strikethrough',
    'image',
    'html_inline',
  ]);
  md.validateLink = (url) => httpHref(url) !== undefined;
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
  md.linkify.add('ftp:', null).add('//', null).add('mailto:', null);

  // Wrap the list rule (keeping where it may interrupt other blocks) so that an
  // ordered list must start at 1.
  const listRule = md.block.ruler.__rules__.find((rule) => rule.name === 'list');
  if (listRule === undefined) throw new Error('markdown-it has no list rule');
  const { fn: list, alt } = listRule;
  md.block.ruler.at(
    'list',
    (state, startLine, endLine, silent) => {
      // An outdented line seen while ending a paragraph is the next item of an
      // enclosing list, whatever its number; anything else would open a list.
      const nextItem = silent && (state.sCount[startLine] ?? 0) < state.blkIndent;
      const start = (state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0);
      const marker = /^(\d{1,9})[.)]/.exec(state.src.slice(start, start + 10));
      if (marker !== null && Number(marker[1]) !== 1 && !nextItem) return false;
      return list(state, startLine, endLine, silent);
    },
    { alt: [...alt] },
  );
  return md;
}

const markdown = createMarkdown();

/**
 * Cleans HTML down to the comment allowlist: {@link ALLOWED_TAGS}, and on `a`
 * only an absolute http(s) `href` plus `rel="nofollow ugc noopener"`. Other
 * elements are unwrapped to their (escaped) text, `script`-like ones dropped
 * whole. Applying it to its own output changes nothing.
 *
 * @example
 * sanitizeCommentHtml('<p onclick="x()">hi <a href="javascript:alert(1)">there</a></p>');
 * // → '<p>hi there</p>'
 */
export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/**
 * Renders a comment body (markdown subset, see the module comment) to sanitized
 * HTML. Deterministic; `sanitizeCommentHtml(renderMarkdown(x)) === renderMarkdown(x)`.
 *
 * The result is never longer than {@link MAX_HTML_LENGTH}. When the markdown
 * rendering would be longer (only bodies built to expand get there), the body
 * is rendered as plain text instead: escaped, one `<p>` per paragraph, `<br />`
 * per line break, no markup. If even that is too long, the text is cut at a
 * character boundary and ends with `…`.
 *
 * @example
 * renderMarkdown('Hello *world*\nsee https://example.com');
 * // → '<p>Hello <em>world</em><br />\nsee <a href="https://example.com/" rel="nofollow ugc noopener">https://example.com</a></p>\n'
 */
export function renderMarkdown(source: string): string {
  const html = sanitizeCommentHtml(markdown.render(source));
  if (html.length <= MAX_HTML_LENGTH) return html;
  return renderPlainText(source);
}

function renderPlainText(source: string): string {
  let text = source.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD').trim();
  for (;;) {
    const paragraphs = text
      .split(/\n[ \t]*\n\s*/)
      .map((paragraph) => `<p>${escapeText(paragraph).replace(/\n/g, '<br />\n')}</p>\n`);
    const html = sanitizeCommentHtml(paragraphs.join(''));
    if (html.length <= MAX_HTML_LENGTH) return html;
    // Every source character costs at most a few dozen output characters here,
    // so a handful of rounds gets under the cap.
    text = `${cutAtGrapheme(text, Math.floor(text.length * (MAX_HTML_LENGTH / html.length) * 0.95))}…`;
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest prefix of `text` no longer than `max` code units that ends on a grapheme boundary. */
function cutAtGrapheme(text: string, max: number): string {
  if (text.length <= max) return text;
  // `containing` asks ICU for one boundary; iterating every grapheme is far slower.
  const cut = graphemes.segment(text).containing(Math.max(0, max))?.index ?? 0;
  return text.slice(0, cut);
}

/** Elements whose start or end separates words in the text of a comment. */
const BLOCK_TAGS = new Set(['p', 'br', 'pre', 'blockquote', 'ul', 'ol', 'li', 'div', 'tr', 'td', 'th']);
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'textarea', 'title']);

/**
 * The text of an HTML fragment for notifications and feeds: tags removed,
 * entities decoded, whitespace collapsed to single spaces, trimmed. When longer
 * than `max` UTF-16 code units it is cut at a grapheme boundary (never inside an
 * emoji or a letter with its marks) and ends with `…`, the whole at most `max`.
 * The result is text, not HTML: escape it wherever it goes into markup.
 *
 * @example
 * plainTextExcerpt('<p>Hello <em>world</em></p>\n<p>a &amp; b</p>', 11);
 * // → 'Hello worl…'
 */
export function plainTextExcerpt(html: string, max: number): string {
  let text = '';
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_TAGS.has(name)) skipping++;
        else if (BLOCK_TAGS.has(name)) text += ' ';
      },
      onclosetag(name) {
        if (SKIPPED_TAGS.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCK_TAGS.has(name)) text += ' ';
      },
      ontext(chunk) {
        if (skipping === 0) text += chunk;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  const collapsed = text.replace(/\s+/g, ' ').trim();
  const limit = Math.max(0, Math.floor(max));
  if (collapsed.length <= limit) return collapsed;
  if (limit === 0) return '';
  return `${cutAtGrapheme(collapsed, limit - 1).trimEnd()}…`;
}
