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
 * word lists show only when set; the link rule only when it is not the default.
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
