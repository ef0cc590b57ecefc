import type { ErrorCode, FieldReason } from '@hiwar/protocol/codes';

/**
 * Every string the widget shows, in one language, but the comment counts, which
 * count.js shares (`counts.ts`). `{name}`, `{in}` and `{for}` are filled in by the widget.
 */
export interface Messages {
  heading: string;
  sortLabel: string;
  oldest: string;
  newest: string;
  loading: string;
  loadError: string;
  retry: string;
  loadMore: string;
  loadReplies: string;
  reply: string;
  edit: string;
  delete: string;
  save: string;
  cancel: string;
  confirmDelete: string;
  yesDelete: string;
  edited: string;
  deleted: string;
  pending: string;
  moderator: string;
  pinned: string;
  /**
   * The minutes left to edit one's own comment: `{in}` becomes «خلال 12 دقيقة»
   * (a relative time, which Arabic needs here), `{for}` becomes "12 minutes";
   * CLDR's plural rules pick the forms.
   */
  editWindow: string;
  editLabel: string;
  closed: string;
  formHeading: string;
  replyHeading: string;
  cancelReply: string;
  emailNote: string;
  requiredNote: string;
  body: string;
  name: string;
  email: string;
  website: string;
  required: string;
  remember: string;
  notify: string;
  submit: string;
  /** Said by the status region after posting, editing and deleting; and before posting (`verifying`). */
  posted: string;
  sentPending: string;
  saved: string;
  removed: string;
  /** While the form token is fetched, or its puzzle solved, after the submit button was pressed. */
  verifying: string;
  /** A message for every error code of the API. */
  codes: Record<ErrorCode, string>;
  /** A message for every reason a field can fail validation. */
  reasons: Record<FieldReason, string>;
}
