import { z } from 'zod';
import { LangSchema, ModerationPolicySchema } from './comment.js';

/** A site id: a slug the owner picks (`news`, `blog-en`). */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const SiteIdSchema = z.string().regex(SITE_ID_PATTERN);

/** Bounds of the numeric site settings (the database checks the same). */
export const SITE_LIMITS = {
  origins: 50,
  originLength: 300,
  editWindowMinutes: { min: 0, max: 10_080 },
  maxDepth: { min: 1, max: 20 },
} as const;

/** What a new site gets for each setting it was not given. */
export const SITE_DEFAULTS = {
  moderation: 'first-time',
  editWindowMinutes: 15,
  maxDepth: 5,
  lang: 'ar',
} as const;

/**
 * The settings of one site, as the CLI and the admin API change them.
 * The server also checks each origin's shape (`https://news.example`,
 * `http://localhost:*`, `https://*.news.example`) before storing it.
 *
 * @example
 * SiteSettingsSchema.partial().parse({ moderation: 'all', maxDepth: 3 })
 */
export const SiteSettingsSchema = z
  .strictObject({
    origins: z
      .array(z.string().trim().min(1).max(SITE_LIMITS.originLength))
      .min(1)
      .max(SITE_LIMITS.origins)
      .describe(
        'Browser origins allowed to use the site, and on which its pages live: ' +
          '`https://news.example`, `http://localhost:*` (any port), `https://*.news.example` (any subdomain)',
      ),
    moderation: ModerationPolicySchema.describe(
      '`none` publishes at once, `first-time` holds an author until one comment is approved, `all` holds every comment',
    ),
    editWindowMinutes: z
      .number()
      .int()
      .min(SITE_LIMITS.editWindowMinutes.min)
      .max(SITE_LIMITS.editWindowMinutes.max)
      .describe('How long an author may edit or delete their comment; 0 turns editing off'),
    maxDepth: z
      .number()
      .int()
      .min(SITE_LIMITS.maxDepth.min)
      .max(SITE_LIMITS.maxDepth.max)
      .describe('Reply nesting levels; deeper replies attach at the last level'),
    lang: LangSchema.describe("The widget's language when the page names none"),
  })
  .meta({ id: 'SiteSettings' });
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;

/** A site with its settings, as the CLI's `site list --json` (and later the admin API) shows it. */
export const SiteSchema = SiteSettingsSchema.extend({
  id: SiteIdSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Site' });
export type Site = z.infer<typeof SiteSchema>;
