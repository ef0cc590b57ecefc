import type { Role } from '@hiwar/protocol';
import { startSession } from '../../src/auth/sessions.js';
import { createApiToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import type { AppDeps } from '../../src/context.js';
import type { TestContext } from '../harness.js';
import { testConfig } from '../harness.js';

/** Cheap scrypt for tests (2^10): the stored string carries it, so verification is real. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
/** The dashboard's origin in tests (testConfig's publicUrl). */
export const ADMIN_ORIGIN = new URL(testConfig().publicUrl).origin;

export interface SignedIn {
  userId: string;
  username: string;
  password: string;
  /** A personal API token: `Authorization: Bearer <token>`. */
  token: string;
  /** Headers for a bearer-token request. */
  bearer: Record<string, string>;
  /** Headers for a session request from the dashboard: cookie and a same-site Origin. */
  session: Record<string, string>;
}

let counter = 0;

/**
 * Creates a user directly in the database with an API token and a session.
 *
 * @example
 * const owner = await signIn(t, { role: 'owner' })
 * await t.request('/api/v1/admin/comments', { headers: owner.bearer })
 */
export async function signIn(
  t: TestContext,
  options: { role?: Role; sites?: string[]; username?: string; password?: string } = {},
): Promise<SignedIn> {
  counter += 1;
  const username = options.username ?? `user${counter}`;
  const password = options.password ?? `password-${counter}-long`;
  const user = await createUser(
    t.db,
    { username, password, role: options.role ?? 'owner', sites: options.sites ?? [] },
    null,
    TEST_SCRYPT,
  );
  const now = t.clock.now();
  const { secret } = await createApiToken(t.db, user.id, 'test', now);
  const deps = { db: t.db, config: testConfig(), clock: t.clock } as unknown as AppDeps;
  const { id } = await startSession(deps, user.id);
  return {
    userId: user.id,
    username,
    password,
    token: secret,
    bearer: { authorization: `Bearer ${secret}` },
    session: { cookie: `hiwar_session=${id}`, origin: ADMIN_ORIGIN },
  };
}
