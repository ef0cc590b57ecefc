import { describe, expect, it } from 'vitest';
import { useTestApp } from './harness.js';
import { getJson, type Json, PAGE, threadPath } from './helpers/api.js';
import { at, type SeedComment, seedComments, seedThread } from './helpers/seed.js';

const t = useTestApp();

interface Seeded {
  id: string;
  time: number;
}

/** Expected order: (created_at, id) ascending, or both descending. */
function ordered(rows: Seeded[], sort: 'oldest' | 'newest'): string[] {
  const sorted = [...rows].sort((a, b) => a.time - b.time || Number(BigInt(a.id) - BigInt(b.id)));
  return (sort === 'oldest' ? sorted : sorted.reverse()).map((row) => row.id);
}

/**
 * Times scrambled against insertion (so ids do not follow time) and shared by
 * groups of three (so the id breaks ties): time of the i-th row = ⌊(i·389 mod n)/3⌋ s.
 */
const scrambled = (i: number, n: number) => Math.floor(((i * 389) % n) / 3);

/** Follows `nextCursor` from `first` until it is null; returns every page. */
async function walk(path: (cursor: string | undefined) => string): Promise<Json[]> {
  const pages: Json[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const { status, json } = await getJson(t, path(cursor));
    expect(status).toBe(200);
    pages.push(json);
    if (json.nextCursor === null) return pages;
    cursor = json.nextCursor;
  }
  throw new Error('nextCursor never ended');
}

describe('keyset pagination', () => {
  it('returns each of 1 000 top-level comments exactly once, in order, for both sorts and two page sizes', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 1_000 });
    const n = 1_000;
    const specs: SeedComment[] = Array.from({ length: n }, (_, i) => ({
      threadId,
      createdAt: at(scrambled(i, n)),
    }));
    // Rows readers must not see, with times among the others.
    const hidden: SeedComment[] = (['pending', 'spam', 'deleted'] as const).flatMap((status) =>
      Array.from({ length: 10 }, (_, i) => ({ threadId, status, createdAt: at(i * 30) })),
    );
    const hiddenIds = new Set(await seedComments(t.db, hidden.slice(0, 15)));
    const ids = await seedComments(t.db, specs);
    for (const id of await seedComments(t.db, hidden.slice(15))) hiddenIds.add(id);
    const rows = ids.map((id, i) => ({ id, time: scrambled(i, n) }));
    // The seed really has ties and an id order that differs from the time order.
    expect(new Set(rows.map((r) => r.time)).size).toBeLessThan(400);
    expect(ordered(rows, 'oldest')).not.toEqual(ids);

    for (const sort of ['oldest', 'newest'] as const) {
      for (const limit of [100, 37]) {
        const pages = await walk((cursor) => threadPath({ site: 'news', url: PAGE, sort, limit, cursor }));
        const seen = pages.flatMap((p) => p.comments.map((c: Json) => c.id));
        expect(pages).toHaveLength(Math.ceil(n / limit));
        expect(pages.slice(0, -1).every((p) => p.comments.length === limit)).toBe(true);
        expect(seen, `${sort} by ${limit}`).toEqual(ordered(rows, sort));
        expect(seen.some((id) => hiddenIds.has(id))).toBe(false);
        expect(pages.every((p) => p.thread.commentCount === n)).toBe(true);
      }
    }
  });

  it('returns each of 300 replies exactly once, in order, through the first batch and then parent pages', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 302 });
    const [top, neighbour] = await seedComments(t.db, [
      { threadId, createdAt: at(0), repliesCount: 300, childrenCount: 200 },
      { threadId, createdAt: at(1), repliesCount: 1, childrenCount: 1 },
    ]);
    const direct = await seedComments(
      t.db,
      Array.from({ length: 200 }, (_, i) => ({
        threadId,
        parentId: top,
        createdAt: at(10 + scrambled(i, 200)),
      })),
    );
    // A hundred replies to replies: the same root, depth 2, times among the others.
    const nested = await seedComments(
      t.db,
      Array.from({ length: 100 }, (_, i) => ({
        threadId,
        parentId: direct[i] as string,
        rootId: top,
        depth: 2,
        createdAt: at(10 + scrambled(i, 100)),
      })),
    );
    const held = await seedComments(t.db, [
      { threadId, parentId: top, status: 'pending', createdAt: at(20) },
      { threadId, parentId: neighbour, createdAt: at(20) },
    ]);
    const rows = [
      ...direct.map((id, i) => ({ id, time: 10 + scrambled(i, 200) })),
      ...nested.map((id, i) => ({ id, time: 10 + scrambled(i, 100) })),
    ];
    const expected = ordered(rows, 'oldest');

    const { json } = await getJson(t, threadPath({ site: 'news', url: PAGE }));
    const first = json.comments[0];
    expect(first.id).toBe(top);
    expect(first.replyCount).toBe(300);
    expect(first.replies.map((r: Json) => r.id)).toEqual(expected.slice(0, 10));

    for (const limit of [100, 37]) {
      const pages = await walk((cursor) =>
        threadPath({ site: 'news', url: PAGE, parent: top, limit, cursor: cursor ?? first.repliesCursor }),
      );
      const seen = [...first.replies, ...pages.flatMap((p) => p.comments)].map((c: Json) => c.id);
      expect(seen, `after the batch, by ${limit}`).toEqual(expected);
      expect(pages.slice(0, -1).every((p) => p.comments.length === limit)).toBe(true);

      const fromStart = await walk((cursor) =>
        threadPath({ site: 'news', url: PAGE, parent: top, limit, cursor }),
      );
      expect(
        fromStart.flatMap((p) => p.comments.map((c: Json) => c.id)),
        `from the start, by ${limit}`,
      ).toEqual(expected);
    }
    expect(expected).not.toContain(held[0]);
    expect(expected).not.toContain(held[1]);
  });

  it('keeps the first page bounded when one comment has 5 000 replies', async () => {
    await t.addSite({ id: 'news' });
    const threadId = await seedThread(t.db, { url: PAGE, commentCount: 5_002 });
    const [busy, quiet] = await seedComments(t.db, [
      { threadId, createdAt: at(0), repliesCount: 5_000, childrenCount: 5_000 },
      { threadId, createdAt: at(1) },
    ]);
    const replies = await seedComments(
      t.db,
      Array.from({ length: 5_000 }, (_, i) => ({
        threadId,
        parentId: busy,
        createdAt: at(2 + i),
        body: 'رد '.repeat(20),
      })),
    );

    const res = await t.request(threadPath({ site: 'news', url: PAGE }));
    expect(res.status).toBe(200);
    const text = await res.text();
    const json = JSON.parse(text);
    expect(json.comments.map((c: Json) => c.id)).toEqual([busy, quiet]);
    const [first] = json.comments;
    expect(first.replies.map((r: Json) => r.id)).toEqual(replies.slice(0, 10));
    expect(first).toMatchObject({ replyCount: 5_000, repliesCursor: expect.any(String) });
    // Ten replies of ~100 bytes of text each, not five thousand.
    expect(text.length).toBeLessThan(20_000);

    const next = await getJson(
      t,
      threadPath({ site: 'news', url: PAGE, parent: busy, cursor: first.repliesCursor }),
    );
    expect(next.json.comments.map((c: Json) => c.id)).toEqual(replies.slice(10, 60));
    expect(next.json.nextCursor).toEqual(expect.any(String));
  });
});
