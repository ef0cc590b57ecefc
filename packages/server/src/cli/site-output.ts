import type { Site } from '@hiwar/protocol';

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

/**
 * One site's settings, one per line, after an add or an update.
 *
 * @example
 * formatSite(site, 'Added')
 */
export function formatSite(site: Site, verb: string): string {
  return [
    `${verb} site "${site.id}".`,
    `  origins      ${site.origins.join(', ')}`,
    `  moderation   ${site.moderation}`,
    `  edit window  ${site.editWindowMinutes} minutes`,
    `  reply depth  ${site.maxDepth}`,
    `  language     ${site.lang}`,
    '',
  ].join('\n');
}
