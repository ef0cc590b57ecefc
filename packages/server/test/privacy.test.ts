import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type TestContext, useTestApp } from './harness.js';
import { bearer, commentBody, PAGE, readBody, sendJson, threadPath } from './helpers/api.js';

const t = useTestApp();

/** A unique, mixed-case address; `padded` ones are typed with white space around. */
function canary(label: string, padded = false): string {
  const address = `Kanari.${label}.${randomBytes(5).toString('hex').toUpperCase()}@Canary-Mail.Example`;
  return padded ? `  ${address} ` : address;
}

/**
 * Every form of an address that counts as a leak: the address (matched without
 * regard to case, URL-encoded too) and the MD5, SHA-1 and SHA-256 of the
 * address as typed, lower-cased and trimmed, in hex (any case), base64 and base64url.
 */
function forbiddenForms(typed: string): { anyCase: string[]; exact: string[] } {
  const variants = [...new Set([typed, typed.toLowerCase(), typed.trim(), typed.trim().toLowerCase()])];
  const anyCase = new Set<string>();
  const exact = new Set<string>();
  for (const variant of variants) {
    anyCase.add(variant.trim().toLowerCase());
    anyCase.add(encodeURIComponent(variant.trim()).toLowerCase());
    for (const algorithm of ['md5', 'sha1', 'sha256']) {
      const digest = createHash(algorithm).update(variant, 'utf8').digest();
      anyCase.add(digest.toString('hex'));
      exact.add(digest.toString('base64'));
      exact.add(digest.toString('base64').replace(/=+$/, ''));
      exact.add(digest.toString('base64url'));
    }
  }
  return { anyCase: [...anyCase], exact: [...exact] };
}

/** The forms of any of `addresses` found in `text`. */
function leaks(text: string, addresses: string[]): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const address of addresses) {
    const { anyCase, exact } = forbiddenForms(address);
    for (const form of anyCase) if (lower.includes(form)) found.push(`${address.trim()} as ${form}`);
    for (const form of exact) if (text.includes(form)) found.push(`${address.trim()} as ${form}`);
  }
  return found;
}

/** Records every response: status line, every header, the body. */
function recorder(ctx: TestContext) {
  const transcript: string[] = [];
  const record = async (label: string, pending: Promise<Response>) => {
    const res = await pending;
    const body = await res.text();
    const headers = [...res.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
    transcript.push(`### ${label}\n${res.status}\n${headers}\n\n${body}`);
    return {
      status: res.status,
      json: body && res.headers.get('content-type')?.includes('json') ? JSON.parse(body) : null,
    };
  };
  const post = (label: string, body: unknown, init: RequestInit = {}) =>
    record(label, ctx.post('/api/v1/comments', body, init));
  const get = (label: string, path: string, init: RequestInit = {}) => record(label, ctx.request(path, init));
  return { transcript, record, post, get };
}

/** Comments of every kind, each author with their own canary address. Returns the addresses. */
async function populate(ctx: TestContext, r: ReturnType<typeof recorder>) {
  await ctx.addSite({ id: 'news' });
  await ctx.addSite({ id: 'held', moderation: 'all' });
  const emails = {
    top: canary('Top'),
    reply: canary('Reply', true),
    nested: canary('Nested'),
    pending: canary('Pending'),
    edited: canary('Edited', true),
    deletedParent: canary('DeletedParent'),
    orphanReply: canary('OrphanReply'),
    deletedAlone: canary('DeletedAlone'),
    idempotent: canary('Idempotent'),
    refused: canary('Refused'),
  };
  const make = (email: string, extra: Record<string, unknown> = {}) =>
    commentBody({
      body: `marker-${email.trim().slice(7, 20)}`,
      author: { name: 'قارئ', email, website: 'https://reader.example' },
      ...extra,
    });
  const id = (answer: { json: { comment: { id: string } } }) => answer.json.comment.id;

  const top = await r.post('create top', make(emails.top));
  const reply = await r.post('create reply', make(emails.reply, { parentId: id(top) }));
  await r.post('create nested', make(emails.nested, { parentId: id(reply) }));
  for (let i = 0; i < 10; i++)
    await r.post(`create filler ${i}`, make(emails.top, { parentId: id(top), body: `filler ${i}` }));
  const pending = await r.post('create pending', make(emails.pending, { site: 'held' }));
  const edited = await r.post('create edited', make(emails.edited));
  await r.record(
    'edit',
    sendJson(
      ctx,
      'PATCH',
      `/api/v1/comments/${id(edited)}`,
      { body: 'edited body' },
      bearer(edited.json.editToken),
    ),
  );
  const parent = await r.post('create deleted parent', make(emails.deletedParent));
  await r.post('create orphan reply', make(emails.orphanReply, { parentId: id(parent) }));
  await r.record(
    'delete parent',
    ctx.request(`/api/v1/comments/${id(parent)}`, {
      method: 'DELETE',
      headers: bearer(parent.json.editToken),
    }),
  );
  const alone = await r.post('create deleted alone', make(emails.deletedAlone));
  await r.record(
    'delete alone',
    ctx.request(`/api/v1/comments/${id(alone)}`, { method: 'DELETE', headers: bearer(alone.json.editToken) }),
  );
  const key = { headers: { 'idempotency-key': `canary-${randomBytes(4).toString('hex')}` } };
  const idempotent = await r.post('create idempotent', make(emails.idempotent), key);
  await r.post('retry idempotent', make(emails.idempotent), key);
  return {
    emails,
    ids: {
      top: id(top),
      pending: id(pending),
      edited: id(edited),
      parent: id(parent),
      idempotent: id(idempotent),
    },
    tokens: { pending: pending.json.editToken as string, edited: edited.json.editToken as string },
    make,
    key,
  };
}

function pgDumpBinary(): string {
  const bin = process.env.HIWAR_TEST_PG_BIN;
  const candidates = [
    ...(bin ? [existsSync(join(bin, 'pg_dump')) ? join(bin, 'pg_dump') : bin] : []),
    'pg_dump',
    '/usr/lib/postgresql/15/bin/pg_dump',
  ];
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  throw new Error(`No pg_dump found (tried ${candidates.join(', ')}); set HIWAR_TEST_PG_BIN.`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

describe('privacy: canary addresses', () => {
  it('the leak detector finds an address in each form it looks for', () => {
    const address = canary('Self', true);
    const lower = address.trim().toLowerCase();
    expect(leaks('nothing here', [address])).toEqual([]);
    expect(leaks(`x${address.trim().toUpperCase()}x`, [address])).not.toEqual([]);
    expect(leaks(encodeURIComponent(lower), [address])).not.toEqual([]);
    expect(leaks(createHash('md5').update(lower).digest('hex').toUpperCase(), [address])).not.toEqual([]);
    expect(leaks(createHash('sha256').update(address).digest('base64url'), [address])).not.toEqual([]);
    expect(leaks(createHash('sha1').update(address.trim()).digest('base64'), [address])).not.toEqual([]);
  });

  it('appear in no public response, header or log line', async () => {
    const r = recorder(t);
    const { emails, ids, tokens, make, key } = await populate(t, r);
    const all = Object.values(emails);

    for (const sort of ['oldest', 'newest']) {
      const page = await r.get(`thread ${sort}`, threadPath({ site: 'news', url: PAGE, sort, limit: 2 }));
      await r.get(
        `thread ${sort} page 2`,
        threadPath({ site: 'news', url: PAGE, sort, limit: 2, cursor: page.json.nextCursor }),
      );
    }
    const first = await r.get('thread', threadPath({ site: 'news', url: PAGE }));
    const top = first.json.comments.find((c: { id: string }) => c.id === ids.top);
    await r.get(
      'replies via cursor',
      threadPath({ site: 'news', url: PAGE, parent: ids.top, cursor: top.repliesCursor }),
    );
    await r.get('replies from start', threadPath({ site: 'news', url: PAGE, parent: ids.top }));
    await r.get('held thread', threadPath({ site: 'held', url: PAGE }));
    const rows = await t.db.selectFrom('comments').select('id').execute();
    for (const { id } of rows) await r.get(`comment ${id}`, `/api/v1/comments/${id}`);
    await r.get('own pending', `/api/v1/comments/${ids.pending}`, { headers: bearer(tokens.pending) });
    await r.get('own edited', `/api/v1/comments/${ids.edited}`, { headers: bearer(tokens.edited) });
    await r.get('counts', `/api/v1/counts?site=news&url=${encodeURIComponent(PAGE)}&id=x`);
    for (const avatar of new Set(
      first.json.comments.map((c: { author: { avatar: string } }) => c.author.avatar),
    )) {
      if (avatar) await r.get(`avatar ${avatar}`, avatar as string);
    }
    await r.get('openapi', '/api/v1/openapi.json');
    await r.get('healthz', '/healthz');
    await r.get('readyz', '/readyz');

    // Errors, each provoked by a request that carries an address.
    const refused = emails.refused;
    const errors: Array<[string, () => Promise<{ status: number }>, number]> = [
      ['unknown site', () => r.post('unknown site', make(refused, { site: 'nope' })), 404],
      [
        'forbidden origin',
        () => r.post('forbidden origin', make(refused), { headers: { origin: 'https://evil.example' } }),
        403,
      ],
      [
        'url not allowed',
        () => r.post('url not allowed', make(refused, { url: 'https://evil.example/p' })),
        422,
      ],
      [
        'bad website',
        () =>
          r.post('bad website', make(refused, { author: { name: 'x', email: refused, website: 'ftp://x' } })),
        422,
      ],
      [
        'name too long',
        () => r.post('name too long', make(refused, { author: { name: 'x'.repeat(300), email: refused } })),
        422,
      ],
      [
        'email too long',
        () =>
          r.post(
            'email too long',
            make(refused, { author: { name: 'x', email: `${'x'.repeat(90)}${refused.trim()}` } }),
          ),
        422,
      ],
      [
        'email invalid',
        () => r.post('email invalid', make(refused, { author: { name: 'x', email: `${refused.trim()}>` } })),
        422,
      ],
      [
        'email quoted',
        () =>
          r.post('email quoted', make(refused, { author: { name: 'x', email: `"${refused.trim()}" <x>` } })),
        422,
      ],
      ['no body', () => r.post('no body', make(refused, { body: '' })), 422],
      ['unknown parent', () => r.post('unknown parent', make(refused, { parentId: '999999' })), 404],
      [
        'pending parent',
        () => r.post('pending parent', make(refused, { site: 'held', parentId: ids.pending })),
        404,
      ],
      ['idempotency reuse', () => r.post('idempotency reuse', make(refused), key), 422],
      ['invalid json', () => r.post('invalid json', `{"author":{"email":"${refused.trim()}"`), 400],
      [
        'text/plain',
        () =>
          r.record(
            'text/plain',
            t.request('/api/v1/comments', {
              method: 'POST',
              headers: { 'content-type': 'text/plain' },
              body: JSON.stringify(make(refused)),
            }),
          ),
        415,
      ],
      ['too large', () => r.post('too large', make(refused, { body: 'z'.repeat(600_000) })), 413],
      ['pending without token', () => r.get('pending without token', `/api/v1/comments/${ids.pending}`), 404],
      [
        'wrong token',
        () => r.get('wrong token', `/api/v1/comments/${ids.pending}`, { headers: bearer(tokens.edited) }),
        401,
      ],
      [
        'garbage cursor',
        () => r.get('garbage cursor', threadPath({ site: 'news', url: PAGE, cursor: 'zz' })),
        422,
      ],
      [
        'too many counts',
        () => r.get('too many counts', `/api/v1/counts?site=news${'&id=x'.repeat(101)}`),
        422,
      ],
    ];
    const statuses: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const [label, run, status] of errors) {
      statuses[label] = (await run()).status;
      expected[label] = status;
    }
    t.clock.advance(16 * 60_000);
    statuses['edit too late'] = (
      await r.record(
        'edit too late',
        sendJson(t, 'PATCH', `/api/v1/comments/${ids.edited}`, { body: 'late' }, bearer(tokens.edited)),
      )
    ).status;
    statuses['delete too late'] = (
      await r.record(
        'delete too late',
        t.request(`/api/v1/comments/${ids.edited}`, { method: 'DELETE', headers: bearer(tokens.edited) }),
      )
    ).status;
    await t.db.updateTable('threads').set({ closed: true }).execute();
    statuses['closed thread'] = (await r.post('closed thread', make(refused))).status;
    expect(statuses).toEqual({
      ...expected,
      'edit too late': 403,
      'delete too late': 403,
      'closed thread': 403,
    });

    const transcript = r.transcript.join('\n\n');
    expect(r.transcript.length).toBeGreaterThan(60);
    // The sweep saw real data: the bodies are there, the addresses are not.
    expect(transcript).toContain(`marker-${emails.top.trim().slice(7, 20)}`);
    expect(leaks(transcript, all)).toEqual([]);

    const logs = t.logs.text;
    expect(logs).toContain('"path":"/api/v1/comments"');
    expect(leaks(logs, all)).toEqual([]);
  });

  it('are stored only encrypted: a dump of PostgreSQL or the PGlite data folder holds none in plain text', async () => {
    const r = recorder(t);
    const { emails } = await populate(t, r);
    const plain = Object.values(emails).map((email) => email.trim().toLowerCase());
    const marker = `marker-${emails.top.trim().slice(7, 20)}`.toLowerCase();
    const hexOf = (text: string) => Buffer.from(text, 'utf8').toString('hex');

    if (t.kind === 'postgres') {
      const dump = spawnSync(pgDumpBinary(), ['--no-owner', '--dbname', t.location], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(dump.status, dump.stderr).toBe(0);
      const text = dump.stdout.toLowerCase();
      expect(text).toContain(marker);
      for (const email of plain) {
        expect(text.includes(email), email).toBe(false);
        expect(text.includes(hexOf(email)), `${email} as hex`).toBe(false);
      }
    } else {
      await sql`checkpoint`.execute(t.db);
      const files = filesUnder(t.location);
      expect(files.length).toBeGreaterThan(10);
      let sawMarker = false;
      for (const file of files) {
        const text = readFileSync(file).toString('latin1').toLowerCase();
        if (text.includes(marker)) sawMarker = true;
        for (const email of plain) expect(text.includes(email), `${email} in ${file}`).toBe(false);
      }
      expect(sawMarker, 'the comments reached the data folder').toBe(true);
    }
  });

  it('gives one address different avatar keys on two sites and the same key on one site', async () => {
    await t.addSite({ id: 'news' });
    await t.addSite({ id: 'other', origins: ['https://news.example'] });
    const email = canary('Avatar');
    let n = 0;
    const post = async (site: string, typed: string) =>
      (
        await readBody(
          await t.post(
            '/api/v1/comments',
            commentBody({ site, body: `${site} ${typed} ${++n}`, author: { name: 'س', email: typed } }),
          ),
        )
      ).comment.author.avatar as string;
    const onNews = await post('news', email);
    const again = await post('news', `  ${email.toUpperCase()} `);
    const onOther = await post('other', email);
    const stranger = await post('news', canary('Stranger'));
    expect(again).toBe(onNews);
    expect(onOther).not.toBe(onNews);
    expect(stranger).not.toBe(onNews);
    const keys = await t.db.selectFrom('comments').select(['site_id', 'avatar_key']).orderBy('id').execute();
    expect(keys.map((k) => `/api/v1/avatars/${k.avatar_key}.svg`)).toEqual([
      onNews,
      again,
      onOther,
      stranger,
    ]);
    expect(leaks(JSON.stringify(keys), [email])).toEqual([]);
  });
});
