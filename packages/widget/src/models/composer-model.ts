import type { Comment, CreateCommentResponse, ErrorCode, FieldReason, LiteClient } from '@hiwar/sdk';
import { isHiwarError, randomId } from '@hiwar/sdk';
import { batch, effect, type ReadonlySignal, signal } from '../signals.js';
import { type ChallengeModel, createChallengeModel } from './challenge-model.js';
import type { SessionModel } from './session-model.js';
import type { ThreadModel, ThreadTarget } from './thread-model.js';

/** The fields of the form that can carry an error. */
export type Field = 'body' | 'name' | 'email' | 'website';
/** Why a field is refused: a validation reason, or an API code about that field. */
export type FieldProblem = FieldReason | ErrorCode;
export type FieldErrors = Partial<Record<Field, FieldProblem>>;

/** What one press of the submit button came to. */
export type SubmitResult = 'posted' | 'pending' | 'invalid' | 'failed';

export interface ComposerModelOptions {
  client: LiteClient;
  session: SessionModel;
  thread: ThreadModel;
  target: ThreadTarget & { title?: string };
  /** Called after a comment was created. */
  onPosted?: (response: CreateCommentResponse) => void;
  /** Makes Idempotency-Keys; tests pass a predictable one. */
  newKey?: () => string;
  /** Form tokens and proofs of work; by default from the client. */
  challenge?: ChallengeModel;
}

/** The API's field paths (`details.fields`), as the form's fields. */
const API_FIELDS: Record<string, Field> = {
  body: 'body',
  'author.name': 'name',
  'author.email': 'email',
  'author.website': 'website',
};

/** The website as sent: `news.example` gains `https://`; empty stays empty. */
export const normalizeWebsite = (raw: string): string => {
  const value = raw.trim();
  return !value || /^[a-z][a-z\d+.-]*:/i.test(value) ? value : `https://${value}`;
};

const isHttpUrl = (value: string) => /^https?:\/\/[^\s/?#]+\S*$/i.test(value);

/**
 * The comment form: its fields, the comment replied to, validation and posting.
 * Nothing typed is dropped on any error; the body is kept as a draft per thread;
 * sending the same comment again reuses its Idempotency-Key, so a retry after a
 * lost answer cannot post it twice. Each comment carries a fresh form token (and the
 * answer to its puzzle, when the site sets one), prepared from the form's first focus.
 *
 * @example
 * const composer = createComposerModel({ client, session, thread, target: { url } });
 * composer.body.value = 'مقال رائع';
 * await composer.submit(); // → 'posted' | 'pending' | 'invalid' | 'failed'
 */
export function createComposerModel(options: ComposerModelOptions) {
  const { client, session, thread, target } = options;
  const newKey = options.newKey ?? randomId;
  const challenge = options.challenge ?? createChallengeModel({ client });
  const saved = session.identity.value;
  const body = signal(session.loadDraft());
  const name = signal(saved?.name ?? '');
  const email = signal(saved?.email ?? '');
  const website = signal(saved?.website ?? '');
  const remember = signal(!!saved);
  const notify = signal(false);
  /** The honeypot: people never see it, so it stays empty. */
  const homepage = signal('');
  const replyTo = signal<Comment | null>(null);
  const busy = signal(false);
  const fieldErrors = signal<FieldErrors>({});
  const formError = signal<ErrorCode | null>(null);
  const lastPosted = signal<string | null>(null);
  const controller = new AbortController();
  /** The key of the last attempt that got no definite answer, and what it sent. */
  let attempt: { key: string; sent: string } | null = null;
  const stopDraft = effect(() => session.saveDraft(body.value));

  /** Checks the fields as the server would (same limits); returns the problems found. */
  function validate(): FieldErrors {
    const errors: FieldErrors = {};
    const check = (
      field: Field,
      value: string,
      max: number,
      required: boolean,
      valid = true,
      reason?: FieldReason,
    ) => {
      if (!value.trim()) {
        if (required) errors[field] = 'required';
      } else if (value.length > max) errors[field] = 'too_long';
      else if (!valid) errors[field] = reason;
    };
    const mail = email.value.trim();
    const site = normalizeWebsite(website.value);
    check('body', body.value, 65_525, true);
    check('name', name.value.trim(), 245, true);
    check('email', mail, 100, true, /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mail), 'invalid_email');
    check('website', site, 200, false, isHttpUrl(site), 'invalid_url');
    return errors;
  }

  /** Validates, then posts; on success the comment shows at once and the body empties. */
  async function submit(): Promise<SubmitResult> {
    if (busy.value) return 'failed';
    const errors = validate();
    batch(() => {
      fieldErrors.value = errors;
      formError.value = null;
    });
    if (Object.keys(errors).length) return 'invalid';

    const site = normalizeWebsite(website.value);
    const author = { name: name.value.trim(), email: email.value.trim(), website: site || undefined };
    const request = {
      ...target,
      title: target.title || undefined,
      parentId: replyTo.value?.id ?? null,
      body: body.value,
      author,
      notifyReplies: notify.value,
      homepage: homepage.value,
    };
    const sent = JSON.stringify(request);
    if (attempt?.sent !== sent) attempt = { key: newKey(), sent };

    busy.value = true;
    // Still fetching the token or solving its puzzle: say why nothing happens yet.
    const waiting = !challenge.ready();
    if (waiting) thread.announce('verifying');
    try {
      // The token and proof stay out of `sent`: a new token does not make a new comment.
      const response = await client.comments.create(
        { ...request, ...(await challenge.prepare()) },
        { idempotencyKey: attempt.key, signal: controller.signal },
      );
      challenge.renew();
      const { comment, editToken, editableUntil } = response;
      const held = comment.status !== 'approved';
      attempt = null;
      session.addOwn({ id: comment.id, editToken, editableUntil, body: request.body });
      session.rememberIdentity(remember.value ? { ...author, website: site } : null);
      batch(() => {
        thread.insert(comment);
        body.value = '';
        website.value = site;
        replyTo.value = null;
        lastPosted.value = comment.id;
        thread.announce(held ? 'sentPending' : 'posted');
      });
      options.onPosted?.(response);
      return held ? 'pending' : 'posted';
    } catch (e) {
      if (waiting) thread.announce(null);
      if (!isHiwarError(e)) return 'failed';
      // The token reached the server, which may have spent it.
      if (e.status) challenge.renew();
      // A refusal is a definite answer (nothing was created): the next attempt is a new request.
      if (e.status >= 400 && e.status < 500) attempt = null;
      const mapped: FieldErrors = {};
      for (const [path, reason] of Object.entries(e.fields ?? {})) {
        const field = API_FIELDS[path];
        if (field) mapped[field] ??= reason;
      }
      if (e.code === 'duplicate_comment' || e.code === 'payload_too_large') mapped.body = e.code;
      const onFields = Object.keys(mapped).length > 0;
      batch(() => {
        fieldErrors.value = mapped;
        formError.value = onFields ? null : e.code;
      });
      return onFields ? 'invalid' : 'failed';
    } finally {
      busy.value = false;
    }
  }

  return {
    body,
    name,
    email,
    website,
    remember,
    notify,
    homepage,
    replyTo: replyTo as ReadonlySignal<Comment | null>,
    busy: busy as ReadonlySignal<boolean>,
    fieldErrors: fieldErrors as ReadonlySignal<FieldErrors>,
    formError: formError as ReadonlySignal<ErrorCode | null>,
    /** The id of the comment posted last from this form. */
    lastPosted: lastPosted as ReadonlySignal<string | null>,
    validate,
    submit,
    /** Gets the next comment's form token ready (on the form's first focus). */
    prepare: challenge.prepare,

    /** Forgets the error beside a field once it is being corrected. */
    clearError(field: Field) {
      if (fieldErrors.value[field]) fieldErrors.value = { ...fieldErrors.value, [field]: undefined };
    },

    /** Makes the form a reply to `comment` (null: a new top-level comment again). */
    setReplyTo(comment: Comment | null) {
      replyTo.value = comment;
      formError.value = null;
    },

    dispose() {
      stopDraft();
      controller.abort();
      challenge.dispose();
    },
  };
}

export type ComposerModel = ReturnType<typeof createComposerModel>;
