import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AdminSiteSchema } from '@hiwar/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP } from '../src/cli/usage.js';
import { runCli } from '../src/cli.js';
import { TEST_DB } from './harness.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line; its arguments are split on spaces (none of these tests needs a space in one). */
async function hiwar(env: Record<string, string>, line: string): Promise<Run> {
  const argv = line.split(' ').filter(Boolean);
  const run = { code: -1, stdout: '', stderr: '' };
  run.code = await runCli(argv, {
    env,
    stdout: { write: (text: string) => (run.stdout += text) },
    stderr: { write: (text: string) => (run.stderr += text) },
  });
  return run;
}

let scratch: ScratchDatabase;
const cli = (line = '') => hiwar(scratch.env, line);

async function listedSites() {
  const run = await cli('site list --json');
  expect(run.code).toBe(0);
  return AdminSiteSchema.array().parse(JSON.parse(run.stdout).sites);
}

async function siteRow(id: string) {
  const handle = await scratch.open();
  try {
    return await handle.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  } finally {
    await handle.close();
  }
}

/** Creating an embedded database from nothing runs initdb: tens of seconds on a busy machine. */
const CREATES_DATABASE = 120_000;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  expect((await cli('migrate')).code).toBe(0);
}, CREATES_DATABASE);
afterAll(async () => {
  await scratch?.drop();
});

describe('hiwar migrate', () => {
  it(
    'creates and migrates an empty database, then finds nothing to apply',
    async () => {
      const fresh = await createScratchDatabase({ empty: true });
      try {
        const first = await hiwar(fresh.env, 'migrate');
        expect(first).toMatchObject({ code: 0, stderr: '' });
        expect(first.stdout).toMatch(
          /^Applied 5 migrations to .*:\n {2}0001-initial\n {2}0002-moderation\n {2}0003-abuse\n {2}0004-flood-and-challenge\n {2}0005-thread-count-changes\n$/,
        );
        const second = await hiwar(fresh.env, 'migrate');
        expect(second).toMatchObject({ code: 0, stderr: '' });
        expect(second.stdout).toContain(
          'is up to date (latest migration: 0005-thread-count-changes); nothing to apply.',
        );
        if (TEST_DB === 'pglite') {
          expect(existsSync(join(fresh.dataDir, 'secret'))).toBe(true);
          // The command released the folder when it was done.
          expect(existsSync(join(fresh.dataDir, 'hiwar.lock'))).toBe(false);
        }

        const handle = await fresh.open();
        try {
          const sites = await handle.db.selectFrom('sites').select(['id', 'moderation', 'origins']).execute();
          // Only a new embedded database gets the demo site.
          if (TEST_DB === 'pglite') {
            expect(sites).toEqual([
              { id: 'demo', moderation: 'none', origins: ['http://localhost:*', 'http://127.0.0.1:*'] },
            ]);
          } else {
            expect(sites).toEqual([]);
          }
        } finally {
          await handle.close();
        }
      } finally {
        await fresh.drop();
      }
    },
    CREATES_DATABASE,
  );

  it('names the database it migrated without its password', async () => {
    const run = await cli('migrate');
    expect(run.code).toBe(0);
    if (TEST_DB === 'postgres') {
      const url = new URL(scratch.databaseUrl as string);
      expect(run.stdout).toContain(`PostgreSQL database ${url.pathname.slice(1)} on ${url.host}`);
    } else {
      expect(run.stdout).toContain(`the embedded database in ${scratch.dataDir}`);
    }
  });
});

describe('hiwar site add', () => {
  it('adds a site with every setting given and prints them', async () => {
    const run = await cli(
      'site add add-all --origin https://news.example --origin https://*.news.example --moderation all --edit-window 30 --depth 3 --lang en',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Added site "add-all".',
        '  origins      https://news.example, https://*.news.example',
        '  moderation   all',
        '  edit window  30 minutes',
        '  reply depth  3',
        '  language     en',
        '',
      ].join('\n'),
    );
    expect(await siteRow('add-all')).toMatchObject({
      origins: ['https://news.example', 'https://*.news.example'],
      moderation: 'all',
      edit_window_minutes: 30,
      max_depth: 3,
      lang: 'en',
    });
  });

  it('gives the settings not named their defaults, and prints JSON with --json', async () => {
    const run = await cli('site add add-defaults --origin https://blog.example --json');
    expect(run.code).toBe(0);
    const site = AdminSiteSchema.parse(JSON.parse(run.stdout));
    expect(site).toMatchObject({
      id: 'add-defaults',
      origins: ['https://blog.example'],
      moderation: 'first-time',
      editWindowMinutes: 15,
      maxDepth: 5,
      lang: 'ar',
    });
  });

  it('stores origins in lower case, without a trailing slash, once each', async () => {
    const run = await cli(
      'site add add-normalized --origin HTTPS://News.Example/ --origin https://news.example --origin http://localhost:* --json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).origins).toEqual(['https://news.example', 'http://localhost:*']);
  });

  it('refuses an id that is taken and leaves that site as it was', async () => {
    expect((await cli('site add add-taken --origin https://one.example')).code).toBe(0);
    const again = await cli('site add add-taken --origin https://two.example --moderation none');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'hiwar: A site with the id "add-taken" already exists. Change its settings with `pnpm hiwar site update`.\n',
    );
    expect(await siteRow('add-taken')).toMatchObject({
      origins: ['https://one.example'],
      moderation: 'first-time',
    });
  });

  const addErrors: Array<[string, string, string]> = [
    ['no id', '--origin https://a.example', 'site add needs the id of a site'],
    ['no origin', 'flag-none', 'site add needs at least one --origin'],
    ['an id that is not a slug', 'Bad_Id! --origin https://a.example', '"Bad_Id!" is not a valid site id'],
    ['an id starting with a dash', '-x --origin https://a.example', 'has no option -x'],
    ['an id of 65 characters', `${'a'.repeat(65)} --origin https://a.example`, 'is not a valid site id'],
    [
      'an origin with a path',
      'flag-o --origin https://a.example/news',
      '--origin: "https://a.example/news" is not an origin',
    ],
    [
      'an origin with another scheme',
      'flag-o --origin ftp://a.example',
      '"ftp://a.example" is not an origin',
    ],
    ['an origin that is a bare host', 'flag-o --origin a.example', '"a.example" is not an origin'],
    ['an origin with user info', 'flag-o --origin https://me@a.example', 'is not an origin'],
    ['an origin with a port past 65535', 'flag-o --origin https://a.example:70000', 'is not an origin'],
    [
      'a wildcard over a top-level domain',
      'flag-o --origin https://*.com',
      'would allow every site under ".com"',
    ],
    ['an origin flag with no value', 'flag-o --origin', '--origin needs a value.'],
    [
      'an unknown moderation policy',
      'flag-m --origin https://a.example --moderation some',
      '--moderation must be none, first-time or all (got "some")',
    ],
    [
      'an edit window past a week',
      'flag-e --origin https://a.example --edit-window 10081',
      '--edit-window must be a whole number of minutes from 0 to 10080',
    ],
    ['a fractional edit window', 'flag-e --origin https://a.example --edit-window 1.5', '(got "1.5")'],
    [
      'a negative edit window',
      'flag-e --origin https://a.example --edit-window -5',
      '--edit-window needs a value (for a value starting with "-", write --edit-window=-5)',
    ],
    [
      'a negative edit window written inline',
      'flag-e --origin https://a.example --edit-window=-5',
      '(got "-5")',
    ],
    [
      'a depth of 0',
      'flag-d --origin https://a.example --depth 0',
      '--depth must be a whole number from 1 to 20 (got "0")',
    ],
    ['a depth of 21', 'flag-d --origin https://a.example --depth 21', '(got "21")'],
    ['a depth that is a word', 'flag-d --origin https://a.example --depth deep', '(got "deep")'],
    [
      'a language other than ar and en',
      'flag-l --origin https://a.example --lang fr',
      '--lang must be ar or en (got "fr")',
    ],
    [
      'an unknown option',
      'flag-u --origin https://a.example --colour red',
      'site add has no option --colour.',
    ],
    [
      'an update-only option',
      'flag-u --origin https://a.example --add-origin https://b.example',
      'site add has no option --add-origin.',
    ],
    ['a value given to --json', 'flag-j --origin https://a.example --json=yes', '--json takes no value.'],
    ['an extra argument', 'flag-x extra --origin https://a.example', 'Unexpected argument "extra".'],
  ];

  it.each(addErrors)('refuses %s with exit code 2 and the usage', async (_name, args, message) => {
    const run = await cli(`site add ${args}`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: pnpm hiwar site add <id> --origin <url>…');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports every bad flag at once, before touching the database', async () => {
    const run = await hiwar(
      {
        HIWAR_DATA_DIR: join(scratch.dataDir, 'never-created'),
        DATABASE_URL: 'postgres://nowhere.invalid/x',
        HIWAR_SECRET: 'x'.repeat(32),
      },
      'site add Nope! --origin ftp://x --moderation maybe --depth 99 --lang de --bogus',
    );
    expect(run.code).toBe(2);
    const problems = run.stderr.split('\n').filter((line) => line.startsWith('hiwar: '));
    expect(problems).toHaveLength(6);
    expect(run.stderr).toContain('--bogus');
    expect(run.stderr).toContain('"Nope!" is not a valid site id');
    expect(run.stderr).toContain('"ftp://x" is not an origin');
    expect(run.stderr).toContain('--moderation must be');
    expect(run.stderr).toContain('--depth must be');
    expect(run.stderr).toContain('--lang must be');
    expect(existsSync(join(scratch.dataDir, 'never-created'))).toBe(false);
  });

  it('created none of the sites whose flags were refused', async () => {
    const ids = (await listedSites()).map((site) => site.id);
    expect(ids.filter((id) => id.startsWith('flag-'))).toEqual([]);
  });
});

describe('hiwar site update', () => {
  it('replaces only the settings given and moves updated_at', async () => {
    await cli('site add upd-some --origin https://news.example --moderation all --depth 4');
    const before = await siteRow('upd-some');
    const run = await cli('site update upd-some --moderation none --edit-window 0');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Updated site "upd-some".');
    const after = await siteRow('upd-some');
    expect(after).toMatchObject({
      origins: ['https://news.example'],
      moderation: 'none',
      edit_window_minutes: 0,
      max_depth: 4,
      lang: 'ar',
    });
    expect(after?.updated_at.getTime()).toBeGreaterThan(before?.updated_at.getTime() as number);
    expect(after?.created_at).toEqual(before?.created_at);
  });

  it('replaces the origins with repeated --origin', async () => {
    await cli('site add upd-replace --origin https://old.example --origin https://older.example');
    const run = await cli(
      'site update upd-replace --origin https://new.example --origin http://localhost:* --json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).origins).toEqual(['https://new.example', 'http://localhost:*']);
  });

  it('adds and removes single origins with --add-origin and --remove-origin', async () => {
    await cli('site add upd-edit --origin https://a.example --origin https://b.example');
    const run = await cli(
      'site update upd-edit --add-origin https://c.example --add-origin https://a.example --remove-origin HTTPS://B.example/ --json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).origins).toEqual(['https://a.example', 'https://c.example']);
  });

  it('refuses to remove an origin the site does not have, or its last one, changing nothing', async () => {
    await cli('site add upd-remove --origin https://a.example');
    const missing = await cli('site update upd-remove --remove-origin https://z.example --lang en');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hiwar: Site "upd-remove" has no origin "https://z.example".\n');
    const last = await cli('site update upd-remove --remove-origin https://a.example');
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('A site needs at least one origin');
    expect(await siteRow('upd-remove')).toMatchObject({ origins: ['https://a.example'], lang: 'ar' });
  });

  it('refuses an unknown site with exit code 1', async () => {
    const run = await cli('site update upd-nobody --lang en');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'hiwar: No site has the id "upd-nobody". See the sites with `pnpm hiwar site list`.\n',
    );
  });

  const updateErrors: Array<[string, string, string]> = [
    ['no id', '--lang en', 'site update needs the id of a site'],
    ['nothing to change', 'upd-x', 'Nothing to change: give at least one of --origin'],
    [
      '--origin together with --add-origin',
      'upd-x --origin https://a.example --add-origin https://b.example',
      '--origin replaces the whole list',
    ],
    [
      'a bad --add-origin',
      'upd-x --add-origin https://a.example/path',
      '--add-origin: "https://a.example/path" is not an origin',
    ],
    ['a bad --origin', 'upd-x --origin localhost:8080', '--origin: "localhost:8080" is not an origin'],
    ['a bad moderation policy', 'upd-x --moderation first', '--moderation must be none, first-time or all'],
    ['a bad edit window', 'upd-x --edit-window soon', '--edit-window must be a whole number'],
    ['a bad depth', 'upd-x --depth 100', '--depth must be a whole number from 1 to 20'],
    ['a bad language', 'upd-x --lang AR', '--lang must be ar or en'],
    ['a --remove-origin with no value', 'upd-x --remove-origin', '--remove-origin needs a value.'],
    ['an unknown option', 'upd-x --name News', 'site update has no option --name.'],
  ];

  it.each(updateErrors)('refuses %s with exit code 2 and the usage', async (_name, args, message) => {
    const run = await cli(`site update ${args}`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: pnpm hiwar site update <id>');
  });
});

describe('hiwar site list', () => {
  it('prints the sites as an aligned table, by id', async () => {
    await cli('site add list-b --origin https://b.example --moderation none --depth 2');
    await cli('site add list-a --origin https://a.example --origin http://localhost:* --lang en');
    const run = await cli('site list');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +MODERATION {2}EDIT WINDOW {2}DEPTH {2}LANG {2}ORIGINS$/);
    const rowA = lines.find((line) => line.startsWith('list-a ')) as string;
    const rowB = lines.find((line) => line.startsWith('list-b ')) as string;
    expect(rowA.split(/ {2,}/)).toEqual([
      'list-a',
      'first-time',
      '15 min',
      '5',
      'en',
      'https://a.example, http://localhost:*',
    ]);
    expect(rowB.split(/ {2,}/)).toEqual(['list-b', 'none', '15 min', '2', 'ar', 'https://b.example']);
    expect(lines.indexOf(rowA)).toBeLessThan(lines.indexOf(rowB));
    // Columns line up: every row's ORIGINS column starts where the header's does.
    const column = (lines[0] as string).indexOf('ORIGINS');
    expect(rowA.indexOf('https://a.example')).toBe(column);
    expect(rowB.indexOf('https://b.example')).toBe(column);
  });

  it('prints JSON with --json, each site in the protocol shape', async () => {
    await cli('site add list-json --origin https://j.example --edit-window 60');
    const sites = await listedSites();
    expect(sites.find((site) => site.id === 'list-json')).toMatchObject({
      origins: ['https://j.example'],
      editWindowMinutes: 60,
    });
    expect(sites.map((site) => site.id)).toEqual([...sites.map((site) => site.id)].sort());
  });

  // A new embedded database always has the demo site.
  it.runIf(TEST_DB === 'postgres')(
    'says how to add a site when there is none',
    async () => {
      const fresh = await createScratchDatabase();
      try {
        const run = await hiwar(fresh.env, 'site list');
        expect(run.code).toBe(0);
        expect(run.stdout).toBe(
          'No sites yet. Add one with: pnpm hiwar site add <id> --origin https://your-site.example\n',
        );
      } finally {
        await fresh.drop();
      }
    },
    CREATES_DATABASE,
  );

  it('refuses arguments it does not take', async () => {
    const run = await cli('site list all --csv');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('site list has no option --csv.');
    expect(run.stderr).toContain('Unexpected argument "all".');
  });
});

describe('hiwar help, unknown commands and settings', () => {
  it('lists the commands that exist with `help`, and exits 0', async () => {
    const run = await cli('help');
    expect(run).toEqual({ code: 0, stdout: HELP, stderr: '' });
    for (const command of [
      'serve',
      'migrate',
      'site add <id>',
      'site update <id>',
      'site list',
      '--origin',
      '--add-origin',
      '--remove-origin',
      '--moderation',
      '--edit-window',
      '--depth',
      '--lang',
      '--json',
    ]) {
      expect(HELP).toContain(command);
    }
    for (const admin of ['admin create <user>', 'admin list', 'admin password <user>']) {
      expect(HELP).toContain(admin);
    }
    for (const later of ['import', 'export']) expect(HELP).not.toContain(later);
    expect((await cli('site add --help')).stdout).toBe(HELP);
  });

  it('prints the help and exits 2 for an unknown command or none', async () => {
    const unknown = await cli('sites');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`hiwar: unknown command "sites".\n\n${HELP}`);
    const none = await cli();
    expect(none).toEqual({ code: 2, stdout: '', stderr: HELP });
    const sub = await cli('site remove x');
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('site has no sub-command "remove". Use site add, site update or site list.');
  });

  it('refuses arguments to migrate and serve', async () => {
    const migrate = await cli('migrate --force');
    expect(migrate.code).toBe(2);
    expect(migrate.stderr).toContain('migrate has no option --force.');
    const serve = await cli('serve now');
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('serve takes no arguments (got "now").');
  });

  it('reports every bad setting at once with exit code 2 and no stack trace', async () => {
    const run = await hiwar({ PORT: '0', HIWAR_SECRET: 'short', HIWAR_LOG_LEVEL: 'loud' }, 'site list');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        'Hiwar cannot start; fix these settings:',
        '  - PORT must be a whole number from 1 to 65535 (got "0").',
        '  - HIWAR_SECRET must be at least 32 characters long; generate one with `openssl rand -base64 32`.',
        '  - HIWAR_LOG_LEVEL must be one of fatal, error, warn, info, debug, silent.',
        '',
      ].join('\n'),
    );
  });

  it('refuses a database created with another secret, plainly, with exit code 1', async () => {
    expect((await cli('migrate')).code).toBe(0);
    const env = { ...scratch.env, HIWAR_SECRET: 'another-secret-of-at-least-thirty-two-chars' };
    const run = await hiwar(env, 'site list');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^HIWAR_SECRET does not match the one this database was created with/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a PostgreSQL server that does not answer, plainly, with exit code 1', async () => {
    const port = await closedPort();
    const run = await hiwar(
      {
        DATABASE_URL: `postgres://hiwar:pw-never-shown@127.0.0.1:${port}/comments`,
        HIWAR_SECRET: 'x'.repeat(32),
      },
      'site list',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^Hiwar cannot use PostgreSQL database comments on 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(run.stderr).not.toContain('pw-never-shown');
  });

  it.runIf(TEST_DB === 'postgres')('reports a PostgreSQL database that does not exist, plainly', async () => {
    const url = new URL(process.env.HIWAR_TEST_PG_URL as string);
    url.pathname = '/hiwar_no_such_database';
    const run = await hiwar({ DATABASE_URL: url.toString(), HIWAR_SECRET: 'x'.repeat(32) }, 'migrate');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Hiwar cannot use PostgreSQL database hiwar_no_such_database');
    expect(run.stderr).toContain('database "hiwar_no_such_database" does not exist');
  });
});

describe.runIf(TEST_DB === 'pglite')('the embedded data folder', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });
  const lockFile = () => join(scratch.dataDir, 'hiwar.lock');

  it('cannot be opened while another live process holds it: a plain message and exit code 1', async () => {
    await cli('migrate');
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(holder);
    await new Promise((resolve) => holder.once('spawn', resolve));
    writeFileSync(lockFile(), `${holder.pid} ${hostname()}\n`);

    const run = await cli('site add locked-out --origin https://a.example');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `The embedded database in ${scratch.dataDir} is in use by another Hiwar process (pid ${holder.pid}). ` +
        'Stop the server before running this command, or set DATABASE_URL to use PostgreSQL, which many processes can share.\n',
    );
    // The holder's lock is left alone.
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${holder.pid} ${hostname()}\n`);

    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  });

  it('is taken over when its lock was left by a process that is gone', async () => {
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(lockFile(), `${gone.pid} ${hostname()}\n`);

    const run = await cli('site add after-stale-lock --origin https://a.example');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(lockFile())).toBe(false);
    expect((await listedSites()).map((site) => site.id)).toContain('after-stale-lock');
  });
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
