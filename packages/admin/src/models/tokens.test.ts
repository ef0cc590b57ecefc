import type { ApiToken } from '@hiwar/protocol';
import { HiwarError } from '@hiwar/sdk';
import { describe, expect, it, vi } from 'vitest';
import type { AdminClient } from './api.js';
import { createTokensModel } from './tokens.js';

const token = (id: string, name = `token ${id}`): ApiToken => ({
  id,
  name,
  prefix: `hwr_${id}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
});

function model(overrides: Partial<Record<keyof AdminClient, unknown>> = {}) {
  return createTokensModel({
    listTokens: async () => ({ tokens: [token('1')] }),
    ...overrides,
  } as unknown as AdminClient);
}

describe('createTokensModel', () => {
  it('creates a token, lists it first and keeps its secret until dismissed', async () => {
    const createToken = vi.fn(async ({ name }: { name: string }) => ({
      token: token('2', name),
      secret: 'hwr_2_secret',
    }));
    const tokens = model({ createToken });
    await tokens.load();

    await expect(tokens.create('  تصدير ليلي ')).resolves.toEqual({ ok: true });

    expect(createToken).toHaveBeenCalledWith({ name: 'تصدير ليلي' });
    expect(tokens.tokens.value.map((t) => t.id)).toEqual(['2', '1']);
    expect(tokens.created.value?.secret).toBe('hwr_2_secret');
    tokens.dismissSecret();
    expect(tokens.created.value).toBeNull();
  });

  it('asks for a name before calling', async () => {
    const createToken = vi.fn();
    const tokens = model({ createToken });

    await expect(tokens.create('  ')).resolves.toEqual({ errors: { name: 'required' } });
    expect(createToken).not.toHaveBeenCalled();
  });

  it('revokes a token, dropping it and its secret if it was just made', async () => {
    const tokens = model({
      createToken: async () => ({ token: token('2'), secret: 's' }),
      revokeToken: async () => ({ ok: true }),
    });
    await tokens.load();
    await tokens.create('x');

    await tokens.revoke('2');

    expect(tokens.tokens.value.map((t) => t.id)).toEqual(['1']);
    expect(tokens.created.value).toBeNull();
  });

  it('checks the new password was typed twice the same before calling', async () => {
    const changePassword = vi.fn(async () => ({ ok: true }));
    const tokens = model({ changePassword });

    await expect(
      tokens.changePassword({ current: 'old', next: 'new-password-1', repeat: 'new-password-2' }),
    ).resolves.toEqual({
      errors: { repeatPassword: 'mismatch' },
    });
    await expect(tokens.changePassword({ current: '', next: '', repeat: '' })).resolves.toEqual({
      errors: { currentPassword: 'required', newPassword: 'required' },
    });
    expect(changePassword).not.toHaveBeenCalled();

    await expect(
      tokens.changePassword({ current: 'old', next: 'new-password-1', repeat: 'new-password-1' }),
    ).resolves.toEqual({
      ok: true,
    });
    expect(changePassword).toHaveBeenCalledWith({ currentPassword: 'old', newPassword: 'new-password-1' });
  });

  it('puts a wrong current password on its field and a short new one on its own', async () => {
    const answers = [
      new HiwarError({ code: 'invalid_credentials', status: 401 }),
      new HiwarError({
        code: 'validation_failed',
        status: 422,
        details: { fields: { newPassword: 'too_short' } },
      }),
    ];
    const tokens = model({
      changePassword: async () => {
        throw answers.shift();
      },
    });
    const input = { current: 'wrong', next: 'short', repeat: 'short' };

    await expect(tokens.changePassword(input)).resolves.toEqual({ errors: { currentPassword: 'invalid' } });
    await expect(tokens.changePassword(input)).resolves.toEqual({ errors: { newPassword: 'too_short' } });
  });
});
