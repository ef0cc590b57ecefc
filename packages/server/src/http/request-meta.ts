import type { Context } from 'hono';

/** What the services need to know of a request besides its input. */
export interface RequestMeta {
  /** The `Origin` header, when a browser sent one. */
  origin: string | undefined;
  clientIp: string;
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
  };
}

/** The bearer token of `Authorization`, if any. */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
  return match?.[1] ?? '';
}
