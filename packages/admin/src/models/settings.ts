import type { AdminSite, Lang, ModerationPolicy, UpdateSiteBody } from '@hiwar/protocol';
import { computed, signal } from '@preact/signals';
import type { AdminClient } from './api.js';
import { type FieldErrors, fieldErrorsOf } from './form-errors.js';

/**
 * A site as the screen reads it: `holdLinks` may be absent (a server older than the
 * setting), and the form then neither shows nor sends it.
 */
export type EditableSite = AdminSite & { holdLinks?: number };
type SiteChanges = UpdateSiteBody & { holdLinks?: number };

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
] as const;

const NUMERIC = ['editWindowMinutes', 'maxDepth', 'autoCloseDays', 'holdLinks'] as const;

export function draftOf(site: EditableSite): SiteDraft {
  return {
    origins: [...site.origins],
    moderation: site.moderation,
    editWindowMinutes: String(site.editWindowMinutes),
    maxDepth: String(site.maxDepth),
    autoCloseDays: String(site.autoCloseDays),
    // Absent from a server older than the setting: the field stays empty and is not sent.
    holdLinks: site.holdLinks === undefined ? '' : String(site.holdLinks),
    holdWords: site.holdWords.join('\n'),
    rejectWords: site.rejectWords.join('\n'),
    lang: site.lang,
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
  const body: SiteChanges = {};
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
  if (draft.moderation !== site.moderation) body.moderation = draft.moderation;
  if (draft.lang !== site.lang) body.lang = draft.lang;
  return { body };
}

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
    /** Sends the changed settings; on `validation_failed` the reasons land in `errors`. */
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
