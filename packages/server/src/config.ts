import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { generateSecret } from './crypto/keys.js';

/** Settings read once from the environment, then frozen. Nothing else reads `process.env`. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** Absent: the embedded PGlite database in {@link dataDir}. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Absent only for the embedded database, whose secret lives in the data folder. */
  secret: string | undefined;
  /** IPs and CIDRs whose `X-Forwarded-For` is believed. */
  trustedProxies: readonly string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Base URL of the Akismet-compatible spam checker (sites turn it on; off by default). */
  akismetUrl: string;
  /** How long a spam check may take before the comment is held instead. */
  spamCheckTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Hiwar cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const DEFAULT_AKISMET_URL = 'https://rest.akismet.com/1.1';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/**
 * Parses the settings of DESIGN's table and reports every bad one at once.
 *
 * @example
 * const config = loadConfig(process.env) // throws ConfigError listing each problem
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  let port = 8080;
  const portText = value('PORT');
  if (portText !== undefined) {
    const parsed = Number(portText);
    if (!/^\d+$/.test(portText) || parsed < 1 || parsed > 65_535) {
      problems.push(`PORT must be a whole number from 1 to 65535 (got "${portText}").`);
    } else {
      port = parsed;
    }
  }

  const host = value('HOST') ?? '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) {
    problems.push(`HOST must be an IP address to listen on, such as 127.0.0.1 or 0.0.0.0 (got "${host}").`);
  }

  const publicUrl = (value('HIWAR_PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!isHttpUrl(publicUrl)) {
    problems.push(
      `HIWAR_PUBLIC_URL must be the http(s) address readers reach Hiwar at, like https://comments.example.com (got "${publicUrl}").`,
    );
  }

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(
      'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset to use the embedded database).',
    );
  }

  const dataDir = resolve(value('HIWAR_DATA_DIR') ?? './data');

  const secret = value('HIWAR_SECRET');
  if (secret !== undefined && secret.length < 32) {
    problems.push(
      'HIWAR_SECRET must be at least 32 characters long; generate one with `openssl rand -base64 32`.',
    );
  }
  if (databaseUrl !== undefined && secret === undefined) {
    problems.push(
      'HIWAR_SECRET is required with DATABASE_URL: it encrypts email addresses; generate one with `openssl rand -base64 32` and keep it safe.',
    );
  }

  const trustedProxies = (value('HIWAR_TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of trustedProxies) {
    if (!isIpOrCidr(entry))
      problems.push(`HIWAR_TRUSTED_PROXIES has "${entry}", which is not an IP address or CIDR range.`);
  }

  const logLevel = (value('HIWAR_LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`HIWAR_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);

  const akismetUrl = (value('HIWAR_AKISMET_URL') ?? DEFAULT_AKISMET_URL).replace(/\/+$/, '');
  if (!isHttpUrl(akismetUrl)) {
    problems.push(
      `HIWAR_AKISMET_URL must be the http(s) base address of an Akismet-compatible service, like ${DEFAULT_AKISMET_URL} (got "${akismetUrl}").`,
    );
  }
  let spamCheckTimeoutMs = 3_000;
  const timeoutText = value('HIWAR_SPAM_CHECK_TIMEOUT_MS');
  if (timeoutText !== undefined) {
    const parsed = Number(timeoutText);
    if (!/^\d+$/.test(timeoutText) || parsed < 100 || parsed > 60_000) {
      problems.push(
        `HIWAR_SPAM_CHECK_TIMEOUT_MS must be a whole number of milliseconds from 100 to 60000 (got "${timeoutText}").`,
      );
    } else {
      spamCheckTimeoutMs = parsed;
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    secret,
    trustedProxies: Object.freeze(trustedProxies),
    logLevel,
    akismetUrl,
    spamCheckTimeoutMs,
  });
}

/**
 * The server secret: `HIWAR_SECRET` when set, else (embedded database only) the
 * one generated into the data folder on first start.
 */
export function resolveSecret(config: Pick<Config, 'secret' | 'dataDir' | 'databaseUrl'>): string {
  if (config.secret) return config.secret;
  if (config.databaseUrl) throw new ConfigError(['HIWAR_SECRET is required with DATABASE_URL.']);
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, 'secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = generateSecret();
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

function isIpOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (version === 4 ? 32 : 128);
}
