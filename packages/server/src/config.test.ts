import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveSecret } from './config.js';

const SECRET = 'a-secret-that-is-at-least-32-characters';

/** The problems loadConfig reports for `env`, or [] when it accepts it. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('loadConfig', () => {
  it('gives every setting its default on an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      databaseUrl: undefined,
      dataDir: resolve('./data'),
      secret: undefined,
      trustedProxies: [],
      akismetUrl: 'https://rest.akismet.com/1.1',
      spamCheckTimeoutMs: 3_000,
      logLevel: 'info',
    });
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ HIWAR_TRUSTED_PROXIES: '10.0.0.1' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.trustedProxies)).toBe(true);
  });

  it('treats an empty or blank variable as unset and trims values', () => {
    expect(loadConfig({ PORT: '', HOST: '   ', HIWAR_LOG_LEVEL: ' debug ' })).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'debug',
    });
  });

  describe('PORT', () => {
    it('reads a port and makes it the default public URL', () => {
      expect(loadConfig({ PORT: '3000' })).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000' });
      expect(loadConfig({ PORT: '65535' }).port).toBe(65_535);
      expect(loadConfig({ PORT: '1' }).port).toBe(1);
    });

    it.each(['0', '65536', '-1', '80.5', '1e3', '0x50'])('refuses %s', (port) => {
      expect(problemsOf({ PORT: port, HIWAR_PUBLIC_URL: 'https://c.example' })).toEqual([
        `PORT must be a whole number from 1 to 65535 (got "${port}").`,
      ]);
    });

    it('refuses a word', () => {
      expect(problemsOf({ PORT: 'http', HIWAR_PUBLIC_URL: 'https://c.example' })).toEqual([
        'PORT must be a whole number from 1 to 65535 (got "http").',
      ]);
    });
  });

  describe('HOST', () => {
    it.each(['0.0.0.0', '127.0.0.1', '::', '::1', '192.168.1.20', 'localhost'])('listens on %s', (host) => {
      expect(loadConfig({ HOST: host }).host).toBe(host);
    });

    it.each(['example.com', '256.1.1.1', '*'])('refuses %s', (host) => {
      expect(problemsOf({ HOST: host })).toEqual([
        `HOST must be an IP address to listen on, such as 127.0.0.1 or 0.0.0.0 (got "${host}").`,
      ]);
    });
  });

  describe('HIWAR_PUBLIC_URL', () => {
    it('keeps an http(s) URL without its trailing slashes', () => {
      expect(loadConfig({ HIWAR_PUBLIC_URL: 'https://comments.example.com//' }).publicUrl).toBe(
        'https://comments.example.com',
      );
      expect(loadConfig({ HIWAR_PUBLIC_URL: 'http://10.0.0.5:8080/hiwar' }).publicUrl).toBe(
        'http://10.0.0.5:8080/hiwar',
      );
    });

    it.each(['comments.example.com', 'ftp://comments.example.com', 'javascript:alert(1)'])(
      'refuses %s',
      (url) => {
        expect(problemsOf({ HIWAR_PUBLIC_URL: url })).toEqual([
          `HIWAR_PUBLIC_URL must be the http(s) address readers reach Hiwar at, like https://comments.example.com (got "${url}").`,
        ]);
      },
    );
  });

  describe('DATABASE_URL and HIWAR_SECRET', () => {
    it.each(['postgres://u:p@db:5432/hiwar', 'postgresql://db/hiwar'])('accepts %s with a secret', (url) => {
      expect(loadConfig({ DATABASE_URL: url, HIWAR_SECRET: SECRET })).toMatchObject({
        databaseUrl: url,
        secret: SECRET,
      });
    });

    it('refuses a URL of another database', () => {
      expect(problemsOf({ DATABASE_URL: 'mysql://db/hiwar', HIWAR_SECRET: SECRET })).toEqual([
        'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset to use the embedded database).',
      ]);
    });

    it('requires HIWAR_SECRET with DATABASE_URL', () => {
      expect(problemsOf({ DATABASE_URL: 'postgres://db/hiwar' })).toEqual([
        'HIWAR_SECRET is required with DATABASE_URL: it encrypts email addresses; generate one with `openssl rand -base64 32` and keep it safe.',
      ]);
    });

    it('accepts a secret of 32 characters and refuses 31', () => {
      expect(loadConfig({ HIWAR_SECRET: 'x'.repeat(32) }).secret).toBe('x'.repeat(32));
      expect(problemsOf({ HIWAR_SECRET: 'x'.repeat(31) })).toEqual([
        'HIWAR_SECRET must be at least 32 characters long; generate one with `openssl rand -base64 32`.',
      ]);
    });

    it('lets the embedded database go without a secret', () => {
      expect(loadConfig({}).secret).toBeUndefined();
    });
  });

  describe('HIWAR_DATA_DIR', () => {
    it('resolves the folder to an absolute path', () => {
      expect(loadConfig({ HIWAR_DATA_DIR: 'var/hiwar' }).dataDir).toBe(resolve('var/hiwar'));
      expect(loadConfig({ HIWAR_DATA_DIR: '/srv/hiwar/data' }).dataDir).toBe('/srv/hiwar/data');
    });
  });

  describe('HIWAR_TRUSTED_PROXIES', () => {
    it('reads a comma-separated list of IPs and CIDR ranges', () => {
      expect(
        loadConfig({ HIWAR_TRUSTED_PROXIES: ' 10.0.0.1, 192.168.0.0/16 ,::1,fd00::/8,' }).trustedProxies,
      ).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']);
    });

    it('refuses each entry that is not an IP or a CIDR range, naming it', () => {
      expect(
        problemsOf({ HIWAR_TRUSTED_PROXIES: 'proxy.local,10.0.0.0/33,::1/129,1.2.3.4/x,10.0.0.0/8/1' }),
      ).toEqual([
        'HIWAR_TRUSTED_PROXIES has "proxy.local", which is not an IP address or CIDR range.',
        'HIWAR_TRUSTED_PROXIES has "10.0.0.0/33", which is not an IP address or CIDR range.',
        'HIWAR_TRUSTED_PROXIES has "::1/129", which is not an IP address or CIDR range.',
        'HIWAR_TRUSTED_PROXIES has "1.2.3.4/x", which is not an IP address or CIDR range.',
        'HIWAR_TRUSTED_PROXIES has "10.0.0.0/8/1", which is not an IP address or CIDR range.',
      ]);
    });
  });

  describe('HIWAR_LOG_LEVEL', () => {
    it.each(['fatal', 'error', 'warn', 'info', 'debug', 'silent'])('accepts %s', (level) => {
      expect(loadConfig({ HIWAR_LOG_LEVEL: level }).logLevel).toBe(level);
    });

    it('refuses another word', () => {
      expect(problemsOf({ HIWAR_LOG_LEVEL: 'verbose' })).toEqual([
        'HIWAR_LOG_LEVEL must be one of fatal, error, warn, info, debug, silent.',
      ]);
    });
  });

  it('reports every bad setting at once, in one message a site owner can read', () => {
    const env = {
      PORT: '0',
      HOST: 'my-server',
      HIWAR_PUBLIC_URL: 'comments.example.com',
      DATABASE_URL: 'mysql://db/x',
      HIWAR_TRUSTED_PROXIES: 'lb',
      HIWAR_LOG_LEVEL: 'loud',
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(7);
    expect(message).toBe(
      [
        'Hiwar cannot start; fix these settings:',
        '  - PORT must be a whole number from 1 to 65535 (got "0").',
        '  - HOST must be an IP address to listen on, such as 127.0.0.1 or 0.0.0.0 (got "my-server").',
        '  - HIWAR_PUBLIC_URL must be the http(s) address readers reach Hiwar at, like https://comments.example.com (got "comments.example.com").',
        '  - DATABASE_URL must start with postgres:// or postgresql:// (leave it unset to use the embedded database).',
        '  - HIWAR_SECRET is required with DATABASE_URL: it encrypts email addresses; generate one with `openssl rand -base64 32` and keep it safe.',
        '  - HIWAR_TRUSTED_PROXIES has "lb", which is not an IP address or CIDR range.',
        '  - HIWAR_LOG_LEVEL must be one of fatal, error, warn, info, debug, silent.',
      ].join('\n'),
    );
  });
});

describe('resolveSecret', () => {
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hiwar-config-'));
    folders.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('uses HIWAR_SECRET when it is set, writing nothing', () => {
    const dataDir = folder();
    expect(resolveSecret({ secret: SECRET, dataDir, databaseUrl: undefined })).toBe(SECRET);
    expect(() => statSync(join(dataDir, 'secret'))).toThrow();
  });

  it('generates the embedded secret once into the data folder, readable by its owner only', () => {
    const dataDir = join(folder(), 'not-yet-there');
    const first = resolveSecret({ secret: undefined, dataDir, databaseUrl: undefined });
    expect(first.length).toBeGreaterThanOrEqual(32);
    const path = join(dataDir, 'secret');
    expect(readFileSync(path, 'utf8')).toBe(`${first}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolveSecret({ secret: undefined, dataDir, databaseUrl: undefined })).toBe(first);
  });

  it('refuses to invent a secret for PostgreSQL', () => {
    expect(() =>
      resolveSecret({ secret: undefined, dataDir: folder(), databaseUrl: 'postgres://db/x' }),
    ).toThrow(ConfigError);
  });
});
