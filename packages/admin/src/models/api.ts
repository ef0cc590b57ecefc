import { type AdminClient, type AdminClientOptions, createAdminClient, isHiwarError } from '@hiwar/sdk';
import { type ReadonlySignal, signal } from '@preact/signals';

export type { AdminClient };

/**
 * The admin client every screen calls, and what it learned about the session: a
 * call that answers 401 `unauthorized` (the session expired, was ended by a logout
 * elsewhere or a password change) sets `expired`, and the app goes back to login.
 *
 * @example
 * const { users } = await api.client.value.listUsers();
 */
export function createApi(options: AdminClientOptions) {
  const expired = signal(false);
  const client = signal<AdminClient>(watch(createAdminClient(options), () => (expired.value = true)));
  return { client: client as ReadonlySignal<AdminClient>, expired };
}

export type Api = ReturnType<typeof createApi>;

/** The client with every method reporting `unauthorized` to `onUnauthorized` before rethrowing. */
function watch(client: AdminClient, onUnauthorized: () => void): AdminClient {
  const watched = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(client)) {
    watched[name] =
      typeof method !== 'function' || name === 'queue' || name === 'login'
        ? method
        : async (...args: unknown[]) => {
            try {
              return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (error) {
              if (isHiwarError(error) && error.code === 'unauthorized') onUnauthorized();
              throw error;
            }
          };
  }
  return watched as unknown as AdminClient;
}
