// Posts a comment and a reply to a page through @hiwar/sdk, then prints the page's
// thread one page at a time. See README.md.
import { createClient, isHiwarError } from '@hiwar/sdk';

const baseUrl = process.env.HIWAR_URL ?? 'http://localhost:8080';
const site = process.env.HIWAR_SITE ?? 'demo';
// The demo article of the embedded server; the `demo` site allows http://localhost:*.
const pageUrl = 'http://localhost:8080/';

const client = createClient({ baseUrl, site });
// One deadline for the whole script; every call takes a signal.
const signal = AbortSignal.timeout(60_000);
const author = { name: 'سلمى من مثال الـSDK', email: 'salma@example.com' };

try {
  const { comment, editToken, editableUntil } = await client.comments.create(
    {
      url: pageUrl,
      title: 'Hiwar demo',
      body: 'مقال رائع، شكراً!\n\nA comment posted with **@hiwar/sdk**.',
      author,
    },
    { signal },
  );
  console.log(`posted comment ${comment.id} (${comment.status}); editable until ${editableUntil}`);
  if (comment.status === 'pending') {
    // Held for moderation: readers do not see it yet, its author does, with the edit token.
    const own = await client.comments.get(comment.id, { editToken, signal });
    console.log(`  held for moderation; its author still sees it: ${plain(own.html)}`);
  }

  const { comment: reply } = await client.comments.create(
    { url: pageUrl, parentId: comment.id, body: 'وأنا أوافقك الرأي.', author: { ...author, name: 'كريم' } },
    { signal },
  );
  console.log(`posted reply ${reply.id} to ${comment.id} (${reply.status})\n`);

  let number = 0;
  let shown = 0;
  for await (const page of client.threads.pages({ url: pageUrl, limit: 5 }, { signal })) {
    number++;
    console.log(
      `— page ${number} of ${page.thread.url ?? pageUrl}: ${page.thread.commentCount} approved comments in all`,
    );
    for (const top of page.comments) {
      shown++;
      console.log(line(top, '  '));
      for (const child of top.replies) console.log(line(child, '      ↳ '));
      if (top.repliesCursor) {
        // More replies than the first batch: fetch the rest.
        const rest = { url: pageUrl, parent: top.id, cursor: top.repliesCursor };
        for await (const more of client.threads.allReplies(rest, { signal })) {
          for (const child of more.comments) console.log(line(child, '      ↳ '));
        }
      }
    }
  }
  if (shown === 0)
    console.log('  (no approved comment yet: held comments appear once a moderator approves them)');
} catch (error) {
  if (!isHiwarError(error)) throw error;
  // A stable code to act on; `fields` says which input was refused and why.
  console.error(`Hiwar answered ${error.code} (HTTP ${error.status || 'none'}): ${error.message}`);
  if (error.fields) console.error(error.fields);
  if (error.status === 0) console.error(`Is the server running at ${baseUrl}? Start it with \`pnpm start\`.`);
  process.exitCode = 1;
}

function line(comment, indent) {
  const name = comment.author.moderator ? `${comment.author.name} (moderator)` : comment.author.name;
  return `${indent}[${comment.id}] ${name}, ${comment.createdAt}: ${plain(comment.html)}`;
}

/** The text of a comment's sanitized HTML, for a terminal. */
function plain(html) {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
