import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Keys } from './crypto/keys.js';
import type { Database } from './db/schema.js';

/** The time source, injected so tests can move it (edit windows, later rate limits). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every route and service works with; built once by `createApp`. */
export interface AppDeps {
  db: Kysely<Database>;
  config: Readonly<Config>;
  keys: Keys;
  clock: Clock;
  logger: Logger;
}
