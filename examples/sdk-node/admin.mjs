// Prints a site's comment counts and its pending comments through the admin client of
// @hiwar/sdk, then approves the ones given on the command line. See README.md.
import { createAdminClient, isHiwarError } from '@hiwar/sdk';

const baseUrl = process.env.HIWAR_URL ?? 'http://localhost:8080';
const site = process.env.HIWAR_SITE ?? 'demo';
const token = process.env.HIWAR_TOKEN;
if (!token) {
  console.error('Set HIWAR_TOKEN to an API token (dashboard → Tokens).');
  process.exit(2);
}

const admin = createAdminClient({ baseUrl, token });
const signal = AbortSignal.timeout(60_000);

try {
  const { counts } = await admin.commentCounts({ site }, { signal });
  console.log(`${site}: ${counts.pending} pending, ${counts.approved} approved, ${counts.spam} spam`);
  for await (const comment of admin.queue({ site, status: 'pending', limit: 100 }, { signal })) {
    console.log(
      `  ${comment.id}  ${comment.author.name} <${comment.author.email ?? '-'}>: ${comment.markdown.slice(0, 60)}`,
    );
  }
  const ids = process.argv.slice(2);
  if (ids.length > 0) {
    const { comments, skipped } = await admin.moderate({ action: 'approve', ids }, { signal });
    console.log(`approved ${comments.length}; skipped ${skipped.join(', ') || 'none'}`);
  }
} catch (error) {
  if (!isHiwarError(error)) throw error;
  console.error(`Hiwar answered ${error.code} (${error.status}): ${error.message}`);
  process.exitCode = 1;
}
