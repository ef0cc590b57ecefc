import { ADMIN_CSP, ADMIN_PREFIX } from '../static/admin-files.js';

/**
 * What a response that says nothing else gets: it loads nothing, runs nothing and
 * may not be framed. JSON (the API, its errors, /healthz) needs no more.
 */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

/** One year; no `includeSubDomains`, since Hiwar does not own its domain's other hosts. */
export const HSTS = 'max-age=31536000';

/**
 * The dashboard's headers, set over whatever a route said: it is the one page with
 * a session worth stealing, so it stays on its own origin, unframed and unreferred.
 */
const DASHBOARD_HEADERS: ReadonlyArray<[string, string]> = [
  ['Content-Security-Policy', ADMIN_CSP],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
];

const FRAME_ANCESTORS = /(^|;)\s*frame-ancestors(\s|;|$)/i;

export interface SecurityHeadersOptions {
  /** HIWAR_PUBLIC_URL: with `https:` every answer carries `Strict-Transport-Security`. */
  publicUrl: string;
}

/** Adds the security headers to one finished response, given its request path. */
export type ApplySecurityHeaders = (path: string, headers: Headers) => void;

/**
 * The security headers of every answer, in one place. Everything gets `nosniff`
 * (and HSTS behind https). The dashboard (`/admin`, `/admin/…`) gets its strict
 * set whatever its route said. Everything else gets the defaults where its route
 * set nothing: a CSP that allows nothing (a route's own CSP gains
 * `frame-ancestors 'none'` when it lacks one: nothing Hiwar serves is framed),
 * `Referrer-Policy: no-referrer` and `Cross-Origin-Resource-Policy: same-origin`.
 * A file other sites load says so itself with `Cross-Origin-Resource-Policy:
 * cross-origin` (the widget's files, avatars), and keeps it. An HTML page (the
 * demo's) also gets `Cross-Origin-Opener-Policy: same-origin` and
 * `X-Frame-Options: DENY`.
 *
 * It sets headers on the response in place: rebuilding it (`c.header()` after
 * `next()`) would turn node-server's fast string body into a copied stream.
 *
 * @example
 * const secure = securityHeaders({ publicUrl: config.publicUrl })
 * app.use('*', async (c, next) => {
 *   await next()
 *   secure(c.req.path, c.res.headers)
 * })
 */
export function securityHeaders(options: SecurityHeadersOptions): ApplySecurityHeaders {
  const hsts = new URL(options.publicUrl).protocol === 'https:';
  return (path, headers) => {
    headers.set('X-Content-Type-Options', 'nosniff');
    if (hsts) headers.set('Strict-Transport-Security', HSTS);
    if (isDashboardPath(path)) {
      for (const [name, value] of DASHBOARD_HEADERS) headers.set(name, value);
      return;
    }
    const csp = headers.get('Content-Security-Policy');
    if (csp === null) headers.set('Content-Security-Policy', DEFAULT_CSP);
    else if (!FRAME_ANCESTORS.test(csp))
      headers.set('Content-Security-Policy', `${csp}; frame-ancestors 'none'`);
    if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'no-referrer');
    if (!headers.has('Cross-Origin-Resource-Policy'))
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (headers.get('Content-Type')?.startsWith('text/html')) {
      if (!headers.has('Cross-Origin-Opener-Policy'))
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      if (!headers.has('X-Frame-Options')) headers.set('X-Frame-Options', 'DENY');
    }
  };
}

/** `/admin` (which redirects) and everything below `/admin/`: the dashboard's own answers. */
export function isDashboardPath(path: string): boolean {
  return path === ADMIN_PREFIX.slice(0, -1) || path.startsWith(ADMIN_PREFIX);
}
