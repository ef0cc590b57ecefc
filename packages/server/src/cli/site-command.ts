import type { Config } from '../config.js';
import { createSite, listSites, updateSite } from '../sites/sites.service.js';
import { withDatabase } from './database.js';
import { parseFlags, parseSiteCommand } from './site-flags.js';
import { formatSite, formatSiteTable, siteJson } from './site-output.js';
import { USAGE, UsageError } from './usage.js';

interface Output {
  stdout: { write(text: string): unknown };
}

/**
 * `hiwar site add|update|list …`. Every flag is checked before the database
 * is opened, so a typo costs nothing.
 *
 * @example
 * await siteCommand(['list', '--json'], () => loadConfig(process.env), { stdout: process.stdout })
 */
export async function siteCommand(
  args: string[],
  settings: () => Readonly<Config>,
  io: Output,
): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { id, changes, json } = parseSiteCommand('add', rest);
      const config = settings();
      const site = await withDatabase(config, ({ db, keys }) =>
        createSite(db, { id, ...changes }, undefined, null, keys),
      );
      io.stdout.write(json ? `${JSON.stringify(siteJson(site), null, 2)}\n` : formatSite(site, 'Added'));
      return 0;
    }
    case 'update': {
      const { id, changes, json } = parseSiteCommand('update', rest);
      const config = settings();
      const site = await withDatabase(config, ({ db, keys }) =>
        updateSite(db, id, changes, undefined, null, keys),
      );
      io.stdout.write(json ? `${JSON.stringify(siteJson(site), null, 2)}\n` : formatSite(site, 'Updated'));
      return 0;
    }
    case 'list': {
      const { values, positionals, problems } = parseFlags(rest, { json: { type: 'boolean' } }, 'site list');
      for (const arg of positionals) problems.push(`Unexpected argument "${arg}".`);
      if (problems.length > 0) throw new UsageError(problems, USAGE.siteList);
      const sites = await withDatabase(settings(), ({ db }) => listSites(db));
      io.stdout.write(
        values.json ? `${JSON.stringify({ sites: sites.map(siteJson) }, null, 2)}\n` : formatSiteTable(sites),
      );
      return 0;
    }
    default: {
      const problem = sub === undefined ? 'site needs a sub-command.' : `site has no sub-command "${sub}".`;
      throw new UsageError(
        [`${problem} Use site add, site update or site list.`],
        'pnpm hiwar site add|update|list …',
      );
    }
  }
}
