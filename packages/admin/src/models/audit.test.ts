import type { AuditEntry, AuditQuery } from '@hiwar/protocol';
import { HiwarError } from '@hiwar/sdk';
import { describe, expect, it, vi } from 'vitest';
import type { AdminClient } from './api.js';
import { changesOf, createAuditModel, listDiff } from './audit.js';

const entry = (id: string): AuditEntry => ({
  id,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'owner',
  action: 'comment.approve',
  siteId: 'news',
  targetType: 'comment',
  targetId: id,
  before: null,
  after: null,
});

describe('changesOf', () => {
  it('lists only what changed', () => {
    expect(
      changesOf({
        before: { status: 'pending', pinned: false },
        after: { status: 'approved', pinned: false },
      }),
    ).toEqual([{ key: 'status', before: 'pending', after: 'approved' }]);
  });

  it('lists every field of a creation or a deletion, and nothing without either side', () => {
    expect(changesOf({ before: null, after: { username: 'salma', role: 'moderator' } })).toEqual([
      { key: 'username', after: 'salma' },
      { key: 'role', after: 'moderator' },
    ]);
    expect(changesOf({ before: { name: 'x' }, after: null })).toEqual([{ key: 'name', before: 'x' }]);
    expect(changesOf({ before: null, after: null })).toEqual([]);
  });

  it('compares lists by their content', () => {
    expect(changesOf({ before: { holdWords: ['a'] }, after: { holdWords: ['a'] } })).toEqual([]);
    expect(listDiff(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
    expect(listDiff('a', ['a'])).toBeNull();
  });
});

describe('createAuditModel', () => {
  function client(pages: Record<string, { entries: AuditEntry[]; nextCursor: string | null }>) {
    const listAudit = vi.fn(async (query: AuditQuery = {}) => {
      const page = pages[query.cursor ?? 'first'];
      if (!page) throw new HiwarError({ code: 'internal', status: 500 });
      return page;
    });
    const listSites = async () => ({ sites: [{ id: 'news' }, { id: 'blog' }] });
    return { listAudit, listSites } as unknown as AdminClient & { listAudit: typeof listAudit };
  }

  it('loads the newest page and the sites, then adds the next page below', async () => {
    const api = client({
      first: { entries: [entry('9'), entry('8')], nextCursor: 'c1' },
      c1: { entries: [entry('7')], nextCursor: null },
    });
    const audit = createAuditModel(api);

    await audit.load();
    expect(audit.sites.value).toEqual(['news', 'blog']);
    await audit.more();
    await audit.more();

    expect(audit.entries.value.map((e) => e.id)).toEqual(['9', '8', '7']);
    expect(audit.nextCursor.value).toBeNull();
    expect(api.listAudit).toHaveBeenCalledTimes(2);
  });

  it('starts over for a site filter', async () => {
    const api = client({ first: { entries: [entry('1')], nextCursor: null } });
    const audit = createAuditModel(api);

    await audit.setSite('blog');

    expect(api.listAudit).toHaveBeenLastCalledWith({ site: 'blog', limit: 50, cursor: undefined });
    await audit.setSite('');
    expect(api.listAudit).toHaveBeenLastCalledWith({ site: undefined, limit: 50, cursor: undefined });
  });

  it('drops the answer to a filter that was changed meanwhile', async () => {
    const resolvers: ((page: { entries: AuditEntry[]; nextCursor: string | null }) => void)[] = [];
    const listAudit = vi.fn(() => new Promise((resolve) => resolvers.push(resolve)));
    const audit = createAuditModel({ listAudit } as unknown as AdminClient);

    const first = audit.setSite('news');
    const second = audit.setSite('blog');
    resolvers[1]?.({ entries: [entry('2')], nextCursor: null });
    resolvers[0]?.({ entries: [entry('1')], nextCursor: null });
    await Promise.all([first, second]);

    expect(audit.entries.value.map((e) => e.id)).toEqual(['2']);
  });

  it('keeps what it has when the next page fails', async () => {
    const audit = createAuditModel(client({ first: { entries: [entry('9')], nextCursor: 'broken' } }));

    await audit.reload();
    await audit.more();

    expect(audit.entries.value.map((e) => e.id)).toEqual(['9']);
    expect(audit.error.value).toMatchObject({ code: 'internal' });
    expect(audit.nextCursor.value).toBe('broken');
  });
});
