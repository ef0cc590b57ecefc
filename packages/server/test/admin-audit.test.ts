import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { bearer, postComment } from './helpers/api.js';
import { type AdminJson, adminCall, useModerationCast } from './helpers/seed.js';

const t = useTestApp();
const cast = useModerationCast(t);

const AUDIT = '/api/v1/admin/audit';

let posts = 0;

async function approveOn(site: 'news' | 'other', who = cast.owner.bearer) {
  t.clock.tick();
  posts += 1;
  const url = site === 'news' ? 'https://news.example/a/1' : 'https://other.example/p';
  // A different text each time: the same one twice would be refused as a duplicate.
  const posted = await postComment(t, { site, url, body: `on ${site} (${posts})` });
  await adminCall(t, 'POST', '/api/v1/admin/comments/actions', who, { action: 'spam', ids: [posted.id] });
  return posted;
}

describe('GET /api/v1/admin/audit', () => {
  it('answers 401 without a principal and 403 to an edit token', async () => {
    const { token } = await approveOn('news');
    expect((await adminCall(t, 'GET', AUDIT, {})).status).toBe(401);
    expect((await adminCall(t, 'GET', AUDIT, bearer(token))).status).toBe(403);
  });

  it('shows an owner every entry, newest first, with who, what, when, before and after', async () => {
    const posted = await approveOn('news', cast.mod.bearer);
    const res = await adminCall(t, 'GET', AUDIT, cast.owner.session);
    expect(res.status).toBe(200);
    const [latest] = res.json.entries;
    expect(latest).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      actor: cast.mod.username,
      action: 'comment.spam',
      siteId: 'news',
      targetType: 'comment',
      targetId: posted.id,
      before: { status: 'pending', pinned: false },
      after: { status: 'spam', pinned: false },
    });
    // The user.create entries of the cast (site-less) are there for an owner.
    expect(res.json.entries.some((e: AdminJson) => e.action === 'user.create')).toBe(true);
  });

  it('shows a moderator only their sites’ entries, and refuses another site', async () => {
    await approveOn('news');
    await approveOn('other');
    const mine = await adminCall(t, 'GET', AUDIT, cast.mod.bearer);
    expect(mine.json.entries.map((e: AdminJson) => e.siteId)).toEqual(['news']);
    expect((await adminCall(t, 'GET', `${AUDIT}?site=other`, cast.mod.bearer)).status).toBe(403);
    const other = await adminCall(t, 'GET', `${AUDIT}?site=other`, cast.owner.bearer);
    expect(other.json.entries.map((e: AdminJson) => e.siteId)).toEqual(['other']);
    expect((await adminCall(t, 'GET', `${AUDIT}?site=none`, cast.owner.bearer)).json.error.code).toBe(
      'unknown_site',
    );
  });

  it('pages with a keyset cursor and refuses a forged one', async () => {
    for (let i = 0; i < 5; i++) await approveOn('news');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: AdminJson } = await adminCall(
        t,
        'GET',
        `${AUDIT}?site=news&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        cast.mod.bearer,
      );
      seen.push(...page.json.entries.map((e: AdminJson) => e.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(seen).toEqual([...seen].sort((a, b) => Number(b) - Number(a)));
    for (const forged of [
      'nope',
      Buffer.from('qn|5').toString('base64url'),
      Buffer.from('a|0').toString('base64url'),
    ]) {
      expect((await adminCall(t, 'GET', `${AUDIT}?cursor=${forged}`, cast.owner.bearer)).status).toBe(422);
    }
    expect((await adminCall(t, 'GET', `${AUDIT}?limit=abc`, cast.owner.bearer)).status).toBe(200);
  });
});
