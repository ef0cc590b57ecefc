import { ERROR_STATUS, type ErrorCode } from '@hiwar/protocol';
import { Parser } from 'htmlparser2';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadXssCorpus } from '../../../tests/fixtures/xss/corpus.js';
import { cleanName } from '../src/content/names.js';
import { useTestApp } from './harness.js';
import { type Json, threadPath } from './helpers/api.js';

/**
 * Every payload of the XSS corpus (tests/fixtures/xss, see SOURCES.md) posted as a body, a
 * name and a website, then read back from the public thread: the `html` of each comment,
 * parsed with a real HTML parser (htmlparser2, which sanitize-html itself uses), holds no
 * script-bearing element, no `on*` attribute and no script URL; names come back as plain
 * text; websites are refused or come back as absolute http(s) URLs.
 */

const t = useTestApp();
const CORPUS = loadXssCorpus();

/** What the sanitizer's contract allows (render-markdown.ts); anything else is a finding. */
const ALLOWED = new Set(['p', 'br', 'em', 'strong', 'a', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li']);
const FORBIDDEN = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'style',
  'svg',
  'math',
  'base',
  'meta',
  'link',
  'form',
  'input',
  'button',
  'textarea',
  'template',
  'img',
  'video',
  'audio',
  'source',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'poster',
  'srcset',
]);

/** Problems in one comment's html, as parsed by htmlparser2 (lower-cased names). */
function htmlFindings(html: string): string[] {
  const findings: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (FORBIDDEN.has(name)) findings.push(`<${name}>`);
        else if (!ALLOWED.has(name)) findings.push(`<${name}> is not in the allowlist`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on')) findings.push(`<${name} ${attribute}>`);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers skip these in a scheme
          const url = value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();
          if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|data|livescript|mocha):/.test(url)) {
            findings.push(`<${name} ${attribute}="${value}">`);
          }
          if (name === 'a' && attribute === 'href') {
            const protocol = URL.canParse(value) ? new URL(value).protocol : 'unparsable';
            if (protocol !== 'http:' && protocol !== 'https:') findings.push(`<a href="${value}">`);
          } else if (!(name === 'a' && attribute === 'rel')) {
            findings.push(`<${name} ${attribute}="${value.slice(0, 40)}">`);
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return findings;
}

/** Every comment of a thread, through its pages and its replies' pages. */
async function readThread(url: string): Promise<Json[]> {
  const comments: Json[] = [];
  let cursor: string | undefined;
  do {
    const res = await t.request(threadPath({ site: 'news', url, limit: 100, cursor }));
    expect(res.status).toBe(200);
    const page: Json = await res.json();
    for (const comment of page.comments) comments.push(comment, ...comment.replies);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return comments;
}

let n = 0;

/** POSTs a comment; returns the status and the error code when refused. */
async function post(
  url: string,
  fields: { body?: string; name?: string; website?: string },
): Promise<{ status: number; code?: string }> {
  n += 1;
  const res = await t.post(
    '/api/v1/comments',
    {
      site: 'news',
      url,
      body: fields.body ?? `تعليق ${n}`,
      author: {
        name: fields.name ?? `قارئ ${n}`,
        email: `xss${n}@example.org`,
        website: fields.website ?? null,
      },
    },
    // A distinct client address for each post, in case flood control is on by default.
    { ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
  );
  const json: Json = await res.json();
  if (res.status >= 400) {
    const code = json?.error?.code as ErrorCode;
    expect(res.status, JSON.stringify(json)).toBe(ERROR_STATUS[code]);
    expect(res.status, JSON.stringify(json)).toBeLessThan(500);
    return { status: res.status, code };
  }
  expect(res.status, JSON.stringify(json)).toBe(201);
  return { status: res.status };
}

/** Runs `task` over `items`, 8 at a time (a few hundred posts, on a shared machine). */
async function inBatches<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += 8) {
    await Promise.all(items.slice(start, start + 8).map(task));
  }
}

/** A few hundred requests each: generous, for a loaded machine; no timing is asserted. */
const SLOW = 300_000;

beforeEach(async () => {
  // Links are what many payloads are made of: holding comments with 2+ of them would hide them.
  await t.addSite({ id: 'news', hold_links: 0 });
});

describe('the XSS corpus', () => {
  it('holds at least 300 payloads from several sources', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(CORPUS.map((entry) => entry.source)).size).toBeGreaterThanOrEqual(4);
  });

  it('the parser check catches what it should (so the next tests can fail)', () => {
    expect(htmlFindings('<p>ok <a href="https://x.example/" rel="nofollow ugc noopener">x</a></p>')).toEqual(
      [],
    );
    expect(htmlFindings('<img src=x onerror=alert(1)>')).not.toEqual([]);
    expect(htmlFindings('<a href="java&#x09;script:alert(1)">x</a>')).not.toEqual([]);
    expect(htmlFindings('<a href=" JAVASCRIPT:alert(1)">x</a>')).not.toEqual([]);
    expect(htmlFindings('<svg><a xlink:href="javascript:alert(1)">x</a></svg>')).not.toEqual([]);
    expect(htmlFindings('<p style="x">x</p>')).not.toEqual([]);
  });
});

describe('every payload as a comment body', () => {
  it(
    'renders html with no script-bearing element, handler or script URL',
    async () => {
      const url = 'https://news.example/xss/bodies';
      const refused: string[] = [];
      await inBatches(CORPUS, async ({ payload }) => {
        const result = await post(url, { body: payload });
        if (result.status !== 201) refused.push(`${result.code}: ${payload.slice(0, 60)}`);
      });
      // A body is refused only when it is empty once trimmed or holds NUL (validation_failed).
      for (const line of refused) expect(line).toMatch(/^validation_failed: /);

      const comments = await readThread(url);
      expect(comments.length).toBe(CORPUS.length - refused.length);
      const findings = comments.flatMap((comment) =>
        htmlFindings(comment.html).map(
          (finding) => `${finding} in ${JSON.stringify(comment.html.slice(0, 200))}`,
        ),
      );
      expect(findings).toEqual([]);
    },
    SLOW,
  );
});

describe('every payload as a name and as a website', () => {
  it(
    'names come back as the text typed; websites are refused or come back as http(s) URLs',
    async () => {
      const url = 'https://news.example/xss/authors';
      const names = new Map<string, string>();
      await inBatches(CORPUS, async ({ payload }) => {
        // Names are at most 245 characters: try the payload cut to that, on a whole code point.
        const name = Array.from(payload).slice(0, 240).join('');
        const byName = await post(url, { name });
        // The server cleans names (bidi controls, invisibles: content/names.ts); markup stays text.
        if (byName.status === 201) names.set(cleanName(name.normalize('NFC')), payload);
        else expect(byName.code).toBe('validation_failed');

        const byWebsite = await post(url, { website: payload });
        if (byWebsite.status !== 201) expect(byWebsite.code).toBe('validation_failed');
        // The same payload behind a valid scheme and host, so the field validates.
        const behind = await post(url, { website: `https://x.example/?q=${payload}`.slice(0, 200) });
        if (behind.status !== 201) expect(behind.code).toBe('validation_failed');
      });

      const comments = await readThread(url);
      const findings: string[] = [];
      for (const comment of comments) {
        findings.push(...htmlFindings(comment.html));
        const website: string | null = comment.author.website;
        if (website !== null) {
          const protocol = URL.canParse(website) ? new URL(website).protocol : 'unparsable';
          if (protocol !== 'http:' && protocol !== 'https:') findings.push(`website ${website}`);
        }
      }
      expect(findings).toEqual([]);
      // Every accepted name is returned as the text it was (the API never turns it into markup).
      const shown = new Set(comments.map((comment) => comment.author.name));
      const missing = [...names.keys()].filter((name) => !shown.has(name));
      expect(missing.slice(0, 5)).toEqual([]);
      expect(names.size).toBeGreaterThan(CORPUS.length / 2);
    },
    SLOW,
  );
});
