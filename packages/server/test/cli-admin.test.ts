import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { AdminUserSchema } from '@hiwar/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords.js';
import type { PasswordSource } from '../src/cli/password-input.js';
import { runCli } from '../src/cli.js';
import { tokenHash } from '../src/crypto/keys.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line with `input` as its stdin: a pipe (a string) or a terminal (typed lines). */
async function hiwar(line: string, input: string | FakeTerminal = ''): Promise<Run> {
  const run = { code: -1, stdout: '', stderr: '' };
  run.code = await runCli(line.split(' ').filter(Boolean), {
    env: scratch.env,
    stdin: typeof input === 'string' ? Readable.from([input]) : input,
    stdout: { write: (text: string) => (run.stdout += text) },
    stderr: { write: (text: string) => (run.stderr += text) },
  });
  return run;
}

/** A terminal in raw mode: each line "typed" when the CLI starts listening, key by key. */
class FakeTerminal extends EventEmitter implements PasswordSource {
  isTTY = true;
  rawModes: boolean[] = [];
  constructor(private lines: string[]) {
    super();
  }
  setRawMode(mode: boolean) {
    this.rawModes.push(mode);
  }
  setEncoding() {}
  resume() {}
  pause() {}
  override on(event: string, listener: (chunk: string) => void): this {
    super.on(event, listener);
    const next = this.lines.shift();
    if (event === 'data' && next !== undefined) {
      setImmediate(() => {
        for (const key of next) this.emit('data', key);
      });
    }
    return this;
  }
  async *[Symbol.asyncIterator](): AsyncIterator<string> {}
}

let scratch: ScratchDatabase;

async function users() {
  const handle = await scratch.open();
  try {
    return await handle.db.selectFrom('users').selectAll().orderBy('id').execute();
  } finally {
    await handle.close();
  }
}

const CREATES_DATABASE = 120_000;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  expect((await hiwar('site add news --origin https://news.example')).code).toBe(0);
}, CREATES_DATABASE);
afterAll(async () => {
  await scratch?.drop();
});

describe('hiwar admin', () => {
  it('makes the first account an owner whatever --role says, reading the password from stdin', async () => {
    expect((await hiwar('admin list')).stdout).toContain('No accounts yet');
    const run = await hiwar(
      'admin create Huda --role moderator',
      'first owner password\nignored second line\n',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'Created owner "Huda" (the first account is always an owner).\n  id        1\n  role      owner\n  sites     every site\n',
    );
    const [row] = await users();
    expect(row).toMatchObject({ username: 'Huda', role: 'owner', disabled: false });
    expect(await verifyPassword('first owner password', row?.password_hash as string)).toBe(true);
    expect(row?.password_hash).toMatch(/^\$scrypt\$ln=15,/);
  });

  it('makes later accounts moderators unless --role owner, with their sites, and --json', async () => {
    const moderator = await hiwar('admin create sami --site news --json', 'moderator password\r\n');
    expect(moderator.code).toBe(0);
    expect(AdminUserSchema.parse(JSON.parse(moderator.stdout))).toMatchObject({
      username: 'sami',
      role: 'moderator',
      sites: ['news'],
    });
    const owner = await hiwar('admin create layla --role owner', 'second owner password');
    expect(owner.stdout).toMatch(/^Created owner "layla"\.\n/);

    const table = await hiwar('admin list');
    expect(table.stdout).toBe(
      [
        'ID  USERNAME  ROLE       STATUS   SITES',
        '1   Huda      owner      enabled  every site',
        '2   sami      moderator  enabled  news',
        '3   layla     owner      enabled  every site',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await hiwar('admin list --json')).stdout);
    expect(json.users.map((u: { username: string }) => u.username)).toEqual(['Huda', 'sami', 'layla']);
    expect(JSON.stringify(json)).not.toMatch(/scrypt|password/);
  });

  it('refuses a taken name without regard to case, and changes nothing', async () => {
    const before = await users();
    const run = await hiwar('admin create HUDA', 'another password!!');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'hiwar: The username "HUDA" is taken (names are compared without regard to case).\n',
    );
    expect(await users()).toEqual(before);
  });

  const usageErrors: Array<[string, string]> = [
    ['admin create x1 --role admin', '--role must be owner or moderator (got "admin").'],
    ['admin create', 'admin create needs a username'],
    ['admin create has/slash', '"has/slash" is not a valid username'],
    ['admin create a', '"a" is not a valid username'],
    ['admin create x2 --site Bad!', '--site: "Bad!" is not a valid site id.'],
    ['admin create x3 --role owner --site news', 'An owner moderates every site: drop --site.'],
    ['admin create x4 extra', 'Unexpected argument "extra".'],
    ['admin create x5 --password secret', 'admin create has no option --password.'],
    ['admin list everyone', 'Unexpected argument "everyone".'],
    ['admin password', 'admin password needs a username'],
    ['admin', 'admin needs a sub-command.'],
    ['admin delete huda', 'admin has no sub-command "delete".'],
  ];
  for (const [line, message] of usageErrors) {
    it(`exits 2 for \`${line}\``, async () => {
      const run = await hiwar(line, 'long enough password');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`hiwar: ${message}`);
      expect(run.stderr).toContain('Usage: pnpm hiwar admin');
    });
  }

  it('refuses a short, empty or NUL-bearing password and an unknown site, creating nothing', async () => {
    const before = await users();
    for (const input of ['short\n', '', '\n', 'with a NUL \u0000 in it\n']) {
      const run = await hiwar('admin create omar', input);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'hiwar: The password must be 10 to 1024 characters long (without NUL); nothing was changed.\n',
      );
    }
    const site = await hiwar('admin create omar --site nowhere', 'long enough password');
    expect(site.code).toBe(1);
    expect(site.stderr).toBe(
      'hiwar: No site has the id nowhere. See the sites with `pnpm hiwar site list`.\n',
    );
    expect(await users()).toEqual(before);
  });

  it('asks twice without echo on a terminal, and refuses two different entries', async () => {
    const terminal = new FakeTerminal(['typed password 1\r', 'typed password 1\r']);
    const run = await hiwar('admin create nadia', terminal);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('New password for nadia: \nRepeat it: \n');
    expect(run.stdout).not.toContain('typed password');
    expect(terminal.rawModes).toEqual([true, false, true, false]);
    const row = (await users()).find((u) => u.username === 'nadia');
    expect(await verifyPassword('typed password 1', row?.password_hash as string)).toBe(true);

    const differ = await hiwar(
      'admin create rami',
      new FakeTerminal(['one password!!\r', 'another one!!\r']),
    );
    expect(differ.code).toBe(1);
    expect(differ.stderr).toContain('hiwar: The two passwords differ; nothing was changed.');
    const cancelled = await hiwar('admin create rami', new FakeTerminal(['abc\u0003']));
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toContain('hiwar: Cancelled; nothing was changed.');
    expect((await users()).some((u) => u.username === 'rami')).toBe(false);
    // Backspace edits what was typed.
    const edited = await hiwar(
      'admin create rima',
      new FakeTerminal(['long passwordX\u007f\r', 'long password\r']),
    );
    expect(edited.code).toBe(0);
  });

  it('admin password sets a new password, ends the sessions and leaves an audit entry', async () => {
    const handle = await scratch.open();
    const [owner] = await handle.db.selectFrom('users').select('id').where('username', '=', 'Huda').execute();
    await handle.db
      .insertInto('sessions')
      .values({
        id_hash: tokenHash('some-session'),
        user_id: owner?.id as string,
        expires_at: new Date(Date.now() + 60_000),
      })
      .execute();
    await handle.close();

    const run = await hiwar('admin password huda', 'a fresh password\n');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('Set a new password for "Huda" and ended their sessions.\n');
    const row = (await users()).find((u) => u.username === 'Huda');
    expect(await verifyPassword('a fresh password', row?.password_hash as string)).toBe(true);

    const check = await scratch.open();
    try {
      expect(await check.db.selectFrom('sessions').select('user_id').execute()).toEqual([]);
      const audit = await check.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'user.update')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: null, user_id: null, target_id: String(owner?.id) });
      expect(JSON.stringify(audit)).not.toContain('fresh password');
    } finally {
      await check.close();
    }

    const unknown = await hiwar('admin password nobody', 'a fresh password\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('hiwar: No user is named "nobody"; see `pnpm hiwar admin list`.\n');
  });

  it('lists the admin commands in the help', async () => {
    const run = await hiwar('help');
    expect(run.stdout).toContain('admin create <user>');
    expect(run.stdout).toContain('admin password <user>');
  });
});
