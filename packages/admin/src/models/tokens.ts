import type { ApiToken, CreateTokenResponse } from '@hiwar/protocol';
import { isHiwarError } from '@hiwar/sdk';
import { signal } from '@preact/signals';
import type { AdminClient } from './api.js';
import { type FieldErrors, fieldErrorsOf } from './form-errors.js';
import type { FormResult } from './users.js';

/**
 * The Tokens screen's state: the caller's API tokens, the one just created (its
 * secret is kept only until the screen is left or `dismissSecret` is called) and
 * the password change.
 *
 * @example
 * const tokens = createTokensModel(client);
 * await tokens.create('nightly export'); // tokens.created.value.secret, shown once
 */
export function createTokensModel(client: AdminClient) {
  const tokens = signal<ApiToken[]>([]);
  const loaded = signal(false);
  const loadError = signal<unknown>(null);
  const created = signal<CreateTokenResponse | null>(null);
  const busy = signal(false);

  const attempt = async (call: () => Promise<void>, fields?: (error: unknown) => FieldErrors | null) => {
    busy.value = true;
    try {
      await call();
      return { ok: true } as const;
    } catch (error) {
      const reasons = (fields ?? fieldErrorsOf)(error);
      return reasons ? { errors: reasons } : { error };
    } finally {
      busy.value = false;
    }
  };

  return {
    tokens,
    loaded,
    loadError,
    created,
    busy,
    async load() {
      loadError.value = null;
      try {
        tokens.value = (await client.listTokens()).tokens;
        loaded.value = true;
      } catch (error) {
        loadError.value = error;
      }
    },
    create(name: string): Promise<FormResult> {
      if (name.trim() === '') return Promise.resolve({ errors: { name: 'required' } });
      return attempt(async () => {
        const answer = await client.createToken({ name: name.trim() });
        created.value = answer;
        tokens.value = [answer.token, ...tokens.peek()];
      });
    },
    dismissSecret() {
      created.value = null;
    },
    revoke(id: string): Promise<FormResult> {
      return attempt(async () => {
        await client.revokeToken(id);
        tokens.value = tokens.peek().filter((token) => token.id !== id);
        if (created.peek()?.token.id === id) created.value = null;
      });
    },
    /** The new password twice; a wrong current one is that field's error. */
    changePassword(input: { current: string; next: string; repeat: string }): Promise<FormResult> {
      const local: FieldErrors = {};
      if (input.current === '') local.currentPassword = 'required';
      if (input.next === '') local.newPassword = 'required';
      else if (input.next !== input.repeat) local.repeatPassword = 'mismatch';
      if (Object.keys(local).length > 0) return Promise.resolve({ errors: local });
      return attempt(
        async () => {
          await client.changePassword({ currentPassword: input.current, newPassword: input.next });
        },
        (error) =>
          isHiwarError(error) && error.code === 'invalid_credentials'
            ? { currentPassword: 'invalid' }
            : fieldErrorsOf(error),
      );
    },
  };
}

export type TokensModel = ReturnType<typeof createTokensModel>;
