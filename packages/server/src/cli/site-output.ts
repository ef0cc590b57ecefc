import { ADMIN_LIMITS, type AdminSite, type Site } from '@hiwar/protocol';

/**
 * Sites as an aligned text table, one row per site.
 *
 * @example
 * formatSiteTable([demo])
 * // ID    MODERATION  EDIT WINDOW  DEPTH  LANG  ORIGINS
 * // demo  none        15 min       5      ar    http://localhost:*, http://127.0.0.1:*
 */
export function formatSiteTable(sites: Site[]): string {
  if (sites.length === 0) {
    return 'No sites yet. Add one with: pnpm hiwar site add <id> --origin https://your-site.example\n';
  }
  const header = ['ID', 'MODERATION', 'EDIT WINDOW', 'DEPTH', 'LANG', 'ORIGINS'];
  const rows = sites.map((site) => [
    site.id,
    site.moderation,
    `${site.editWindowMinutes} min`,
    String(site.maxDepth),
    site.lang,
    site.origins.join(', '),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** What `--json` prints: the admin API's `AdminSite` shape, every setting included. */
export function siteJson(site: AdminSite): AdminSite {
  return site;
}

/**
 * One site's settings, one per line, after an add or an update. Auto-close and the
 * word lists show only when set; the link rule and the abuse settings only when they
 * are not the default. The Akismet key itself is never printed, only whether one is set.
 *
 * @example
 * formatSite(site, 'Added')
 */
export function formatSite(site: AdminSite, verb: string): string {
  const extra = [
    site.autoCloseDays > 0 ? `  auto-close   after ${site.autoCloseDays} days` : null,
    site.holdWords.length > 0 ? `  hold words   ${site.holdWords.join(', ')}` : null,
    site.rejectWords.length > 0 ? `  reject words ${site.rejectWords.join(', ')}` : null,
    site.holdLinks !== ADMIN_LIMITS.holdLinks.default
      ? `  hold links   ${site.holdLinks === 0 ? 'off' : `${site.holdLinks} or more`}`
      : null,
    ...abuseLines(site),
  ].filter((line): line is string => line !== null);
  return [
    `${verb} site "${site.id}".`,
    `  origins      ${site.origins.join(', ')}`,
    `  moderation   ${site.moderation}`,
    `  edit window  ${site.editWindowMinutes} minutes`,
    `  reply depth  ${site.maxDepth}`,
    `  language     ${site.lang}`,
    ...extra,
    '',
  ].join('\n');
}

/** What `challenge` and `proofOfWork` are on a new site (the migration's column defaults). */
const DEFAULT_CHALLENGE = 'hold';
const DEFAULT_PROOF_OF_WORK = 'flood';

/** The issue-5 settings that differ from a new site's, in the summary's columns. */
function abuseLines(site: AdminSite): (string | null)[] {
  const { floodSeconds, minFillSeconds, powDifficulty, powFloodThreshold } = ADMIN_LIMITS;
  const puzzle =
    site.proofOfWork !== DEFAULT_PROOF_OF_WORK ||
    site.powDifficulty !== powDifficulty.default ||
    site.powFloodThreshold !== powFloodThreshold.default;
  const when =
    site.proofOfWork === 'always'
      ? 'always'
      : `when the site gets ${site.powFloodThreshold} comments in 10 minutes`;
  return [
    site.floodSeconds !== floodSeconds.default
      ? `  flood limit  ${site.floodSeconds === 0 ? 'off' : `one comment per ${seconds(site.floodSeconds)} per network and author`}`
      : null,
    site.threadHourlyLimit > 0 ? `  thread limit ${site.threadHourlyLimit} comments an hour` : null,
    site.siteHourlyLimit > 0 ? `  site limit   ${site.siteHourlyLimit} comments an hour` : null,
    site.challenge !== DEFAULT_CHALLENGE ? `  challenge    ${site.challenge}` : null,
    site.minFillSeconds !== minFillSeconds.default
      ? `  min fill     ${site.minFillSeconds === 0 ? 'off' : seconds(site.minFillSeconds)}`
      : null,
    puzzle
      ? `  puzzle       ${site.proofOfWork === 'off' ? 'off' : `${when}, ${site.powDifficulty} bits`}`
      : null,
    site.spamChecker !== 'off' || site.spamCheckEmail
      ? `  spam checker ${site.spamChecker}${site.spamCheckEmail ? ", sent the commenter's email" : ''}`
      : null,
    site.akismetKeySet
      ? '  akismet key  set'
      : site.spamChecker === 'akismet'
        ? '  akismet key  not set: every comment waits for moderation until one is given'
        : null,
  ];
}

function seconds(n: number): string {
  return n === 1 ? '1 second' : `${n} seconds`;
}
