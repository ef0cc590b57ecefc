#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adminCommand } from './cli/admin-command.js';
import { migrateCommand } from './cli/migrate-command.js';
import type { PasswordSource } from './cli/password-input.js';
import { reportError } from './cli/report-error.js';
import { siteCommand } from './cli/site-command.js';
import { parseFlags } from './cli/site-flags.js';
import { HELP, USAGE, UsageError } from './cli/usage.js';
import { type Config, loadConfig } from './config.js';
import { type ProcessLike, startServer, stopOnSignals } from './server.js';

/** Where a CLI run reads its settings and writes its output; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where `admin create` and `admin password` read a password (the real stdin unless given). */
  stdin?: PasswordSource;
  /** `serve` stops on this process's signals (the real `process` unless given). */
  process?: ProcessLike;
}

/**
 * Runs one `hiwar` command line and resolves with its exit code: 0 done,
 * 1 failed, 2 wrong command line or settings. Never exits the process.
 *
 * @example
 * const code = await runCli(['site', 'list', '--json'], { env: process.env, stdout: process.stdout, stderr: process.stderr })
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const context: { config?: Readonly<Config> } = {};
  const settings = () => {
    context.config = loadConfig(io.env);
    return context.config;
  };
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.stderr.write(HELP);
      return 2;
    }
    if (
      command === 'help' ||
      command === '--help' ||
      command === '-h' ||
      rest.includes('--help') ||
      rest.includes('-h')
    ) {
      io.stdout.write(HELP);
      return 0;
    }
    switch (command) {
      case 'serve': {
        noArguments(rest, USAGE.serve, 'serve');
        const server = await startServer(settings());
        return await stopOnSignals(server, io.process ?? process);
      }
      case 'migrate':
        noArguments(rest, USAGE.migrate, 'migrate');
        return await migrateCommand(settings(), io);
      case 'site':
        return await siteCommand(rest, settings, io);
      case 'admin':
        return await adminCommand(rest, settings, { ...io, stdin: io.stdin ?? process.stdin });
      default:
        io.stderr.write(`hiwar: unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    return reportError(error, io, context.config);
  }
}

function noArguments(args: string[], usage: string, command: string): void {
  const { positionals, problems } = parseFlags(args, {}, command);
  if (positionals.length > 0)
    problems.push(`${command} takes no arguments (got "${positionals.join(' ')}").`);
  if (problems.length > 0) throw new UsageError(problems, usage);
}

/**
 * The `hiwar` binary: runs the command line of this process and exits with its code.
 *
 * @example
 * await runBin(process.argv.slice(2))
 */
export async function runBin(argv: string[]): Promise<never> {
  const code = await runCli(argv, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    process,
  });
  process.exit(code);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runBin(process.argv.slice(2));
