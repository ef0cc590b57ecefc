import { AdminSiteSchema } from '@hiwar/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP, USAGE } from '../src/cli/usage.js';
import { runCli } from '../src/cli.js';
import { deriveKeys } from '../src/crypto/keys.js';
import { openAkismetKey } from '../src/sites/sites.service.js';
import { TEST_SECRET } from './harness.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

// `hiwar site add|update` with the abuse-control flags of issue 5, on a scratch database
// (PGlite and PostgreSQL, as cli.test.ts).

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line given as its arguments (so an argument may be empty or hold spaces). */
async function hiwar(...argv: string[]): Promise<Run> {
  const run = { code: -1, stdout: '', stderr: '' };
  run.code = await runCli(argv, {
    env: scratch.env,
    stdout: { write: (text: string) => (run.stdout += text) },
    stderr: { write: (text: string) => (run.stderr += text) },
  });
  return run;
}

async function siteRow(id: string) {
  const handle = await scratch.open();
  try {
    return await handle.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  } finally {
    await handle.close();
  }
}

/** What the CLI printed, parsed as the admin API's site. */
function jsonSite(run: Run) {
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  return AdminSiteSchema.parse(JSON.parse(run.stdout));
}

/** An Akismet-looking key, distinct per test, so a leak of one is found wherever it lands. */
let keyCounter = 0;
const newKey = () => `k3y${++keyCounter}a1b2c3d4`;

let scratch: ScratchDatabase;
let siteCounter = 0;
/** A fresh site (all defaults) for one test. */
async function freshSite(): Promise<string> {
  const id = `abuse-${++siteCounter}`;
  expect((await hiwar('site', 'add', id, '--origin', 'https://news.example')).code).toBe(0);
  return id;
}

/** Creating an embedded database from nothing runs initdb: tens of seconds on a busy machine. */
const CREATES_DATABASE = 120_000;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  expect((await hiwar('migrate')).code).toBe(0);
}, CREATES_DATABASE);
afterAll(async () => {
  await scratch?.drop();
});

describe('hiwar site add with the abuse flags', () => {
  it('gives a new site the abuse defaults, and prints none of them in the summary', async () => {
    const run = await hiwar('site', 'add', 'abuse-defaults', '--origin', 'https://news.example');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Added site "abuse-defaults".',
        '  origins      https://news.example',
        '  moderation   first-time',
        '  edit window  15 minutes',
        '  reply depth  5',
        '  language     ar',
        '',
      ].join('\n'),
    );
    expect(await siteRow('abuse-defaults')).toMatchObject({
      flood_seconds: 15,
      thread_hourly_limit: 0,
      site_hourly_limit: 0,
      challenge: 'hold',
      min_fill_seconds: 3,
      pow_mode: 'flood',
      pow_difficulty: 16,
      pow_flood_threshold: 60,
      spam_checker: 'off',
      akismet_key_enc: null,
      spam_check_email: false,
    });
  });

  it('sets every abuse setting at once and prints each that is not the default, never the key', async () => {
    const key = newKey();
    // biome-ignore format: one flag and its value a line
    const run = await hiwar(
      'site', 'add', 'abuse-all', '--origin', 'https://news.example',
      '--flood-seconds', '30',
      '--thread-hourly-limit', '100',
      '--site-hourly-limit', '1000',
      '--challenge', 'require',
      '--min-fill-seconds', '5',
      '--proof-of-work', 'always',
      '--pow-difficulty', '20',
      '--pow-flood-threshold', '90',
      '--spam-checker', 'akismet',
      '--akismet-key', key,
      '--spam-check-email', 'yes',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Added site "abuse-all".',
        '  origins      https://news.example',
        '  moderation   first-time',
        '  edit window  15 minutes',
        '  reply depth  5',
        '  language     ar',
        '  flood limit  one comment per 30 seconds per network and author',
        '  thread limit 100 comments an hour',
        '  site limit   1000 comments an hour',
        '  challenge    require',
        '  min fill     5 seconds',
        '  puzzle       always, 20 bits',
        "  spam checker akismet, sent the commenter's email",
        '  akismet key  set',
        '',
      ].join('\n'),
    );
    const row = await siteRow('abuse-all');
    expect(row).toMatchObject({
      flood_seconds: 30,
      thread_hourly_limit: 100,
      site_hourly_limit: 1000,
      challenge: 'require',
      min_fill_seconds: 5,
      pow_mode: 'always',
      pow_difficulty: 20,
      pow_flood_threshold: 90,
      spam_checker: 'akismet',
      spam_check_email: true,
    });
    // Stored sealed: not the key's bytes, but the key once opened with the server's keys.
    const sealed = Buffer.from(row.akismet_key_enc as Uint8Array);
    expect(sealed.includes(Buffer.from(key))).toBe(false);
    expect(openAkismetKey(deriveKeys(TEST_SECRET), sealed)).toBe(key);
  });

  it('prints the abuse settings with --json, and whether a key is set, never the key', async () => {
    const key = newKey();
    // biome-ignore format: one flag and its value a line
    const run = await hiwar(
      'site', 'add', 'abuse-json', '--origin', 'https://news.example',
      '--challenge', 'off',
      '--proof-of-work', 'off',
      '--akismet-key', key,
      '--json',
    );
    expect(run.stdout).not.toContain(key);
    const site = jsonSite(run);
    expect(site).toMatchObject({
      id: 'abuse-json',
      floodSeconds: 15,
      threadHourlyLimit: 0,
      siteHourlyLimit: 0,
      challenge: 'off',
      minFillSeconds: 3,
      proofOfWork: 'off',
      powDifficulty: 16,
      powFloodThreshold: 60,
      spamChecker: 'off',
      spamCheckEmail: false,
      akismetKeySet: true,
    });
    expect(Object.keys(site)).not.toContain('akismetKey');

    const list = await hiwar('site', 'list', '--json');
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(key);
    const listed = AdminSiteSchema.array().parse(JSON.parse(list.stdout).sites);
    expect(listed.find((s) => s.id === 'abuse-json')?.akismetKeySet).toBe(true);
  });
});

describe('hiwar site update with the abuse flags', () => {
  // flag, value, the column it sets, the stored value, the --json field and its value
  const flags: Array<[string, string, string, unknown, string, unknown]> = [
    ['--flood-seconds', '0', 'flood_seconds', 0, 'floodSeconds', 0],
    ['--flood-seconds', '86400', 'flood_seconds', 86_400, 'floodSeconds', 86_400],
    ['--thread-hourly-limit', '25', 'thread_hourly_limit', 25, 'threadHourlyLimit', 25],
    ['--site-hourly-limit', '1000000', 'site_hourly_limit', 1_000_000, 'siteHourlyLimit', 1_000_000],
    ['--challenge', 'off', 'challenge', 'off', 'challenge', 'off'],
    ['--challenge', 'require', 'challenge', 'require', 'challenge', 'require'],
    ['--min-fill-seconds', '0', 'min_fill_seconds', 0, 'minFillSeconds', 0],
    ['--min-fill-seconds', '3600', 'min_fill_seconds', 3_600, 'minFillSeconds', 3_600],
    ['--proof-of-work', 'always', 'pow_mode', 'always', 'proofOfWork', 'always'],
    ['--proof-of-work', 'off', 'pow_mode', 'off', 'proofOfWork', 'off'],
    ['--pow-difficulty', '1', 'pow_difficulty', 1, 'powDifficulty', 1],
    ['--pow-difficulty', '32', 'pow_difficulty', 32, 'powDifficulty', 32],
    ['--pow-flood-threshold', '1', 'pow_flood_threshold', 1, 'powFloodThreshold', 1],
    ['--spam-checker', 'akismet', 'spam_checker', 'akismet', 'spamChecker', 'akismet'],
    ['--spam-check-email', 'yes', 'spam_check_email', true, 'spamCheckEmail', true],
  ];

  // One site for the table: each row changes one setting of what the rows before left.
  let id = '';
  beforeAll(async () => {
    id = await freshSite();
  });

  it.each(flags)('%s %s sets its setting alone', async (flag, value, column, stored, field, shown) => {
    const before = await siteRow(id);
    const site = jsonSite(await hiwar('site', 'update', id, flag, value, '--json'));
    expect(site[field as keyof typeof site]).toEqual(shown);
    const after = await siteRow(id);
    expect(after[column as keyof typeof after]).toEqual(stored);
    // Nothing else moved.
    const others = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).filter(([name]) => name !== column && name !== 'updated_at'));
    expect(others(after)).toEqual(others(before));
  });

  it('turns the email off again with --spam-check-email no, and the checker with --spam-checker off', async () => {
    const id = await freshSite();
    await hiwar('site', 'update', id, '--spam-checker', 'akismet', '--spam-check-email', 'yes');
    const site = jsonSite(
      await hiwar('site', 'update', id, '--spam-checker', 'off', '--spam-check-email', 'no', '--json'),
    );
    expect(site).toMatchObject({ spamChecker: 'off', spamCheckEmail: false });
  });

  it('stores, replaces and removes the Akismet key (an empty value removes it), never printing it', async () => {
    const id = await freshSite();
    const first = newKey();
    const set = await hiwar('site', 'update', id, '--akismet-key', first);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toContain('\n  akismet key  set\n');
    expect(set.stdout).not.toContain(first);
    const keys = deriveKeys(TEST_SECRET);
    expect(openAkismetKey(keys, (await siteRow(id)).akismet_key_enc)).toBe(first);

    const second = newKey();
    const replaced = await hiwar('site', 'update', id, `--akismet-key=${second}`, '--json');
    expect(replaced.stdout).not.toContain(second);
    expect(jsonSite(replaced).akismetKeySet).toBe(true);
    expect(openAkismetKey(keys, (await siteRow(id)).akismet_key_enc)).toBe(second);

    const removed = await hiwar('site', 'update', id, '--akismet-key', '', '--json');
    expect(jsonSite(removed).akismetKeySet).toBe(false);
    expect((await siteRow(id)).akismet_key_enc).toBeNull();
    // The inline form of an empty value removes it too.
    await hiwar('site', 'update', id, '--akismet-key', newKey());
    expect(jsonSite(await hiwar('site', 'update', id, '--akismet-key=', '--json')).akismetKeySet).toBe(false);
  });

  it('says so when the spam checker is on without a key (every comment would wait)', async () => {
    const id = await freshSite();
    const run = await hiwar('site', 'update', id, '--spam-checker', 'akismet');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '  akismet key  not set: every comment waits for moderation until one is given\n',
    );
  });

  it('prints the non-default puzzle, flood and fill settings in words', async () => {
    const id = await freshSite();
    // biome-ignore format: one flag and its value a line
    const run = await hiwar(
      'site', 'update', id,
      '--flood-seconds', '0',
      '--min-fill-seconds', '1',
      '--pow-flood-threshold', '200',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  flood limit  off\n');
    expect(run.stdout).toContain('  min fill     1 second\n');
    expect(run.stdout).toContain('  puzzle       when the site gets 200 comments in 10 minutes, 16 bits\n');
    const off = await hiwar('site', 'update', id, '--proof-of-work', 'off');
    expect(off.stdout).toContain('  puzzle       off\n');
  });
});

describe('bad abuse flags', () => {
  const errors: Array<[string, string[], string]> = [
    [
      'a negative flood interval',
      ['--flood-seconds=-1'],
      '--flood-seconds must be a whole number of seconds from 0 to 86400 (a day); 0 turns the limit off (got "-1").',
    ],
    [
      'a flood interval past a day',
      ['--flood-seconds', '86401'],
      '--flood-seconds must be a whole number of seconds from 0 to 86400',
    ],
    [
      'a fractional flood interval',
      ['--flood-seconds', '1.5'],
      '--flood-seconds must be a whole number of seconds from 0 to 86400 (a day); 0 turns the limit off (got "1.5").',
    ],
    [
      'a thread ceiling past a million',
      ['--thread-hourly-limit', '1000001'],
      '--thread-hourly-limit must be a whole number of comments from 0 to 1000000; 0 is no ceiling (got "1000001").',
    ],
    [
      'a site ceiling that is a word',
      ['--site-hourly-limit', 'lots'],
      '--site-hourly-limit must be a whole number of comments from 0 to 1000000; 0 is no ceiling (got "lots").',
    ],
    [
      'an unknown challenge mode',
      ['--challenge', 'strict'],
      '--challenge must be off, hold or require (got "strict").',
    ],
    [
      'a challenge mode in capitals',
      ['--challenge', 'HOLD'],
      '--challenge must be off, hold or require (got "HOLD").',
    ],
    [
      'a fill time past an hour',
      ['--min-fill-seconds', '3601'],
      '--min-fill-seconds must be a whole number of seconds from 0 to 3600; 0 turns the check off (got "3601").',
    ],
    [
      'an unknown proof-of-work mode',
      ['--proof-of-work', 'sometimes'],
      '--proof-of-work must be off, flood or always (got "sometimes").',
    ],
    [
      'a difficulty of 0',
      ['--pow-difficulty', '0'],
      '--pow-difficulty must be a whole number of bits from 1 to 32; each one more doubles the work (got "0").',
    ],
    [
      'a difficulty of 33',
      ['--pow-difficulty', '33'],
      '--pow-difficulty must be a whole number of bits from 1 to 32',
    ],
    [
      'a flood threshold of 0',
      ['--pow-flood-threshold', '0'],
      '--pow-flood-threshold must be a whole number of comments in 10 minutes from 1 to 1000000 (got "0").',
    ],
    [
      'an unknown spam checker',
      ['--spam-checker', 'defensio'],
      '--spam-checker must be off or akismet (got "defensio").',
    ],
    [
      'an email choice other than yes or no',
      ['--spam-check-email', 'true'],
      '--spam-check-email must be yes or no (got "true").',
    ],
    ['a flag with no value', ['--challenge'], '--challenge needs a value.'],
    ['the email choice with no value', ['--spam-check-email'], '--spam-check-email needs a value.'],
  ];

  it.each(errors)('refuses %s on update with exit code 2 and the usage', async (_name, args, message) => {
    const run = await hiwar('site', 'update', 'abuse-x', ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`hiwar: ${message}`);
    expect(run.stderr).toContain(`Usage: ${USAGE.siteUpdate}`);
  });

  it.each(errors)('refuses %s on add with exit code 2 and creates nothing', async (_name, args, message) => {
    const run = await hiwar('site', 'add', 'abuse-refused', '--origin', 'https://news.example', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`hiwar: ${message}`);
    expect(run.stderr).toContain(`Usage: ${USAGE.siteAdd}`);
  });

  it('refuses a key too long without repeating it', async () => {
    const key = `secret${'x'.repeat(200)}`;
    const run = await hiwar('site', 'update', 'abuse-x', '--akismet-key', key);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'hiwar: --akismet-key must be at most 200 characters (the key is not shown here).',
    );
    expect(run.stderr).not.toContain('secretx');
  });

  it('reports every bad abuse flag at once, and changes nothing', async () => {
    const id = await freshSite();
    const before = await siteRow(id);
    // biome-ignore format: one flag and its value a line
    const run = await hiwar(
      'site', 'update', id,
      '--flood-seconds', 'x',
      '--challenge', 'x',
      '--proof-of-work', 'x',
      '--pow-difficulty', 'x',
      '--spam-checker', 'x',
      '--spam-check-email', 'x',
      '--akismet-key', newKey(),
    );
    expect(run.code).toBe(2);
    const problems = run.stderr.split('\n').filter((line) => line.startsWith('hiwar: '));
    expect(problems).toHaveLength(6);
    expect(await siteRow(id)).toEqual(before);
  });

  it('names every new flag in "Nothing to change"', async () => {
    const run = await hiwar('site', 'update', 'abuse-x');
    expect(run.code).toBe(2);
    for (const flag of ABUSE_FLAGS) expect(run.stderr).toContain(flag);
  });

  it('created none of the sites whose flags were refused', async () => {
    const list = await hiwar('site', 'list', '--json');
    const ids = JSON.parse(list.stdout).sites.map((site: { id: string }) => site.id);
    expect(ids).not.toContain('abuse-refused');
  });
});

const ABUSE_FLAGS = [
  '--flood-seconds',
  '--thread-hourly-limit',
  '--site-hourly-limit',
  '--challenge',
  '--min-fill-seconds',
  '--proof-of-work',
  '--pow-difficulty',
  '--pow-flood-threshold',
  '--spam-checker',
  '--akismet-key',
  '--spam-check-email',
];

describe('hiwar help', () => {
  it('describes every abuse flag, and both usage lines name them', () => {
    for (const flag of ABUSE_FLAGS) {
      expect(HELP).toMatch(new RegExp(`^ {2}${flag} `, 'm'));
      expect(USAGE.siteAdd).toContain(`[${flag} `);
      expect(USAGE.siteUpdate).toContain(`[${flag} `);
    }
    // The help says what the spam checker receives before anyone turns it on.
    expect(HELP).toContain('text, name, website, IP');
  });
});
