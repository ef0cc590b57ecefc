import { type DestinationStream, type Logger, pino } from 'pino';

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b|::ffff:[0-9.]+/gi;
const BEARER = /\bBearer\s+\S+/gi;

/** Removes email addresses, IP addresses and bearer tokens from a log text. */
export function scrub(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(BEARER, 'Bearer [token]')
    .replace(IPV6, '[ip]')
    .replace(IPV4, '[ip]');
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrub(value.message),
      stack: value.stack && scrub(value.stack),
      code: (value as { code?: unknown }).code,
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = scrubDeep(inner, depth + 1);
  return out;
}

/**
 * Structured JSON logs with emails, IPs, tokens and authorization headers
 * removed, whatever field or message they hide in.
 *
 * @example
 * const logger = createLogger('info')
 * logger.info({ path: '/api/v1/comments' }, 'request')
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-forwarded-for"]',
          '*.email',
          '*.password',
          '*.editToken',
          '*.token',
          '*.ip',
        ],
        censor: '[redacted]',
      },
      formatters: { log: (object) => scrubDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}
