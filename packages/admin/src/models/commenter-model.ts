import type { BanDuration, BanEffect, BanKind, CommenterResponse } from '@hiwar/protocol';
import { signal } from '@preact/signals';
import type { AdminClient } from './api.js';

/**
 * The commenter panel of one comment's author: their comments on the site, their
 * counts, email and the bans in force, and banning or lifting a ban.
 *
 * @example
 * const commenter = createCommenterModel(() => api.client.value, comment.id);
 * await commenter.load();
 * await commenter.ban({ kind: 'email', duration: 'week', effect: 'ban' });
 */
export function createCommenterModel(client: () => AdminClient, commentId: string) {
  const data = signal<CommenterResponse | null>(null);
  const error = signal<unknown>(null);
  const loading = signal(true);
  return {
    data,
    error,
    loading,
    async load() {
      loading.value = true;
      try {
        data.value = await client().getCommenter(commentId);
        error.value = null;
      } catch (caught) {
        error.value = caught;
      } finally {
        loading.value = false;
      }
    },
    async ban(ban: { kind: BanKind; duration: BanDuration; effect: BanEffect; reason?: string }) {
      await client().createBan({ ...ban, commentId });
      await this.load();
    },
    async lift(banId: string) {
      await client().deleteBan(banId);
      await this.load();
    },
  };
}

export type CommenterModel = ReturnType<typeof createCommenterModel>;
