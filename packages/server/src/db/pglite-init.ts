// Run as a child process by open-database.ts: creates a PGlite data folder, then exits,
// so that initdb's memory peak never lands in the long-lived server process.
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: pglite-init <folder>\n');
  process.exit(2);
}
const pglite = await PGlite.create(dir, { postgresqlconf: ['shared_buffers=16MB'] });
await pglite.close();
