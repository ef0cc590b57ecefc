import type { AppDeps } from '../context.js';
import { openAkismetKey } from '../sites/sites.service.js';
import type { SpamCheckOutcome, SpamCheckService, SpamCheckSite, SpamSubmission } from './spam-check.js';

/** Akismet asks callers to name themselves: "Application | Plugin". */
const USER_AGENT = 'Hiwar | Hiwar-Akismet/1';
/** Akismet answers one word; anything longer is not an Akismet answer. */
const MAX_ANSWER_BYTES = 1_024;

/**
 * The form fields of an Akismet `comment-check` call (also those of `submit-spam`
 * and `submit-ham`), in the order docs/spam-checking.md lists them. The email goes
 * only when the site allows it; fields with nothing to say are left out.
 *
 * @example
 * const body = akismetFields(submission, { apiKey, blog: 'https://news.example', withEmail: false })
 * body.get('comment_type') // → 'comment'
 */
export function akismetFields(
  submission: SpamSubmission,
  options: { apiKey: string; blog: string; withEmail: boolean },
): URLSearchParams {
  const fields: Array<[string, string | null | undefined]> = [
    ['api_key', options.apiKey],
    ['blog', options.blog],
    ['user_ip', submission.clientIp],
    ['user_agent', submission.userAgent],
    ['referrer', submission.referrer],
    ['permalink', submission.permalink],
    ['comment_type', submission.type],
    ['comment_author', submission.authorName],
    ['comment_author_email', options.withEmail ? submission.authorEmail : null],
    ['comment_author_url', submission.authorWebsite],
    ['comment_content', submission.body],
    ['comment_date_gmt', submission.createdAt.toISOString()],
    ['blog_lang', submission.lang],
    ['blog_charset', 'UTF-8'],
  ];
  const body = new URLSearchParams();
  for (const [name, value] of fields) if (value) body.append(name, value);
  return body;
}

/**
 * The "blog" Akismet files a comment under: the origin of the comment's page, else
 * the site's first origin that is not a pattern, else the server's public address.
 *
 * @example
 * akismetBlog('https://news.example/a/1', ['https://news.example'], 'https://comments.example')
 * // → 'https://news.example'
 */
export function akismetBlog(permalink: string | null, origins: readonly string[], publicUrl: string): string {
  if (permalink && URL.canParse(permalink)) return new URL(permalink).origin;
  return origins.find((origin) => !origin.includes('*')) ?? publicUrl;
}

/**
 * The Akismet service of a site (any service speaking Akismet's REST protocol at
 * `HIWAR_AKISMET_URL`), or null when the site has no key. The key is read from the
 * database and unsealed here, once per check.
 *
 * @example
 * const service = await akismetService(deps, site)
 * const outcome = await service?.check(submission, AbortSignal.timeout(3_000))
 */
export async function akismetService(deps: AppDeps, site: SpamCheckSite): Promise<SpamCheckService | null> {
  const row = await deps.db
    .selectFrom('sites')
    .select(['akismet_key_enc', 'origins'])
    .where('id', '=', site.id)
    .executeTakeFirst();
  const apiKey = row ? openAkismetKey(deps.keys, row.akismet_key_enc) : null;
  if (!row || !apiKey) return null;
  return {
    check: (submission, signal) =>
      callAkismet(`${deps.config.akismetUrl}/comment-check`, apiKey, signal, {
        blog: akismetBlog(submission.permalink, row.origins, deps.config.publicUrl),
        submission,
        withEmail: site.spam_check_email,
      }),
  };
}

/**
 * One `comment-check` call. Akismet answers `true` (spam) or `false` (ham) with 200;
 * an error (a bad key, a missing field) comes as `invalid` or with an
 * `X-akismet-debug-help` header, and is no verdict, whatever the body says.
 */
async function callAkismet(
  url: string,
  apiKey: string,
  signal: AbortSignal,
  call: { blog: string; submission: SpamSubmission; withEmail: boolean },
): Promise<SpamCheckOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        'user-agent': USER_AGENT,
      },
      body: akismetFields(call.submission, { apiKey, blog: call.blog, withEmail: call.withEmail }),
      // Akismet does not redirect; a redirect would turn the POST into a GET without its fields.
      redirect: 'error',
      signal,
    });
    const debugHelp = response.headers.get('x-akismet-debug-help');
    const answer = await readAnswer(response);
    if (!response.ok) return { verdict: 'unknown', problem: 'http_status', status: response.status };
    if (debugHelp !== null || answer === 'invalid') {
      // The help text is Akismet's own ("Empty 'blog' value"); the key is blanked in
      // case a compatible service echoes it.
      const detail = (debugHelp ?? answer ?? '').replaceAll(apiKey, '[key]').slice(0, 200);
      return { verdict: 'unknown', problem: 'rejected', detail };
    }
    if (answer === 'true') return { verdict: 'spam' };
    if (answer === 'false') return { verdict: 'ham' };
    return { verdict: 'unknown', problem: 'unexpected_answer' };
  } catch (error) {
    if (signal.aborted) return { verdict: 'unknown', problem: 'timeout' };
    // A network error's message names the host; its code (ECONNREFUSED…) says enough.
    return { verdict: 'unknown', problem: 'unreachable', detail: networkCode(error) };
  }
}

/** The trimmed body, or null when it is longer than any Akismet answer (then not read on). */
async function readAnswer(response: Response): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8').trim();
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = cause?.code;
  if (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) return code;
  return error instanceof Error ? error.name : typeof error;
}
