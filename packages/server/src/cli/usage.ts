/** A command line the CLI cannot run: it prints the problems and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    readonly problems: string[],
    /** The usage line of the command concerned. */
    readonly usage: string = USAGE.main,
  ) {
    super(problems.join('\n'));
  }
}

export const USAGE = {
  main: 'pnpm hiwar <command> [options]',
  serve: 'pnpm hiwar serve',
  migrate: 'pnpm hiwar migrate',
  siteAdd:
    'pnpm hiwar site add <id> --origin <url>… [--moderation none|first-time|all] [--edit-window <minutes>] [--depth <n>] [--lang ar|en] [--auto-close-days <n>] [--hold-words <w,…>] [--reject-words <w,…>] [--hold-links <n>] [--flood-seconds <n>] [--thread-hourly-limit <n>] [--site-hourly-limit <n>] [--challenge off|hold|require] [--min-fill-seconds <n>] [--proof-of-work off|flood|always] [--pow-difficulty <bits>] [--pow-flood-threshold <n>] [--spam-checker off|akismet] [--akismet-key <key>] [--spam-check-email yes|no] [--json]',
  siteUpdate:
    'pnpm hiwar site update <id> [--origin <url>…] [--add-origin <url>…] [--remove-origin <url>…] [--moderation …] [--edit-window …] [--depth …] [--lang …] [--auto-close-days …] [--hold-words …] [--reject-words …] [--hold-links …] [--flood-seconds …] [--thread-hourly-limit …] [--site-hourly-limit …] [--challenge …] [--min-fill-seconds …] [--proof-of-work …] [--pow-difficulty …] [--pow-flood-threshold …] [--spam-checker …] [--akismet-key …] [--spam-check-email …] [--json]',
  siteList: 'pnpm hiwar site list [--json]',
  adminCreate: 'pnpm hiwar admin create <username> [--role owner|moderator] [--site <id>…] [--json]',
  adminList: 'pnpm hiwar admin list [--json]',
  adminPassword: 'pnpm hiwar admin password <username>',
} as const;

/** What `hiwar help` prints: the commands that exist today. */
export const HELP = `Hiwar, a self-hosted comments server.

Usage: ${USAGE.main}

Commands:
  serve                 Start the server (what \`pnpm start\` runs after building).
  migrate               Apply the pending database migrations and list them.
  site add <id>         Add a site. <id> is a slug you pick: a-z, 0-9, "-" and "_",
                        up to 64 characters, e.g. news. Needs at least one --origin.
  site update <id>      Change a site's settings: each option given replaces that setting.
  site list             List the sites as a table (--json for scripts).
  admin create <user>   Create a dashboard account. The password is asked twice without
                        echo, or read from the first line of stdin when it is not a
                        terminal (printf '%s\\n' "$PW" | pnpm hiwar admin create huda).
                        The first account is always an owner; later ones are moderators
                        unless --role owner. Options: --role owner|moderator,
                        --site <id> (a site a moderator moderates; may repeat), --json.
  admin list            List the accounts as a table (--json for scripts).
  admin password <user> Set a new password (asked or read as above) and end the user's
                        sessions: for an owner locked out of the dashboard.
  help                  Show this help.

Site options (site add, site update):
  --origin <url>        An origin the site's pages live on and its widget may call from:
                        https://news.example, http://localhost:* (any port),
                        https://*.news.example (any subdomain). Repeat it for several;
                        on update it replaces the whole list.
  --add-origin <url>    (update) Add an origin to the list; may repeat.
  --remove-origin <url> (update) Remove an origin from the list; may repeat.
  --moderation <policy> none: publish at once; first-time: hold an author until one of
                        their comments is approved (default); all: hold every comment.
  --edit-window <min>   Minutes an author may edit or delete a comment, 0 to 10080 (default 15).
  --depth <n>           Reply nesting levels, 1 to 20 (default 5).
  --lang <ar|en>        The widget's language when the page names none (default ar).
  --auto-close-days <n> Close a page's comments n days after its thread began, 0 to 36500;
                        0 never closes (default).
  --hold-words <w,…>    Comments containing one of these words (in the text, name, email,
                        website or IP) wait for moderation. A comma list, or repeat
                        --hold-word <w>; on update it replaces the list (--hold-words= empties it).
  --reject-words <w,…>  Comments containing one of these words go to spam; their author sees
                        them as pending. Same forms as --hold-words (--reject-word <w>).
  --hold-links <n>      Comments with n links or more (in the text and the name) wait for
                        moderation, 0 to 1000; 0 turns the rule off (default 2).
  --flood-seconds <n>   One comment per n seconds from a network (IPv6 by /64) and from an
                        author's email, 0 to 86400; 0 turns the limit off (default 15).
  --thread-hourly-limit <n>
                        Comments an hour on one page, from everyone, 0 to 1000000; 0 is no
                        ceiling (default). Over it, comments get 429 rate_limited.
  --site-hourly-limit <n>
                        Comments an hour on the whole site, 0 to 1000000; 0 is no ceiling (default).
  --challenge <mode>    A comment without a valid form token from the widget (or with its
                        hidden trap field filled): off lets it in; hold holds it for
                        moderation (default); require refuses it (403 challenge_required).
  --min-fill-seconds <n>
                        Hold a comment sent sooner than n seconds after its form token was
                        issued, 0 to 3600; 0 turns the check off (default 3).
  --proof-of-work <when>
                        When browsers solve a puzzle before posting: off, flood (while the site
                        is flooded; default) or always.
  --pow-difficulty <bits>
                        The puzzle's leading zero bits, 1 to 32; each one more doubles the work
                        (default 16: about 1/20 s in a desktop browser).
  --pow-flood-threshold <n>
                        Comments on the site in 10 minutes from which it counts as flooded,
                        1 to 1000000 (default 60).
  --spam-checker <name> off (default) or akismet: each new comment's text, name, website, IP
                        address, user agent and page address are sent to Akismet
                        (HIWAR_AKISMET_URL) and the comment waits for its answer.
  --akismet-key <key>   The site's Akismet API key, stored encrypted and never printed;
                        --akismet-key= (empty) removes it.
  --spam-check-email <yes|no>
                        Also send the commenter's email address to the spam checker (default no).
  --json                Print the result as JSON.

Every command works on the database the settings name (DATABASE_URL, else the
embedded one in HIWAR_DATA_DIR, default ./data; see docs/configuration.md) and
creates and migrates it first if it is empty. The embedded database can be used
by one process at a time: stop the server before running a command on it.

Exit codes: 0 done, 1 failed (the message says why), 2 wrong command line or settings.
`;
