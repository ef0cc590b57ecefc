import { describe, expect, it } from 'vitest';
import { parseSiteCommand } from '../src/cli/site-flags.js';
import { UsageError } from '../src/cli/usage.js';
import { countLinks } from '../src/comments/links.js';
import { updateSite } from '../src/sites/sites.service.js';
import { useTestApp } from './harness.js';
import { bearer, postComment, sendJson } from './helpers/api.js';
import { adminCall, useModerationCast } from './helpers/seed.js';

const t = useTestApp();
const cast = useModerationCast(t, 'none');
const SITE = '/api/v1/admin/sites/other';
let n = 0;

/** Posts on site `other` (policy none: only the link rule can hold a comment). */
async function post(body: string, author: Record<string, unknown> = {}) {
  n += 1;
  t.clock.tick();
  return postComment(t, {
    site: 'other',
    url: 'https://other.example/p',
    body,
    author: { name: 'قارئ', email: `links-${n}@example.org`, ...author },
  });
}

const ONE = 'انظر https://a.example';
const TWO = 'انظر https://a.example و [هنا](https://b.example)';

describe('POST /api/v1/comments: holding comments with links', () => {
  it('publishes one link and holds two, by default (holdLinks 2)', async () => {
    expect((await post(ONE)).json.comment.status).toBe('approved');
    expect((await post(TWO)).json.comment.status).toBe('pending');
    expect((await post('بلا روابط')).json.comment.status).toBe('approved');
  });

  it('counts a URL written into the name, not the website field', async () => {
    expect((await post(ONE, { name: 'Spam www.cheap.example' })).json.comment.status).toBe('pending');
    expect((await post(ONE, { website: 'https://mine.example' })).json.comment.status).toBe('approved');
  });

  it('follows the site setting: 1 holds any link, 0 turns the rule off', async () => {
    await updateSite(t.db, 'other', { holdLinks: 1 });
    expect((await post(ONE)).json.comment.status).toBe('pending');
    expect((await post('لا رابط هنا')).json.comment.status).toBe('approved');
    await updateSite(t.db, 'other', { holdLinks: 0 });
    const many = Array.from({ length: 8 }, (_, i) => `https://l${i}.example`).join(' ');
    expect((await post(many)).json.comment.status).toBe('approved');
  });

  it('holds an approved comment edited to carry too many links', async () => {
    const posted = await post(ONE);
    expect(posted.json.comment.status).toBe('approved');
    const res = await sendJson(
      t,
      'PATCH',
      `/api/v1/comments/${posted.id}`,
      { body: TWO },
      bearer(posted.token),
    );
    expect(res.status).toBe(200);
    const row = await t.db
      .selectFrom('comments')
      .select('status')
      .where('id', '=', posted.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    const thread = await t.db.selectFrom('threads').select('comment_count').executeTakeFirstOrThrow();
    expect(thread.comment_count).toBe(0);
  });

  it('counts anchors of the rendered HTML, not text that only looks like a link', () => {
    expect(countLinks('<p>a.example and https:// alone</p>', 'x')).toBe(0);
    expect(
      countLinks('<p><a href="https://a.example" rel="x">a</a> <a\nhref="https://b.example">b</a></p>', ''),
    ).toBe(2);
    expect(countLinks('', 'http://a.example www.b.example')).toBe(2);
  });
});

describe('holdLinks through the admin API and the CLI', () => {
  it('is shown and changed by an owner; bad values are 422 out_of_range or invalid', async () => {
    const got = await adminCall(t, 'GET', '/api/v1/admin/sites', cast.owner.bearer);
    expect(got.json.sites.map((site: { holdLinks: number }) => site.holdLinks)).toEqual([2, 2]);
    const set = await adminCall(t, 'PATCH', SITE, cast.owner.bearer, { holdLinks: 5 });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    expect(set.json.site.holdLinks).toBe(5);
    for (const holdLinks of [-1, 1001, 2.5, '2', null]) {
      const res = await adminCall(t, 'PATCH', SITE, cast.owner.bearer, { holdLinks });
      expect(res.status, JSON.stringify(holdLinks)).toBe(422);
      expect(Object.keys(res.json.error.details.fields)).toEqual(['holdLinks']);
    }
    expect((await adminCall(t, 'PATCH', SITE, cast.otherMod.bearer, { holdLinks: 0 })).status).toBe(403);
    const row = await t.db
      .selectFrom('sites')
      .select('hold_links')
      .where('id', '=', 'other')
      .executeTakeFirstOrThrow();
    expect(row.hold_links).toBe(5);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'site.update')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ before: { holdLinks: 2 }, after: { holdLinks: 5 } });
  });

  it('is set with --hold-links on site add and update; bad values are usage errors', () => {
    expect(parseSiteCommand('update', ['news', '--hold-links', '0']).changes).toEqual({ holdLinks: 0 });
    expect(
      parseSiteCommand('add', ['news', '--origin', 'https://news.example', '--hold-links', '3']).changes,
    ).toEqual({ origins: ['https://news.example'], holdLinks: 3 });
    for (const value of ['-1', '1001', 'two', '2.5']) {
      let error: unknown;
      try {
        parseSiteCommand('update', ['news', `--hold-links=${value}`]);
      } catch (caught) {
        error = caught;
      }
      expect(error, value).toBeInstanceOf(UsageError);
      expect((error as UsageError).problems.join('\n')).toContain('--hold-links must be a whole number');
    }
  });
});
