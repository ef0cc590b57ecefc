import {
  ADMIN_LIMITS,
  type AdminUser,
  PasswordSchema,
  RoleSchema,
  SITE_ID_PATTERN,
  UsernameSchema,
} from '@hiwar/protocol';
import { createUser, listUsers, sameUsername, updateUser } from '../auth/users.js';
import type { Config } from '../config.js';
import { ApiError } from '../http/api-error.js';
import { withDatabase } from './database.js';
import { PasswordInputError, type PasswordSource, readNewPassword } from './password-input.js';
import { parseFlags } from './site-flags.js';
import { formatTable } from './table.js';
import { USAGE, UsageError } from './usage.js';

interface Io {
  stdin: PasswordSource;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `hiwar admin create|list|password …`: accounts from the command line, for the first
 * owner and for an owner locked out of the dashboard. Passwords are read without echo
 * on a terminal, or as the first line of stdin for scripts; never from the command
 * line, where `ps` and shell history would keep them.
 *
 * @example
 * await adminCommand(['create', 'huda'], () => loadConfig(process.env), { stdin: process.stdin, stdout, stderr })
 */
export async function adminCommand(
  args: string[],
  settings: () => Readonly<Config>,
  io: Io,
): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'create':
        return await create(rest, settings, io);
      case 'list':
        return await list(rest, settings, io);
      case 'password':
        return await password(rest, settings, io);
      default: {
        const problem =
          sub === undefined ? 'admin needs a sub-command.' : `admin has no sub-command "${sub}".`;
        throw new UsageError(
          [`${problem} Use admin create, admin list or admin password.`],
          'pnpm hiwar admin create|list|password …',
        );
      }
    }
  } catch (error) {
    if (!(error instanceof PasswordInputError)) throw error;
    io.stderr.write(`hiwar: ${error.message}\n`);
    return 1;
  }
}

async function create(args: string[], settings: () => Readonly<Config>, io: Io): Promise<number> {
  const { values, positionals, problems } = parseFlags(
    args,
    { role: { type: 'string' }, site: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    'admin create',
  );
  const username = usernameArgument(positionals, 'create', problems);
  const roleText = values.role as string | undefined;
  const role = roleText === undefined ? undefined : RoleSchema.safeParse(roleText).data;
  if (roleText !== undefined && role === undefined) {
    problems.push(`--role must be owner or moderator (got "${roleText}").`);
  }
  const sites = (values.site as string[] | undefined) ?? [];
  for (const site of sites) {
    if (!SITE_ID_PATTERN.test(site)) problems.push(`--site: "${site}" is not a valid site id.`);
  }
  if (role === 'owner' && sites.length > 0) problems.push('An owner moderates every site: drop --site.');
  if (problems.length > 0) throw new UsageError(problems, USAGE.adminCreate);

  const config = settings();
  const secret = checkPassword(await readNewPassword(io.stdin, io.stderr, username));
  const user = await withDatabase(config, ({ db }) =>
    createUser(db, { username, password: secret, role: role ?? 'moderator', sites }, null, undefined, {
      firstIsOwner: true,
    }),
  ).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'validation_failed') {
      throw new ApiError(
        'validation_failed',
        `The username "${username}" is taken (names are compared without regard to case).`,
      );
    }
    throw error;
  });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(user, null, 2)}\n`);
  } else {
    const first = user.role === 'owner' && role !== 'owner' ? ' (the first account is always an owner)' : '';
    io.stdout.write(`Created ${user.role} "${user.username}"${first}.\n${formatUser(user)}`);
  }
  return 0;
}

async function list(args: string[], settings: () => Readonly<Config>, io: Io): Promise<number> {
  const { values, positionals, problems } = parseFlags(args, { json: { type: 'boolean' } }, 'admin list');
  for (const arg of positionals) problems.push(`Unexpected argument "${arg}".`);
  if (problems.length > 0) throw new UsageError(problems, USAGE.adminList);
  const users = await withDatabase(settings(), ({ db }) => listUsers(db));
  io.stdout.write(values.json ? `${JSON.stringify({ users }, null, 2)}\n` : formatUserTable(users));
  return 0;
}

async function password(args: string[], settings: () => Readonly<Config>, io: Io): Promise<number> {
  const { positionals, problems } = parseFlags(args, {}, 'admin password');
  const username = usernameArgument(positionals, 'password', problems);
  if (problems.length > 0) throw new UsageError(problems, USAGE.adminPassword);
  const config = settings();
  const secret = checkPassword(await readNewPassword(io.stdin, io.stderr, username));
  const user = await withDatabase(config, async ({ db }) => {
    const row = await db.selectFrom('users').select('id').where(sameUsername(username)).executeTakeFirst();
    if (!row)
      throw new ApiError('not_found', `No user is named "${username}"; see \`pnpm hiwar admin list\`.`);
    return updateUser(db, row.id, { password: secret }, null, new Date());
  });
  io.stdout.write(`Set a new password for "${user.username}" and ended their sessions.\n`);
  return 0;
}

function usernameArgument(positionals: string[], sub: string, problems: string[]): string {
  const [username, ...extra] = positionals;
  for (const arg of extra) problems.push(`Unexpected argument "${arg}".`);
  if (username === undefined) {
    problems.push(`admin ${sub} needs a username, e.g. \`pnpm hiwar admin ${sub} huda\`.`);
    return '';
  }
  const parsed = UsernameSchema.safeParse(username);
  if (!parsed.success) {
    const { min, max } = ADMIN_LIMITS.username;
    problems.push(
      `"${username}" is not a valid username: use ${min} to ${max} letters, digits, ".", "_" and "-".`,
    );
    return username;
  }
  return parsed.data;
}

function checkPassword(value: string): string {
  if (!PasswordSchema.safeParse(value).success) {
    const { min, max } = ADMIN_LIMITS.password;
    throw new PasswordInputError(
      `The password must be ${min} to ${max} characters long (without NUL); nothing was changed.`,
    );
  }
  return value;
}

function formatUser(user: AdminUser): string {
  const sites = user.role === 'owner' ? 'every site' : user.sites.join(', ') || 'none yet';
  return `  id        ${user.id}\n  role      ${user.role}\n  sites     ${sites}\n`;
}

/**
 * Users as an aligned table.
 *
 * @example
 * formatUserTable(users)
 * // ID  USERNAME  ROLE       STATUS   SITES
 * // 1   huda      owner      enabled  every site
 */
export function formatUserTable(users: AdminUser[]): string {
  if (users.length === 0)
    return 'No accounts yet. Create the first owner with: pnpm hiwar admin create <username>\n';
  const rows = users.map((user) => [
    user.id,
    user.username,
    user.role,
    user.disabled ? 'disabled' : 'enabled',
    user.role === 'owner' ? 'every site' : user.sites.join(', ') || '-',
  ]);
  return formatTable(['ID', 'USERNAME', 'ROLE', 'STATUS', 'SITES'], rows);
}
