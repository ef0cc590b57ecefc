import { parseArgs } from 'node:util';
import { ADMIN_LIMITS, SITE_ID_PATTERN, SITE_LIMITS, SiteSettingsSchema } from '@hiwar/protocol';
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

  if (mode === 'add' && origins === undefined) {
    problems.push(
      'site add needs at least one --origin: the address your pages live at, e.g. --origin https://news.example.',
    );
  }
  if (mode === 'update' && Object.keys(changes).length === 0 && problems.length === 0) {
    problems.push(
      'Nothing to change: give at least one of --origin, --add-origin, --remove-origin, --moderation, --edit-window, --depth, --lang, --auto-close-days, --hold-words, --reject-words, --hold-links.',
    );
  }
  if (problems.length > 0) throw new UsageError(problems, usage);
  return { id: id as string, changes, json: flags.json === true };
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
