import type { SpamChecker } from '@hiwar/protocol';
import type { AppDeps } from '../context.js';
import { akismetService } from './akismet.js';

/** What a spam checker learns of a new comment (the email only where the site allows it). */
export interface SpamSubmission {
  siteId: string;
  /** The page the comment is on (the thread's link), when known. */
  permalink: string | null;
  lang: string;
  /** 'comment' for a top-level comment, 'reply' for an answer. */
  type: 'comment' | 'reply';
  body: string;
  authorName: string;
  authorEmail: string | null;
  authorWebsite: string | null;
  clientIp: string;
  userAgent: string | undefined;
  referrer: string | undefined;
  createdAt: Date;
}

/** `unknown`: the service failed, timed out or is not configured; the comment is held. */
export type SpamVerdict = 'spam' | 'ham' | 'unknown';

/**
 * Why a service gave no verdict. Logged as is: a closed list of words, so that no
 * address, key or commenter's text can reach the log through it.
 */
export type SpamCheckProblem =
  | 'not_configured'
  | 'timeout'
  | 'unreachable'
  | 'http_status'
  | 'rejected'
  | 'unexpected_answer'
  | 'failed';

/** A service's answer: a verdict, or why there is none (the comment then waits, pending). */
export type SpamCheckOutcome =
  | { verdict: 'spam' | 'ham' }
  | { verdict: 'unknown'; problem: SpamCheckProblem; status?: number; detail?: string };

/**
 * One spam-checking service, set up for one site. A new service is a file beside
 * `akismet.ts` and a line in {@link SERVICES}; it is asked once per comment and must
 * stop when `signal` aborts (the time limit).
 */
export interface SpamCheckService {
  check(submission: SpamSubmission, signal: AbortSignal): Promise<SpamCheckOutcome>;
}

/** The site's settings a service is set up from. */
export interface SpamCheckSite {
  id: string;
  spam_checker: SpamChecker;
  /** Whether the commenter's email address may be sent. */
  spam_check_email: boolean;
}

/** Builds a site's service, or null when the site has not configured it (no key). */
type ServiceFactory = (deps: AppDeps, site: SpamCheckSite) => Promise<SpamCheckService | null>;

const SERVICES: Record<Exclude<SpamChecker, 'off'>, ServiceFactory> = {
  akismet: akismetService,
};

/**
 * Asks the site's spam checker about a comment. Never throws and never waits longer
 * than `config.spamCheckTimeoutMs` for the service: a failing or slow service, or
 * one the site has not configured, answers `unknown` and a warning is logged (with
 * the site and the reason only: no address, key or text).
 *
 * The site's key is read (and unsealed) here, so the hot path never loads it.
 *
 * @example
 * const verdict = await checkForSpam(deps, site, submission) // 'spam' | 'ham' | 'unknown'
 */
export async function checkForSpam(
  deps: AppDeps,
  site: SpamCheckSite,
  submission: SpamSubmission,
): Promise<SpamVerdict> {
  if (site.spam_checker === 'off') return 'unknown';
  let outcome: SpamCheckOutcome;
  try {
    const service = await SERVICES[site.spam_checker](deps, site);
    outcome = service
      ? await service.check(submission, AbortSignal.timeout(deps.config.spamCheckTimeoutMs))
      : { verdict: 'unknown', problem: 'not_configured' };
  } catch (error) {
    // The service files turn their own failures into outcomes; this catches the rest
    // (the database, a key that no longer opens). Only the error's name is kept: a
    // message could carry an address or the key.
    outcome = { verdict: 'unknown', problem: 'failed', detail: errorName(error) };
  }
  if (outcome.verdict !== 'unknown') return outcome.verdict;
  const { problem, status, detail } = outcome;
  deps.logger.warn(
    { siteId: site.id, spamChecker: site.spam_checker, problem, status, detail },
    'The spam check gave no answer; the comment waits for a moderator.',
  );
  return 'unknown';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
