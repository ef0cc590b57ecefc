import type { Context } from 'hono';

/** What the services need to know of a request besides its input. */
export interface RequestMeta {
  /** The `Origin` header, when a browser sent one. */
  origin: string | undefined;
  clientIp: string;
  /** `User-Agent` and `Referer`: sent to a spam checker only, where a site turned one on. */
  userAgent: string | undefined;
  referrer: string | undefined;
}

/** The Node server puts the raw request in `c.env.incoming`; tests can pass one. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function peerAddress(c: Context): string {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? '0.0.0.0';
}

export function requestMeta(
  c: Context,
  clientIp: (peer: string, forwardedFor?: string) => string,
): RequestMeta {
  return {
    origin: c.req.header('origin'),
    clientIp: clientIp(peerAddress(c), c.req.header('x-forwarded-for')),
    userAgent: c.req.header('user-agent')?.slice(0, 500),
    referrer: c.req.header('referer')?.slice(0, 2_000),
  };
}

/** The bearer token of `Authorization`, if any. */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
  return match?.[1] ?? '';
}
