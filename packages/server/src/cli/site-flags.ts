import { parseArgs } from 'node:util';
import {
  ADMIN_LIMITS,
  AdminSiteSettingsSchema,
  CHALLENGE_MODES,
  POW_MODES,
  SITE_ID_PATTERN,
  SITE_LIMITS,
  SiteSettingsSchema,
  SPAM_CHECKERS,
} from '@hiwar/protocol';
import { originProblem, type SiteChanges } from '../sites/sites.service.js';
import { USAGE, UsageError } from './usage.js';

export interface SiteCommand {
  id: string;
  changes: SiteChanges;
  json: boolean;
}

const SETTING_FLAGS = {
  origin: { type: 'string', multiple: true },
  moderation: { type: 'string' },
  'edit-window': { type: 'string' },
  depth: { type: 'string' },
  lang: { type: 'string' },
  'auto-close-days': { type: 'string' },
  'hold-word': { type: 'string', multiple: true },
  'hold-words': { type: 'string', multiple: true },
  'reject-word': { type: 'string', multiple: true },
  'reject-words': { type: 'string', multiple: true },
  'hold-links': { type: 'string' },
  'flood-seconds': { type: 'string' },
  'thread-hourly-limit': { type: 'string' },
  'site-hourly-limit': { type: 'string' },
  challenge: { type: 'string' },
  'min-fill-seconds': { type: 'string' },
  'proof-of-work': { type: 'string' },
  'pow-difficulty': { type: 'string' },
  'pow-flood-threshold': { type: 'string' },
  'spam-checker': { type: 'string' },
  'akismet-key': { type: 'string' },
  'spam-check-email': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

const UPDATE_FLAGS = {
  ...SETTING_FLAGS,
  'add-origin': { type: 'string', multiple: true },
  'remove-origin': { type: 'string', multiple: true },
} as const satisfies FlagSpec;

/**
 * Reads the arguments of `site add` or `site update` (after the sub-command)
 * and checks every flag, reporting all problems at once as a {@link UsageError}.
 *
 * @example
 * parseSiteCommand('add', ['news', '--origin', 'https://news.example', '--depth', '3'])
 * // → { id: 'news', changes: { origins: ['https://news.example'], maxDepth: 3 }, json: false }
 */
export function parseSiteCommand(mode: 'add' | 'update', args: string[]): SiteCommand {
  const usage = mode === 'add' ? USAGE.siteAdd : USAGE.siteUpdate;
  const parsed = parseFlags(args, mode === 'add' ? SETTING_FLAGS : UPDATE_FLAGS, `site ${mode}`);
  const { positionals, problems } = parsed;
  const flags = parsed.values as Partial<Record<keyof typeof UPDATE_FLAGS, string | string[] | boolean>>;

  const [id, ...extra] = positionals;
  if (id === undefined)
    problems.push(`site ${mode} needs the id of a site, e.g. \`pnpm hiwar site ${mode} news …\`.`);
  else if (!SITE_ID_PATTERN.test(id)) {
    problems.push(
      `"${id}" is not a valid site id: use 1 to 64 lower-case letters, digits, "-" and "_", starting with a letter or digit (e.g. news).`,
    );
  }
  for (const arg of extra) problems.push(`Unexpected argument "${arg}".`);

  const changes: SiteChanges = {};
  const origins = flags.origin as string[] | undefined;
  if (origins !== undefined) changes.origins = checkOrigins('--origin', origins, problems);
  if (mode === 'update') {
    const add = flags['add-origin'] as string[] | undefined;
    const remove = flags['remove-origin'] as string[] | undefined;
    if (add !== undefined) changes.addOrigins = checkOrigins('--add-origin', add, problems);
    if (remove !== undefined) changes.removeOrigins = remove;
    if (origins !== undefined && (add !== undefined || remove !== undefined)) {
      problems.push(
        '--origin replaces the whole list of origins: give it alone, or use --add-origin/--remove-origin.',
      );
    }
  }

  const moderation = flags.moderation as string | undefined;
  if (moderation !== undefined) {
    const parsed = SiteSettingsSchema.shape.moderation.safeParse(moderation);
    if (parsed.success) changes.moderation = parsed.data;
    else problems.push(`--moderation must be none, first-time or all (got "${moderation}").`);
  }
  const { editWindowMinutes: window, maxDepth: depth } = SITE_LIMITS;
  const editWindow = wholeNumber(flags['edit-window'] as string | undefined, window.min, window.max);
  if (editWindow === null) {
    problems.push(
      `--edit-window must be a whole number of minutes from ${window.min} to ${window.max} (one week); 0 turns editing off (got "${flags['edit-window']}").`,
    );
  } else if (editWindow !== undefined) changes.editWindowMinutes = editWindow;
  const maxDepth = wholeNumber(flags.depth as string | undefined, depth.min, depth.max);
  if (maxDepth === null) {
    problems.push(`--depth must be a whole number from ${depth.min} to ${depth.max} (got "${flags.depth}").`);
  } else if (maxDepth !== undefined) changes.maxDepth = maxDepth;
  const lang = flags.lang as string | undefined;
  if (lang !== undefined) {
    const parsed = SiteSettingsSchema.shape.lang.safeParse(lang);
    if (parsed.success) changes.lang = parsed.data;
    else problems.push(`--lang must be ar or en (got "${lang}").`);
  }

  const { autoCloseDays: autoClose } = ADMIN_LIMITS;
  const autoCloseDays = wholeNumber(
    flags['auto-close-days'] as string | undefined,
    autoClose.min,
    autoClose.max,
  );
  if (autoCloseDays === null) {
    problems.push(
      `--auto-close-days must be a whole number of days from ${autoClose.min} to ${autoClose.max}; 0 never closes (got "${flags['auto-close-days']}").`,
    );
  } else if (autoCloseDays !== undefined) changes.autoCloseDays = autoCloseDays;
  const holdWords = wordList(flags, 'hold', problems);
  if (holdWords !== undefined) changes.holdWords = holdWords;
  const rejectWords = wordList(flags, 'reject', problems);
  if (rejectWords !== undefined) changes.rejectWords = rejectWords;
  const { holdLinks: links } = ADMIN_LIMITS;
  const holdLinks = wholeNumber(flags['hold-links'] as string | undefined, links.min, links.max);
  if (holdLinks === null) {
    problems.push(
      `--hold-links must be a whole number of links from ${links.min} to ${links.max}; 0 turns the rule off (got "${flags['hold-links']}").`,
    );
  } else if (holdLinks !== undefined) changes.holdLinks = holdLinks;
  Object.assign(changes, abuseChanges(flags, problems));

  if (mode === 'add' && origins === undefined) {
    problems.push(
      'site add needs at least one --origin: the address your pages live at, e.g. --origin https://news.example.',
    );
  }
  if (mode === 'update' && Object.keys(changes).length === 0 && problems.length === 0) {
    problems.push(
      'Nothing to change: give at least one of --origin, --add-origin, --remove-origin, --moderation, --edit-window, --depth, --lang, --auto-close-days, --hold-words, --reject-words, --hold-links, ' +
        '--flood-seconds, --thread-hourly-limit, --site-hourly-limit, --challenge, --min-fill-seconds, --proof-of-work, ' +
        '--pow-difficulty, --pow-flood-threshold, --spam-checker, --akismet-key, --spam-check-email.',
    );
  }
  if (problems.length > 0) throw new UsageError(problems, usage);
  return { id: id as string, changes, json: flags.json === true };
}

/**
 * The abuse-control settings of issue 5 (flood limits, the form token, proof of work,
 * the spam checker) from their flags; each problem is named with its allowed range.
 * The Akismet key is never repeated in a message: it is a secret.
 */
function abuseChanges(
  flags: Partial<Record<string, string | string[] | boolean>>,
  problems: string[],
): SiteChanges {
  const changes: SiteChanges = {};
  const number = (flag: string, range: { min: number; max: number }, problem: string) => {
    const given = flags[flag] as string | undefined;
    const n = wholeNumber(given, range.min, range.max);
    if (n === null) problems.push(`--${flag} must be ${problem} (got "${given}").`);
    return n ?? undefined;
  };
  const choice = <T extends string>(flag: string, allowed: readonly T[]): T | undefined => {
    const given = flags[flag] as string | undefined;
    if (given === undefined) return undefined;
    if ((allowed as readonly string[]).includes(given)) return given as T;
    problems.push(`--${flag} must be ${orList(allowed)} (got "${given}").`);
    return undefined;
  };
  const { floodSeconds, hourlyLimit, minFillSeconds, powDifficulty, powFloodThreshold } = ADMIN_LIMITS;

  changes.floodSeconds = number(
    'flood-seconds',
    floodSeconds,
    `a whole number of seconds from ${floodSeconds.min} to ${floodSeconds.max} (a day); 0 turns the limit off`,
  );
  changes.threadHourlyLimit = number(
    'thread-hourly-limit',
    hourlyLimit,
    `a whole number of comments from ${hourlyLimit.min} to ${hourlyLimit.max}; 0 is no ceiling`,
  );
  changes.siteHourlyLimit = number(
    'site-hourly-limit',
    hourlyLimit,
    `a whole number of comments from ${hourlyLimit.min} to ${hourlyLimit.max}; 0 is no ceiling`,
  );
  changes.challenge = choice('challenge', CHALLENGE_MODES);
  changes.minFillSeconds = number(
    'min-fill-seconds',
    minFillSeconds,
    `a whole number of seconds from ${minFillSeconds.min} to ${minFillSeconds.max}; 0 turns the check off`,
  );
  changes.proofOfWork = choice('proof-of-work', POW_MODES);
  changes.powDifficulty = number(
    'pow-difficulty',
    powDifficulty,
    `a whole number of bits from ${powDifficulty.min} to ${powDifficulty.max}; each one more doubles the work`,
  );
  changes.powFloodThreshold = number(
    'pow-flood-threshold',
    powFloodThreshold,
    `a whole number of comments in 10 minutes from ${powFloodThreshold.min} to ${powFloodThreshold.max}`,
  );
  changes.spamChecker = choice('spam-checker', SPAM_CHECKERS);
  const email = choice('spam-check-email', ['yes', 'no'] as const);
  if (email !== undefined) changes.spamCheckEmail = email === 'yes';

  const key = flags['akismet-key'] as string | undefined;
  if (key !== undefined && key.trim() === '') changes.akismetKey = null;
  else if (key !== undefined) {
    const parsed = AdminSiteSettingsSchema.shape.akismetKey.safeParse(key);
    if (parsed.success) changes.akismetKey = parsed.data;
    else if (key.trim().length > ADMIN_LIMITS.akismetKey) {
      problems.push(
        `--akismet-key must be at most ${ADMIN_LIMITS.akismetKey} characters (the key is not shown here).`,
      );
    } else problems.push('--akismet-key holds a character no key has (a NUL or a broken surrogate).');
  }
  // Flags not given leave their setting alone: drop the keys left undefined above.
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/** `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export interface ParsedFlags {
  values: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
  /** Unknown options and options missing their value, in words. */
  problems: string[];
}

/**
 * Reads flags with `node:util`'s parseArgs, reporting every unknown option and
 * every option missing its value (rather than stopping at the first).
 *
 * @example
 * parseFlags(['--json', 'x'], { json: { type: 'boolean' } }, 'site list')
 * // → { values: { json: true }, positionals: ['x'], problems: [] }
 */
export function parseFlags(args: string[], options: FlagSpec, command: string): ParsedFlags {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const values: ParsedFlags['values'] = {};
  const positionals: string[] = [];
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (!spec) {
      problems.push(`${command} has no option ${token.rawName}.`);
    } else if (spec.type === 'boolean') {
      if (token.value !== undefined) problems.push(`${token.rawName} takes no value.`);
      else values[token.name] = true;
    } else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      const hint =
        token.value === undefined
          ? ''
          : ` (for a value starting with "-", write ${token.rawName}=${token.value})`;
      problems.push(`${token.rawName} needs a value${hint}.`);
    } else if (spec.multiple) {
      values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
    } else {
      values[token.name] = token.value;
    }
  }
  return { values, positionals, problems };
}

function checkOrigins(flag: string, origins: string[], problems: string[]): string[] {
  for (const origin of origins) {
    const problem = originProblem(origin);
    if (problem) problems.push(`${flag}: ${problem}`);
  }
  return origins;
}

/**
 * A word list from `--hold-word W` (repeatable) and `--hold-words a,b` (comma list;
 * `--hold-words=` empties the list). Undefined when neither flag is given.
 */
function wordList(
  flags: Partial<Record<string, string | string[] | boolean>>,
  kind: 'hold' | 'reject',
  problems: string[],
): string[] | undefined {
  const single = flags[`${kind}-word`] as string[] | undefined;
  const lists = flags[`${kind}-words`] as string[] | undefined;
  if (single === undefined && lists === undefined) return undefined;
  const words = [...(single ?? []), ...(lists ?? []).flatMap((list) => list.split(','))]
    .map((word) => word.trim())
    .filter((word) => word.length > 0);
  const tooLong = words.find((word) => word.length > ADMIN_LIMITS.wordLength);
  if (tooLong !== undefined) {
    problems.push(
      `--${kind}-words: "${tooLong.slice(0, 20)}…" is longer than ${ADMIN_LIMITS.wordLength} characters.`,
    );
  }
  if (words.length > ADMIN_LIMITS.words) {
    problems.push(`--${kind}-words: at most ${ADMIN_LIMITS.words} words (got ${words.length}).`);
  }
  return [...new Set(words)];
}

/** The number, undefined when the flag is absent, null when it is not a whole number in range. */
function wholeNumber(text: string | undefined, min: number, max: number): number | undefined | null {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}
