import type { AdminUser } from '@hiwar/protocol';
import { HiwarError } from '@hiwar/sdk';
import { describe, expect, it, vi } from 'vitest';
import type { AdminClient } from './api.js';
import { createUsersModel } from './users.js';

function user(id: string, overrides: Partial<AdminUser> = {}): AdminUser {
  return {
    id,
    username: `user${id}`,
    displayName: `مستخدم ${id}`,
    role: 'moderator',
    sites: ['news'],
    disabled: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const listing = {
  listUsers: async () => ({ users: [user('1', { role: 'owner', sites: [] }), user('2')] }),
  listSites: async () => ({ sites: [{ id: 'news' }, { id: 'blog' }] }),
};

function model(overrides: Partial<Record<keyof AdminClient, unknown>> = {}) {
  return createUsersModel({ ...listing, ...overrides } as unknown as AdminClient);
}

describe('createUsersModel', () => {
  it('loads the users and the site ids to choose from', async () => {
    const users = model();

    await users.load();

    expect(users.users.value.map((u) => u.id)).toEqual(['1', '2']);
    expect(users.sites.value).toEqual(['news', 'blog']);
  });

  it('creates a moderator with their sites and an owner without any', async () => {
    const createUser = vi.fn(
      async (body: { username: string; role: 'owner' | 'moderator'; sites: string[] }) => ({
        user: user('3', body),
      }),
    );
    const users = model({ createUser });
    await users.load();

    await expect(
      users.create({
        username: ' salma ',
        displayName: '',
        role: 'moderator',
        sites: ['blog'],
        password: 'long-password',
      }),
    ).resolves.toEqual({ ok: true });
    await users.create({
      username: 'boss',
      displayName: 'المديرة',
      role: 'owner',
      sites: ['blog'],
      password: 'long-password',
    });

    expect(createUser.mock.calls.map(([body]) => body)).toEqual([
      { username: 'salma', password: 'long-password', role: 'moderator', sites: ['blog'] },
      { username: 'boss', password: 'long-password', role: 'owner', sites: [], displayName: 'المديرة' },
    ]);
    expect(users.users.value).toHaveLength(3);
  });

  it('asks for a username, a password and a moderator’s sites before calling', async () => {
    const createUser = vi.fn();
    const users = model({ createUser });

    await expect(
      users.create({ username: ' ', displayName: '', role: 'moderator', sites: [], password: '' }),
    ).resolves.toEqual({ errors: { username: 'required', password: 'required', sites: 'required' } });
    expect(createUser).not.toHaveBeenCalled();
  });

  it('shows a taken username and a short password as field reasons', async () => {
    const users = model({
      createUser: async () => {
        throw new HiwarError({
          code: 'validation_failed',
          status: 422,
          details: { fields: { username: 'invalid', password: 'too_short' } },
        });
      },
    });

    await expect(
      users.create({ username: 'owner', displayName: '', role: 'owner', sites: [], password: 'short' }),
    ).resolves.toEqual({ errors: { username: 'invalid', password: 'too_short' } });
  });

  it('disables a user and keeps the list in step, waiting on that row meanwhile', async () => {
    let release: () => void = () => {};
    const updateUser = vi.fn(
      (id: string, body: object) =>
        new Promise((resolve) => {
          release = () => resolve({ user: user(id, body) });
        }),
    );
    const users = model({ updateUser });
    await users.load();

    const pending = users.update('2', { disabled: true });
    expect(users.busy.value.has('2')).toBe(true);
    release();

    await expect(pending).resolves.toEqual({ ok: true });
    expect(users.busy.value.has('2')).toBe(false);
    expect(users.users.value.find((u) => u.id === '2')?.disabled).toBe(true);
  });

  it('keeps the last owner when the server refuses to delete them', async () => {
    const refusal = new HiwarError({ code: 'forbidden', status: 403 });
    const users = model({
      deleteUser: async () => {
        throw refusal;
      },
    });
    await users.load();

    await expect(users.remove('1')).resolves.toEqual({ error: refusal });
    expect(users.users.value.map((u) => u.id)).toEqual(['1', '2']);
  });

  it('removes a deleted user from the list', async () => {
    const users = model({ deleteUser: async () => ({ ok: true }) });
    await users.load();

    await users.remove('2');

    expect(users.users.value.map((u) => u.id)).toEqual(['1']);
  });
});
