import type {
  BanEffect,
  BanKind,
  ChallengeMode,
  CommentStatus,
  Lang,
  ModerationPolicy,
  PowMode,
  Role,
  SpamChecker,
} from '@hiwar/protocol';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ServerMetaTable {
  key: string;
  value: string;
}

export interface SitesTable {
  id: string;
  origins: ColumnType<string[], string[] | undefined, string[]>;
  moderation: ColumnType<ModerationPolicy, ModerationPolicy | undefined, ModerationPolicy>;
  lang: ColumnType<Lang, Lang | undefined, Lang>;
  edit_window_minutes: ColumnType<number, number | undefined, number>;
  max_depth: ColumnType<number, number | undefined, number>;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  auto_close_days: ColumnType<number, number | undefined, number>;
  hold_words: ColumnType<string[], string[] | undefined, string[]>;
  reject_words: ColumnType<string[], string[] | undefined, string[]>;
  /** Links from which a comment is held (0: off). Migration 0003. */
  hold_links: ColumnType<number, number | undefined, number>;
  /** Migration 0004: flood limits, the form token, proof of work, the spam checker. */
  flood_seconds: ColumnType<number, number | undefined, number>;
  thread_hourly_limit: ColumnType<number, number | undefined, number>;
  site_hourly_limit: ColumnType<number, number | undefined, number>;
  challenge: ColumnType<ChallengeMode, ChallengeMode | undefined, ChallengeMode>;
  min_fill_seconds: ColumnType<number, number | undefined, number>;
  pow_mode: ColumnType<PowMode, PowMode | undefined, PowMode>;
  pow_difficulty: ColumnType<number, number | undefined, number>;
  pow_flood_threshold: ColumnType<number, number | undefined, number>;
  spam_checker: ColumnType<SpamChecker, SpamChecker | undefined, SpamChecker>;
  /** The Akismet API key, sealed (see sealSetting). */
  akismet_key_enc: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  spam_check_email: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ThreadsTable {
  /** bigint identity: both drivers return int8 as a string. */
  id: Generated<string>;
  site_id: string;
  /** `u:` + normalized page URL, or `i:` + the publisher's explicit identifier. */
  key: string;
  url: string | null;
  title: string | null;
  closed: Generated<boolean>;
  /** Approved comments, replies included; kept by the status-change function. */
  comment_count: Generated<number>;
  /** Bumped by every change to the thread's comments: the thread page's ETag. */
  version: Generated<string>;
  created_at: Timestamp;
}

export interface CommentsTable {
  id: Generated<string>;
  site_id: string;
  thread_id: string;
  parent_id: string | null;
  /** The top-level ancestor; null for a top-level comment. */
  root_id: string | null;
  depth: number;
  status: CommentStatus;
  /** The status a deleted comment had, so a moderator can restore it. */
  status_before_delete: CommentStatus | null;
  pinned: Generated<boolean>;
  body_md: string;
  body_html: string;
  author_name: string;
  author_website: string | null;
  author_moderator: Generated<boolean>;
  /** AES-256-GCM ciphertext of the address: never selected by public code. */
  email_enc: Buffer | null;
  /** Keyed blind index of the canonical address, for equality look-ups. */
  email_bidx: Buffer | null;
  avatar_key: string;
  ip_hash: Buffer | null;
  notify_replies: Generated<boolean>;
  /** Approved direct children: a deleted comment with any stays as a placeholder. */
  children_count: Generated<number>;
  /** On a top-level comment: approved replies in its subtree. */
  replies_count: Generated<number>;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
  /** The moderator account that wrote the comment (a reply from the dashboard). */
  author_user_id: string | null;
  /** Keyed hash of the IPv4 address or the IPv6 /64: bans and flood limits by network. */
  ip_net_hash: Buffer | null;
  /** Body and name folded for the admin search (see content/fold-arabic). Never an email. */
  search_text: string | null;
  /** Keyed hash of thread, author and folded body (duplicate detection). Migration 0003. */
  dedupe_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
}

export interface EditTokensTable {
  comment_id: string;
  token_hash: Buffer;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  site_id: string;
  key_hash: Buffer;
  request_hash: Buffer;
  /** The encrypted response (it holds an edit token); null while the first request runs. */
  response_enc: Buffer | null;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  /** scrypt, PHC-style string with its parameters and salt. */
  password_hash: string;
  role: Role;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserSitesTable {
  user_id: string;
  site_id: string;
}

export interface SessionsTable {
  /** SHA-256 of the random session id in the cookie. */
  id_hash: Buffer;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date | string;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: Buffer;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginFailuresTable {
  id: Generated<string>;
  key_hash: Buffer;
  at: Timestamp;
}

export interface BansTable {
  id: Generated<string>;
  site_id: string;
  kind: BanKind;
  effect: ColumnType<BanEffect, BanEffect | undefined, BanEffect>;
  /** Blind index of the email, keyed hash of the network, or keyed hash of the folded name. */
  value_hash: Buffer;
  /** What a moderator sees, encrypted (it may be an email address). */
  label_enc: Buffer;
  reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  user_id: string | null;
  actor: string | null;
  action: string;
  site_id: string | null;
  target_type: string | null;
  target_id: string | null;
  before: ColumnType<unknown, string | null | undefined, string | null>;
  after: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface Database {
  server_meta: ServerMetaTable;
  sites: SitesTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  edit_tokens: EditTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  user_sites: UserSitesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  bans: BansTable;
  audit_log: AuditLogTable;
  used_form_tokens: UsedFormTokensTable;
  thread_count_changes: ThreadCountChangesTable;
}

/** Form tokens already spent, kept until they expire (migration 0004). */
export interface UsedFormTokensTable {
  token_id: Buffer;
  expires_at: Timestamp;
}

/**
 * A new comment's change to its thread's counter, applied and deleted at COMMIT by a
 * deferred trigger (migration 0005): empty outside transactions.
 */
export interface ThreadCountChangesTable {
  id: Generated<string>;
  thread_id: string;
  delta: number;
}

export type SiteRow = Selectable<SitesTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type UserRow = Selectable<UsersTable>;
export type BanRow = Selectable<BansTable>;
