import type { AdminUser, Role, UpdateUserBody } from '@hiwar/protocol';
import { signal } from '@preact/signals';
import type { AdminClient } from './api.js';
import { type FieldErrors, fieldErrorsOf } from './form-errors.js';

export interface NewUserInput {
  username: string;
  displayName: string;
  role: Role;
  sites: string[];
  password: string;
}

/** What a form submission came to: done, refused field by field, or failed as a whole. */
export type FormResult = { ok: true } | { errors: FieldErrors } | { error: unknown };

export const USER_FIELDS = ['username', 'displayName', 'role', 'sites', 'password'] as const;

/**
 * The Users screen's state (owners only): every account, and the calls that create,
 * change, disable and delete one. Each call resolves to a {@link FormResult}; the
 * list is kept in step with the server's answers.
 *
 * @example
 * const users = createUsersModel(client);
 * await users.load();
 * await users.update(id, { disabled: true });
 */
export function createUsersModel(client: AdminClient) {
  const users = signal<AdminUser[]>([]);
  /** Every site's id, for the moderators' site choice. */
  const sites = signal<string[]>([]);
  const loaded = signal(false);
  const loadError = signal<unknown>(null);
  /** Ids with a call in flight, so their buttons wait. */
  const busy = signal<ReadonlySet<string>>(new Set());

  const mark = (id: string, on: boolean) => {
    const next = new Set(busy.peek());
    if (on) next.add(id);
    else next.delete(id);
    busy.value = next;
  };
  const replace = (user: AdminUser) => {
    users.value = users.peek().some((u) => u.id === user.id)
      ? users.peek().map((u) => (u.id === user.id ? user : u))
      : [...users.peek(), user];
  };
  const run = async (id: string, call: () => Promise<void>): Promise<FormResult> => {
    mark(id, true);
    try {
      await call();
      return { ok: true };
    } catch (error) {
      const fields = fieldErrorsOf(error);
      return fields ? { errors: fields } : { error };
    } finally {
      mark(id, false);
    }
  };

  return {
    users,
    sites,
    loaded,
    loadError,
    busy,
    async load() {
      loadError.value = null;
      try {
        const [list, all] = await Promise.all([client.listUsers(), client.listSites()]);
        users.value = list.users;
        sites.value = all.sites.map((site) => site.id);
        loaded.value = true;
      } catch (error) {
        loadError.value = error;
      }
    },
    create(input: NewUserInput): Promise<FormResult> {
      const local: FieldErrors = {};
      if (input.username.trim() === '') local.username = 'required';
      if (input.password === '') local.password = 'required';
      if (input.role === 'moderator' && input.sites.length === 0) local.sites = 'required';
      if (Object.keys(local).length > 0) return Promise.resolve({ errors: local });
      return run('new', async () => {
        const { user } = await client.createUser({
          username: input.username.trim(),
          password: input.password,
          role: input.role,
          sites: input.role === 'moderator' ? input.sites : [],
          ...(input.displayName.trim() ? { displayName: input.displayName.trim() } : {}),
        });
        replace(user);
      });
    },
    update(id: string, body: UpdateUserBody): Promise<FormResult> {
      return run(id, async () => replace((await client.updateUser(id, body)).user));
    },
    remove(id: string): Promise<FormResult> {
      return run(id, async () => {
        await client.deleteUser(id);
        users.value = users.peek().filter((u) => u.id !== id);
      });
    },
  };
}

export type UsersModel = ReturnType<typeof createUsersModel>;
