import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context } from 'hono';

/** A file held in memory with its precompressed variants, ready to be served. */
type Bytes = Uint8Array<ArrayBuffer>;

export interface StaticFile {
  body: Bytes;
  /** Present only when smaller than `body`. */
  br?: Bytes;
  gzip?: Bytes;
  /** The quoted content hash; a compressed variant's tag adds `-br` or `-gz` inside the quotes. */
  etag: string;
  /** Content-Type, Cache-Control and whatever else this file always carries. */
  headers: Readonly<Record<string, string>>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** Already compressed formats gain nothing from brotli or gzip. */
const INCOMPRESSIBLE = new Set(['.woff2']);

/**
 * The Content-Type of a file name, or undefined for a kind Hiwar does not serve from
 * the widget's folder (HTML among them: pages are the demo's, with their own headers).
 */
export function contentTypeOf(name: string): string | undefined {
  return CONTENT_TYPES[extname(name).toLowerCase()];
}

/**
 * Hashes the content and compresses it once (brotli at the highest quality for
 * the small files a widget is made of, a faster level for big source maps).
 *
 * @example
 * const file = prepareFile('embed.js', readFileSync(path), { 'Cache-Control': 'public, max-age=300' })
 */
export function prepareFile(name: string, body: Buffer, headers: Record<string, string>): StaticFile {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 32);
  const file: StaticFile = {
    body: new Uint8Array(body),
    etag: `"${hash}"`,
    headers: { 'Content-Type': contentTypeOf(name) ?? 'application/octet-stream', ...headers },
  };
  if (body.length < 128 || INCOMPRESSIBLE.has(extname(name).toLowerCase())) return file;
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: body.length > 256 * 1024 ? 6 : constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  const gzip = gzipSync(body, { level: 9 });
  if (br.length < body.length) file.br = new Uint8Array(br);
  if (gzip.length < body.length) file.gzip = new Uint8Array(gzip);
  return file;
}

type Coding = 'br' | 'gzip';

/**
 * The codings an `Accept-Encoding` header allows, best first among those we
 * have (brotli, then gzip). `q=0` refuses a coding; `*` stands for any not named.
 */
export function acceptedCodings(header: string | undefined): Coding[] {
  if (!header) return [];
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') weight = Number(value);
    }
    q.set(token, Number.isFinite(weight) ? weight : 0);
  }
  const allowed = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(allowed);
}

/** True when an `If-None-Match` header names this file (any of its encodings) or is `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const hash = etag.slice(1, -1);
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*') return true;
    const inner = tag.slice(1, -1).replace(/-(br|gz)$/, '');
    return tag.startsWith('"') && inner === hash;
  });
}

/**
 * Answers with `file`: the best encoding the client accepts, `Vary: Accept-Encoding`
 * when there is a choice, and 304 when `If-None-Match` names it. HEAD gets the
 * same headers without a body (Hono drops it).
 */
export function serveFile(c: Context, file: StaticFile): Response {
  const headers: Record<string, string> = { ...file.headers };
  const variants = file.br || file.gzip;
  if (variants) headers.Vary = 'Accept-Encoding';
  let body = file.body;
  let etag = file.etag;
  for (const coding of acceptedCodings(c.req.header('accept-encoding'))) {
    const encoded = coding === 'br' ? file.br : file.gzip;
    if (!encoded) continue;
    body = encoded;
    headers['Content-Encoding'] = coding;
    etag = `"${file.etag.slice(1, -1)}-${coding === 'br' ? 'br' : 'gz'}"`;
    break;
  }
  headers.ETag = etag;
  if (matches(c.req.header('if-none-match'), file.etag)) {
    delete headers['Content-Encoding'];
    delete headers['Content-Type'];
    return c.body(null, 304, headers);
  }
  headers['Content-Length'] = String(body.length);
  return c.body(body, 200, headers);
}
