import {
  type AdminSite,
  type AdminSiteSettings,
  AdminSiteSettingsSchema,
  type FieldReason,
  SITE_ID_PATTERN,
  SITE_LIMITS,
  type Site,
} from '@hiwar/protocol';
import type { Kysely } from 'kysely';
import { writeAudit } from '../auth/audit.js';
import type { Principal } from '../auth/principal.js';
import { type Keys, open, seal } from '../crypto/keys.js';
import type { Database } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { isOriginPattern } from '../http/origins.js';
import { fieldsOf } from '../http/validate.js';
import {
  findSiteById,
  insertSite,
  listSiteRows,
  type SiteColumns,
  type SiteRecord,
  updateSiteRow,
} from './sites.repository.js';

/** A change to a site: settings given replace the stored ones; origins can also be added or removed. */
export interface SiteChanges extends Partial<AdminSiteSettings> {
  addOrigins?: string[] | undefined;
  removeOrigins?: string[] | undefined;
}

/**
 * Why a string is not an allowed-origin pattern, or null when it is one.
 * Beyond {@link isOriginPattern}: a port is at most 65535, no user info, and a
 * wildcard must sit under a domain of at least two labels (`https://*.com`
 * would let every .com site in).
 *
 * @example
 * originProblem('https://*.news.example') // → null
 * originProblem('https://news.example/a') // → '"https://news.example/a" is not an origin: …'
 */
export function originProblem(pattern: string): string | null {
  const value = pattern.trim();
  const match = /^https?:\/\/(\*\.)?(\[[^\]]*\]|[^/:]+)(?::(\d+|\*))?\/?$/i.exec(value);
  if (!isOriginPattern(value) || !match || value.includes('@') || Number(match[3] ?? 0) > 65_535) {
    return (
      `"${value}" is not an origin: write scheme://host[:port] with no path, such as https://news.example, ` +
      'http://localhost:* (any port) or https://*.news.example (any subdomain).'
    );
  }
  if (match[1] && !(match[2] as string).includes('.')) {
    return `"${value}" would allow every site under ".${match[2]}"; name a domain you own, such as https://*.news.example.`;
  }
  return null;
}

/** Lower case, no trailing slash: the form origins are stored in. */
export function normalizeOrigin(pattern: string): string {
  return pattern.trim().toLowerCase().replace(/\/$/, '');
}

/** Who changes a site, for the audit log: a signed-in user, or null for the CLI. */
export type SiteActor = Pick<Principal, 'userId' | 'username'> | null;

/** A site with every setting, as the admin API shows it. */
export function toAdminSite(row: SiteRecord): AdminSite {
  return {
    ...toSite(row),
    autoCloseDays: row.auto_close_days,
    holdWords: [...row.hold_words],
    rejectWords: [...row.reject_words],
    holdLinks: row.hold_links,
    floodSeconds: row.flood_seconds,
    threadHourlyLimit: row.thread_hourly_limit,
    siteHourlyLimit: row.site_hourly_limit,
    challenge: row.challenge,
    minFillSeconds: row.min_fill_seconds,
    proofOfWork: row.pow_mode,
    powDifficulty: row.pow_difficulty,
    powFloodThreshold: row.pow_flood_threshold,
    spamChecker: row.spam_checker,
    spamCheckEmail: row.spam_check_email,
    akismetKeySet: row.akismet_key_enc !== null,
  };
}

/** The settings of a site, without its id and times: an audit entry's before and after. */
function auditSettings(row: SiteRecord): Omit<AdminSite, 'id' | 'createdAt' | 'updatedAt'> {
  const { id: _id, createdAt: _c, updatedAt: _u, ...settings } = toAdminSite(row);
  return settings;
}

/** The protocol's `Site` shape of a stored site (what `hiwar site … --json` prints). */
export function toSite(row: SiteRecord): Site {
  return {
    id: row.id,
    origins: [...row.origins],
    moderation: row.moderation,
    editWindowMinutes: row.edit_window_minutes,
    maxDepth: row.max_depth,
    lang: row.lang,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Adds a site. Settings not given take the defaults (`SITE_DEFAULTS`); at least
 * one origin is required. Throws `validation_failed` (bad settings, or the id is
 * taken).
 *
 * @example
 * await createSite(db, { id: 'news', origins: ['https://news.example'], moderation: 'all' })
 */
export async function createSite(
  db: Kysely<Database>,
  input: { id: string } & Partial<AdminSiteSettings>,
  now: Date = new Date(),
  by: SiteActor = null,
  keys?: Keys,
): Promise<AdminSite> {
  const { id, ...rest } = input;
  const fields: Record<string, FieldReason> = {};
  if (!SITE_ID_PATTERN.test(id)) fields.id = 'invalid';
  const settings = checkSettings(rest, fields);
  if (settings.origins === undefined) fields.origins ??= 'required';
  if (Object.keys(fields).length > 0) throw invalid(fields);
  return db.transaction().execute(async (trx) => {
    const row = await insertSite(trx, id, toColumns(settings, keys), now);
    if (!row) {
      throw new ApiError('validation_failed', `A site with the id "${id}" already exists.`, {
        fields: { id: 'invalid' },
      });
    }
    await writeAudit(trx, {
      principal: by,
      action: 'site.create',
      siteId: id,
      targetType: 'site',
      targetId: id,
      after: auditSettings(row),
    });
    return toAdminSite(row);
  });
}

/**
 * Changes a site: each setting given replaces the stored one; `origins`
 * replaces the whole list, `addOrigins`/`removeOrigins` edit it. Throws
 * `unknown_site` or `validation_failed`.
 *
 * @example
 * await updateSite(db, 'news', { moderation: 'none', addOrigins: ['https://m.news.example'] })
 */
export async function updateSite(
  db: Kysely<Database>,
  id: string,
  changes: SiteChanges,
  now: Date = new Date(),
  by: SiteActor = null,
  keys?: Keys,
): Promise<AdminSite> {
  const { addOrigins = [], removeOrigins = [], ...rest } = changes;
  const fields: Record<string, FieldReason> = {};
  const settings = checkSettings(rest, fields);
  addOrigins.forEach((origin, i) => {
    if (originProblem(origin)) fields[`addOrigins.${i}`] ??= 'invalid_url';
  });
  if (Object.keys(fields).length > 0) throw invalid(fields);

  return db.transaction().execute(async (trx) => {
    const current = await findSiteById(trx, id, { lock: true });
    if (!current) throw new ApiError('unknown_site', `No site has the id "${id}".`);
    if (addOrigins.length > 0 || removeOrigins.length > 0) {
      const removing = removeOrigins.map(normalizeOrigin);
      const base = settings.origins ?? current.origins;
      const missing = removing.filter((origin) => !base.includes(origin));
      if (missing.length > 0) {
        throw new ApiError(
          'validation_failed',
          `Site "${id}" has no origin ${missing.map((o) => `"${o}"`).join(', ')}.`,
          {
            fields: { removeOrigins: 'invalid' },
          },
        );
      }
      settings.origins = unique([...base, ...addOrigins.map(normalizeOrigin)]).filter(
        (o) => !removing.includes(o),
      );
    }
    if (settings.origins !== undefined && settings.origins.length === 0) {
      throw new ApiError(
        'validation_failed',
        'A site needs at least one origin: its pages must live somewhere.',
        {
          fields: { origins: 'too_short' },
        },
      );
    }
    if (settings.origins !== undefined && settings.origins.length > SITE_LIMITS.origins) {
      throw new ApiError('validation_failed', `A site may have at most ${SITE_LIMITS.origins} origins.`, {
        fields: { origins: 'too_long' },
      });
    }
    const row = (await updateSiteRow(trx, id, toColumns(settings, keys), now)) as SiteRecord;
    await writeAudit(trx, {
      principal: by,
      action: 'site.update',
      siteId: id,
      targetType: 'site',
      targetId: id,
      before: auditSettings(current),
      after: auditSettings(row),
    });
    return toAdminSite(row);
  });
}

/**
 * Every site, by id.
 *
 * @example
 * const sites = await listSites(db)
 */
export async function listSites(db: Kysely<Database>): Promise<AdminSite[]> {
  return (await listSiteRows(db)).map(toAdminSite);
}

/**
 * One site, or `unknown_site`.
 *
 * @example
 * const site = await getSite(db, 'news')
 */
export async function getSite(db: Kysely<Database>, id: string): Promise<AdminSite> {
  const row = await findSiteById(db, id);
  if (!row) throw new ApiError('unknown_site', `No site has the id "${id}".`);
  return toAdminSite(row);
}

/** Validates the settings given (all optional here), collecting reasons into `fields`. */
function checkSettings(
  input: Partial<AdminSiteSettings>,
  fields: Record<string, FieldReason>,
): Partial<AdminSiteSettings> {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const result = AdminSiteSettingsSchema.partial().safeParse(defined);
  if (!result.success) Object.assign(fields, fieldsOf(result.error.issues, defined), fields);
  const settings: Partial<AdminSiteSettings> = result.success ? result.data : {};
  if (Array.isArray(defined.origins)) {
    defined.origins.forEach((origin, i) => {
      if (typeof origin === 'string' && originProblem(origin)) fields[`origins.${i}`] ??= 'invalid_url';
    });
    if (settings.origins) settings.origins = unique(settings.origins.map(normalizeOrigin));
  }
  // Words are kept as written (trimmed, once each); they are folded when matched.
  if (settings.holdWords) settings.holdWords = unique(settings.holdWords.map((w) => w.trim()));
  if (settings.rejectWords) settings.rejectWords = unique(settings.rejectWords.map((w) => w.trim()));
  return settings;
}

function toColumns(settings: Partial<AdminSiteSettings>, keys: Keys | undefined): SiteColumns {
  const columns: SiteColumns = {};
  if (settings.origins !== undefined) columns.origins = settings.origins;
  if (settings.moderation !== undefined) columns.moderation = settings.moderation;
  if (settings.editWindowMinutes !== undefined) columns.edit_window_minutes = settings.editWindowMinutes;
  if (settings.maxDepth !== undefined) columns.max_depth = settings.maxDepth;
  if (settings.lang !== undefined) columns.lang = settings.lang;
  if (settings.autoCloseDays !== undefined) columns.auto_close_days = settings.autoCloseDays;
  if (settings.holdWords !== undefined) columns.hold_words = settings.holdWords;
  if (settings.rejectWords !== undefined) columns.reject_words = settings.rejectWords;
  if (settings.holdLinks !== undefined) columns.hold_links = settings.holdLinks;
  if (settings.floodSeconds !== undefined) columns.flood_seconds = settings.floodSeconds;
  if (settings.threadHourlyLimit !== undefined) columns.thread_hourly_limit = settings.threadHourlyLimit;
  if (settings.siteHourlyLimit !== undefined) columns.site_hourly_limit = settings.siteHourlyLimit;
  if (settings.challenge !== undefined) columns.challenge = settings.challenge;
  if (settings.minFillSeconds !== undefined) columns.min_fill_seconds = settings.minFillSeconds;
  if (settings.proofOfWork !== undefined) columns.pow_mode = settings.proofOfWork;
  if (settings.powDifficulty !== undefined) columns.pow_difficulty = settings.powDifficulty;
  if (settings.powFloodThreshold !== undefined) columns.pow_flood_threshold = settings.powFloodThreshold;
  if (settings.spamChecker !== undefined) columns.spam_checker = settings.spamChecker;
  if (settings.spamCheckEmail !== undefined) columns.spam_check_email = settings.spamCheckEmail;
  if (settings.akismetKey !== undefined) {
    columns.akismet_key_enc = settings.akismetKey === null ? null : sealAkismetKey(keys, settings.akismetKey);
  }
  return columns;
}

const AKISMET_KEY_CONTEXT = 'hiwar:akismet-key:v1';

function sealAkismetKey(keys: Keys | undefined, key: string): Buffer {
  if (!keys)
    throw new Error('Storing an Akismet key needs the server keys: pass them to createSite/updateSite.');
  return seal(keys.encryption, key, AKISMET_KEY_CONTEXT);
}

/**
 * The site's Akismet key in clear, for the spam checker only; null when none is stored.
 *
 * @example
 * const key = openAkismetKey(deps.keys, site.akismet_key_enc)
 */
export function openAkismetKey(keys: Keys, sealed: Uint8Array | null): string | null {
  return sealed ? open(keys.encryption, sealed, AKISMET_KEY_CONTEXT) : null;
}

function invalid(fields: Record<string, FieldReason>): ApiError {
  return new ApiError(
    'validation_failed',
    `Some site settings are not valid: ${Object.keys(fields).join(', ')}.`,
    {
      fields,
    },
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
