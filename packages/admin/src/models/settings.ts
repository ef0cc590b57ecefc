import type {
  AdminSite,
  ChallengeMode,
  Lang,
  ModerationPolicy,
  PowMode,
  SpamChecker,
  UpdateSiteBody,
} from '@hiwar/protocol';
import { computed, signal } from '@preact/signals';
import type { AdminClient } from './api.js';
import { type FieldErrors, fieldErrorsOf } from './form-errors.js';

/** The abuse-control settings of issue 5 (flood limits, form check, proof of work, spam checker). */
type AbuseKey =
  | 'floodSeconds'
  | 'threadHourlyLimit'
  | 'siteHourlyLimit'
  | 'challenge'
  | 'minFillSeconds'
  | 'proofOfWork'
  | 'powDifficulty'
  | 'powFloodThreshold'
  | 'spamChecker'
  | 'spamCheckEmail'
  | 'akismetKeySet';

/**
 * A site as the screen reads it: `holdLinks` and the abuse settings may be absent (a
 * server older than the setting), and the form then neither shows nor sends them.
 */
export type EditableSite = Omit<AdminSite, 'holdLinks' | AbuseKey> & {
  holdLinks?: number;
} & Partial<Pick<AdminSite, AbuseKey>>;

/** A site's settings as the form holds them: numbers and word lists as typed. */
export interface SiteDraft {
  origins: string[];
  moderation: ModerationPolicy;
  editWindowMinutes: string;
  maxDepth: string;
  autoCloseDays: string;
  holdLinks: string;
  holdWords: string;
  rejectWords: string;
  lang: Lang;
  floodSeconds: string;
  threadHourlyLimit: string;
  siteHourlyLimit: string;
  challenge: ChallengeMode;
  minFillSeconds: string;
  proofOfWork: PowMode;
  powDifficulty: string;
  powFloodThreshold: string;
  spamChecker: SpamChecker;
  spamCheckEmail: boolean;
  /** A new Akismet key as typed; empty keeps the stored one. Never filled from the server. */
  akismetKey: string;
  /** The owner asked to remove the stored key (sent as `akismetKey: null`). */
  removeAkismetKey: boolean;
}

/** The form's fields in the order they are shown: errors focus the first. */
export const SETTINGS_FIELDS = [
  'origins',
  'moderation',
  'editWindowMinutes',
  'maxDepth',
  'autoCloseDays',
  'holdLinks',
  'holdWords',
  'rejectWords',
  'lang',
  'floodSeconds',
  'threadHourlyLimit',
  'siteHourlyLimit',
  'challenge',
  'minFillSeconds',
  'proofOfWork',
  'powDifficulty',
  'powFloodThreshold',
  'spamChecker',
  'spamCheckEmail',
  'akismetKey',
] as const;

const NUMERIC = [
  'editWindowMinutes',
  'maxDepth',
  'autoCloseDays',
  'holdLinks',
  'floodSeconds',
  'threadHourlyLimit',
  'siteHourlyLimit',
  'minFillSeconds',
  'powDifficulty',
  'powFloodThreshold',
] as const;

/** Settings chosen from a list (or a box), sent when they differ from the site's. */
const CHOICES = ['moderation', 'lang', 'challenge', 'proofOfWork', 'spamChecker', 'spamCheckEmail'] as const;

/** Whether the server sent the abuse settings (a server older than issue 5 does not). */
export function hasAbuseSettings(site: EditableSite): boolean {
  return site.floodSeconds !== undefined;
}

export function draftOf(site: EditableSite): SiteDraft {
  // Absent from a server older than a setting: the field stays empty and is not sent.
  const number = (value: number | undefined) => (value === undefined ? '' : String(value));
  return {
    origins: [...site.origins],
    moderation: site.moderation,
    editWindowMinutes: String(site.editWindowMinutes),
    maxDepth: String(site.maxDepth),
    autoCloseDays: String(site.autoCloseDays),
    holdLinks: number(site.holdLinks),
    holdWords: site.holdWords.join('\n'),
    rejectWords: site.rejectWords.join('\n'),
    lang: site.lang,
    floodSeconds: number(site.floodSeconds),
    threadHourlyLimit: number(site.threadHourlyLimit),
    siteHourlyLimit: number(site.siteHourlyLimit),
    challenge: site.challenge ?? 'hold',
    minFillSeconds: number(site.minFillSeconds),
    proofOfWork: site.proofOfWork ?? 'flood',
    powDifficulty: number(site.powDifficulty),
    powFloodThreshold: number(site.powFloodThreshold),
    spamChecker: site.spamChecker ?? 'off',
    spamCheckEmail: site.spamCheckEmail ?? false,
    akismetKey: '',
    removeAkismetKey: false,
  };
}

/** One word or phrase a line, trimmed, without blanks or repeats. */
export function wordsOf(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()))].filter(Boolean);
}

/**
 * What to send for a draft: only the settings that differ from the site, or the
 * local reasons the draft cannot be sent (a number that is not a whole number).
 */
export function changesOf(
  site: EditableSite,
  draft: SiteDraft,
): { body: UpdateSiteBody } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: Record<string, unknown> = {};
  for (const field of NUMERIC) {
    const text = draft[field].trim();
    if (text === '' && site[field] === undefined) continue;
    if (!/^\d{1,9}$/.test(text)) {
      errors[field] = text === '' ? 'required' : 'invalid';
      continue;
    }
    if (Number(text) !== site[field]) body[field] = Number(text);
  }
  if (Object.keys(errors).length > 0) return { errors };
  const origins = draft.origins.map((origin) => origin.trim());
  if (!sameList(origins, site.origins)) body.origins = origins;
  const holdWords = wordsOf(draft.holdWords);
  if (!sameList(holdWords, site.holdWords)) body.holdWords = holdWords;
  const rejectWords = wordsOf(draft.rejectWords);
  if (!sameList(rejectWords, site.rejectWords)) body.rejectWords = rejectWords;
  for (const field of CHOICES) {
    if (site[field] !== undefined && draft[field] !== site[field]) body[field] = draft[field];
  }
  // A key typed replaces the stored one; removing sends null; otherwise the key is not sent.
  const key = draft.akismetKey.trim();
  if (key !== '') body.akismetKey = key;
  else if (draft.removeAkismetKey && site.akismetKeySet) body.akismetKey = null;
  return { body: body as UpdateSiteBody };
}

/**
 * What the spam checker would receive of each comment, in the order the screen lists
 * it: the email address only when the owner ticked the box.
 *
 * @example
 * sentToSpamChecker(false) // → ['text', 'name', 'website', 'ip', 'userAgent', 'page']
 */
export function sentToSpamChecker(withEmail: boolean): SpamCheckerItem[] {
  const items: SpamCheckerItem[] = ['text', 'name', 'website', 'ip', 'userAgent', 'page'];
  return withEmail ? [...items, 'email'] : items;
}
export type SpamCheckerItem = 'text' | 'name' | 'website' | 'ip' | 'userAgent' | 'page' | 'email';

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

export type SaveResult = 'saved' | 'unchanged' | 'invalid' | { error: unknown };

/**
 * The Sites screen's state: the caller's sites, the one being edited and its draft,
 * per-field errors (from the form or from a `validation_failed` answer), and a new
 * site form for owners.
 *
 * @example
 * const model = createSettingsModel(api.client.value);
 * await model.load();
 * model.update({ moderation: 'all' });
 * await model.save(); // 'saved'
 */
export function createSettingsModel(client: AdminClient) {
  const sites = signal<EditableSite[]>([]);
  const loaded = signal(false);
  const loadError = signal<unknown>(null);
  const selectedId = signal<string | null>(null);
  const draft = signal<SiteDraft | null>(null);
  const errors = signal<FieldErrors>({});
  const saving = signal(false);
  const selected = computed(() => sites.value.find((site) => site.id === selectedId.value) ?? null);

  const select = (id: string | null) => {
    selectedId.value = id;
    const site = sites.peek().find((s) => s.id === id);
    draft.value = site ? draftOf(site) : null;
    errors.value = {};
  };
  const replace = (site: EditableSite) => {
    const list = sites.peek();
    sites.value = list.some((s) => s.id === site.id)
      ? list.map((s) => (s.id === site.id ? site : s))
      : [...list, site].sort((a, b) => a.id.localeCompare(b.id));
  };

  return {
    sites,
    loaded,
    loadError,
    selectedId,
    selected,
    draft,
    errors,
    saving,
    select,
    async load() {
      loadError.value = null;
      try {
        sites.value = (await client.listSites()).sites;
        loaded.value = true;
        const keep = sites.value.some((s) => s.id === selectedId.peek());
        select(keep ? selectedId.peek() : (sites.value[0]?.id ?? null));
      } catch (error) {
        loadError.value = error;
      }
    },
    update(patch: Partial<SiteDraft>) {
      if (!draft.peek()) return;
      draft.value = { ...(draft.peek() as SiteDraft), ...patch };
      const cleared = { ...errors.peek() };
      for (const key of Object.keys(patch)) {
        for (const name of Object.keys(cleared))
          if (name === key || name.startsWith(`${key}.`)) delete cleared[name];
      }
      errors.value = cleared;
    },
    addOrigin(origin: string): boolean {
      const value = origin.trim();
      const current = draft.peek();
      if (!current || value === '' || current.origins.includes(value)) return false;
      this.update({ origins: [...current.origins, value] });
      return true;
    },
    removeOrigin(index: number) {
      const current = draft.peek();
      if (current) this.update({ origins: current.origins.filter((_, i) => i !== index) });
    },
    /**
     * Sends the changed settings; on `validation_failed` the reasons land in `errors`.
     * A typed Akismet key leaves the draft once saved: the screen never holds it longer.
     */
    async save(): Promise<SaveResult> {
      const site = selected.peek();
      const current = draft.peek();
      if (!site || !current || saving.peek()) return 'unchanged';
      const changes = changesOf(site, current);
      if ('errors' in changes) {
        errors.value = changes.errors;
        return 'invalid';
      }
      if (Object.keys(changes.body).length === 0) return 'unchanged';
      saving.value = true;
      try {
        const { site: saved } = await client.updateSite(site.id, changes.body);
        replace(saved);
        draft.value = draftOf(saved);
        errors.value = {};
        return 'saved';
      } catch (error) {
        const fields = fieldErrorsOf(error, ['origins']);
        if (fields) {
          errors.value = fields;
          return 'invalid';
        }
        return { error };
      } finally {
        saving.value = false;
      }
    },
    /** Creates a site with its origins (one a line) and selects it; the reasons per field on failure. */
    async create(input: {
      id: string;
      origins: string;
      moderation: ModerationPolicy;
      lang: Lang;
    }): Promise<{ ok: true } | { errors: FieldErrors } | { error: unknown }> {
      const origins = wordsOf(input.origins);
      const local: FieldErrors = {};
      if (input.id.trim() === '') local.id = 'required';
      if (origins.length === 0) local.origins = 'required';
      if (Object.keys(local).length > 0) return { errors: local };
      try {
        const { site } = await client.createSite({
          id: input.id.trim(),
          origins,
          moderation: input.moderation,
          lang: input.lang,
        });
        replace(site);
        select(site.id);
        return { ok: true };
      } catch (error) {
        const fields = fieldErrorsOf(error);
        return fields ? { errors: fields } : { error };
      }
    },
  };
}

export type SettingsModel = ReturnType<typeof createSettingsModel>;
