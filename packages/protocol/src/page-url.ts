const DROPPED_PARAMS = new Set(['fbclid', 'gclid']);

/**
 * The key a page URL is stored under: scheme and host lower-cased, default port
 * and fragment dropped, `utm_*`, `fbclid` and `gclid` dropped, the remaining
 * query parameters sorted, the path kept as written. Returns null for anything
 * that is not an absolute http(s) URL.
 *
 * @example
 * normalizePageUrl('HTTPS://News.Example:443/a/1?utm_source=x&b=2&a=1#top')
 * // → 'https://news.example/a/1?a=1&b=2'
 */
export function normalizePageUrl(raw: string): string | null {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  for (const name of [...url.searchParams.keys()]) {
    if (name.toLowerCase().startsWith('utm_') || DROPPED_PARAMS.has(name.toLowerCase())) {
      url.searchParams.delete(name);
    }
  }
  url.searchParams.sort();
  const query = url.searchParams.toString();
  // URL already lower-cases scheme and host and drops the default port.
  return `${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}

/** The origin (`scheme://host[:port]`) of an absolute URL, or null. */
export function originOf(raw: string): string | null {
  if (!URL.canParse(raw)) return null;
  const { origin } = new URL(raw);
  return origin === 'null' ? null : origin;
}
