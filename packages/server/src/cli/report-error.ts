import { type Config, ConfigError } from '../config.js';
import { MigrationError } from '../db/migrations.js';
import { DatabaseOpenError } from '../db/open-database.js';
import { SecretMismatchError } from '../db/prepare.js';
import { ApiError } from '../http/api-error.js';
import { isDatabaseUnavailable } from '../http/db-errors.js';
import { ListenError } from '../server.js';
import { databaseName } from './migrate-command.js';
import { UsageError } from './usage.js';

interface Output {
  stderr: { write(text: string): unknown };
}

const PLAIN = [SecretMismatchError, DatabaseOpenError, MigrationError, ListenError];

/**
 * Prints a failed command's error in plain words (no stack trace for the
 * failures a site owner can fix) and returns the exit code: 2 for a wrong
 * command line or settings, 1 for everything else.
 *
 * @example
 * return reportError(error, io, config)
 */
export function reportError(error: unknown, io: Output, config: Readonly<Config> | undefined): number {
  const write = (text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  if (error instanceof UsageError) {
    const problems = error.problems.map((problem) => `hiwar: ${problem}\n`).join('');
    write(`${problems}\nUsage: ${error.usage}\nRun \`pnpm hiwar help\` for every command and option.`);
    return 2;
  }
  if (error instanceof ConfigError) {
    write(error.message);
    return 2;
  }
  if (error instanceof ApiError) {
    const hint =
      error.code === 'unknown_site'
        ? ' See the sites with `pnpm hiwar site list`.'
        : /already exists/.test(error.message)
          ? ' Change its settings with `pnpm hiwar site update`.'
          : '';
    write(`hiwar: ${error.message}${hint}`);
    return 1;
  }
  // Before the plain errors: a MigrationError whose cause is "cannot connect" is about the connection.
  const root = rootCause(error);
  if (config && (isDatabaseUnavailable(error) || isConnectionRefusal(root))) {
    write(`Hiwar cannot use ${databaseName(config)}: ${messageOf(root)}`);
    return 1;
  }
  if (PLAIN.some((kind) => error instanceof kind)) {
    write((error as Error).message);
    return 1;
  }
  write(`hiwar: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return 1;
}

/**
 * PostgreSQL refused the connection itself: authentication (class 28), a
 * database that does not exist (3D000), or a connection exception (class 08).
 */
function isConnectionRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || typeof (error as { severity?: unknown }).severity !== 'string')
    return false;
  return code.startsWith('28') || code.startsWith('08') || code === '3D000';
}

function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

/** Node's happy-eyeballs connect failures are AggregateErrors with an empty message. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    return error.errors.map((inner: unknown) => (inner as Error)?.message ?? String(inner)).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
