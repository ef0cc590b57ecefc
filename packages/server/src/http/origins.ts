import { ApiError } from './api-error.js';

/**
 * Whether a browser origin matches one of a site's allowed-origin patterns.
 * A pattern is an origin (`https://news.example`), optionally with `*` as the
 * port (`http://localhost:*`) or as the leftmost label (`https://*.news.example`).
 *
 * @example
 * originAllowed(['http://localhost:*'], 'http://localhost:5173') // → true
 */
export function originAllowed(patterns: readonly string[], origin: string): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  return patterns.some((pattern) => matches(pattern, parsed));
}

interface Origin {
  scheme: string;
  host: string;
  port: string;
}

function parseOrigin(origin: string): Origin | null {
  const match = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^/:?#\s]+)(?::(\d{1,5}))?$/i.exec(origin);
  if (!match) return null;
  const scheme = (match[1] as string).toLowerCase();
  const defaultPort = scheme === 'https' ? '443' : '80';
  return { scheme, host: (match[2] as string).toLowerCase(), port: match[3] ?? defaultPort };
}

function matches(pattern: string, origin: Origin): boolean {
  const match = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^/:?#\s]+)(?::(\d{1,5}|\*))?\/?$/i.exec(pattern.trim());
  if (!match) return false;
  const scheme = (match[1] as string).toLowerCase();
  if (scheme !== origin.scheme) return false;
  const port = match[3] ?? (scheme === 'https' ? '443' : '80');
  if (port !== '*' && port !== origin.port) return false;
  const host = (match[2] as string).toLowerCase();
  if (host.startsWith('*.')) {
    const suffix = host.slice(1);
    return origin.host.endsWith(suffix) && origin.host.length > suffix.length;
  }
  return host === origin.host;
}

/** Checks that a pattern is one {@link originAllowed} understands (for site settings). */
export function isOriginPattern(pattern: string): boolean {
  return /^(https?):\/\/(\*\.)?(\[[0-9a-f:.]+\]|[^/:?#\s*]+)(?::(\d{1,5}|\*))?\/?$/i.test(pattern.trim());
}

/** Whether a page URL lies on an allowed origin (its origin matches a pattern). */
export function urlOnOrigins(patterns: readonly string[], pageUrl: string): boolean {
  if (!URL.canParse(pageUrl)) return false;
  return originAllowed(patterns, new URL(pageUrl).origin);
}

/** Refuses a browser request from an origin the site does not allow (no `Origin`: a server, allowed). */
export function assertOrigin(
  site: { id: string; origins: readonly string[] },
  origin: string | undefined,
): void {
  if (origin !== undefined && !originAllowed(site.origins, origin)) {
    throw new ApiError('forbidden_origin', `This origin may not use the comments of site "${site.id}".`);
  }
}
