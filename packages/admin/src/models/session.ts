import type { AdminUser } from '@hiwar/protocol';
import { isHiwarError } from '@hiwar/sdk';
import { signal } from '@preact/signals';
import type { Api } from './api.js';

/**
 * Who is signed in: `undefined` while the first `me` call is out, `null` when
 * nobody is (the login screen shows). A call answering `unauthorized` ends the
 * session in the app too (`api.expired`).
 *
 * @example
 * const session = createSession(api);
 * await session.check();
 * const error = await session.login('owner', 'a long password');
 */
export function createSession(api: Api) {
  const user = signal<AdminUser | null | undefined>(undefined);
  /** Set when the server ended the session while the dashboard was open. */
  const ended = signal(false);
  api.expired.subscribe((expired) => {
    if (expired && user.peek()) {
      user.value = null;
      ended.value = true;
    }
  });
  return {
    user,
    ended,
    async check() {
      try {
        user.value = (await api.client.value.me()).user;
      } catch (error) {
        user.value = null;
        if (!isHiwarError(error) || error.code !== 'unauthorized') throw error;
      }
    },
    /** Resolves to the error when the login failed (show it by its code), or null. */
    async login(username: string, password: string): Promise<unknown> {
      try {
        const { user: me } = await api.client.value.login({ username, password });
        api.expired.value = false;
        ended.value = false;
        user.value = me;
        return null;
      } catch (error) {
        return error;
      }
    },
    async logout() {
      try {
        await api.client.value.logout();
      } finally {
        user.value = null;
        ended.value = false;
      }
    },
  };
}

export type Session = ReturnType<typeof createSession>;
