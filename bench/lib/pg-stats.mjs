/**
 * Where PostgreSQL spends its time during the runs: pg_stat_statements, loaded
 * into the throwaway cluster, with Hiwar and the reference connected as two
 * roles so that their statements can be told apart.
 */
import pg from 'pg';

export const REFERENCE_ROLE = 'bench_reference';

export async function withClient(url, task) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/** Empties pg_stat_statements, so that what it holds next belongs to the runs. */
export async function resetStatements(url) {
  if (url) await withClient(url, (client) => client.query('select pg_stat_statements_reset()'));
}

/**
 * The statements that took the most database time since the reset, per role:
 * Hiwar connects as `postgres`, the reference as `bench_reference`.
 */
export async function topStatements(url) {
  if (!url) return {};
  const { rows } = await withClient(url, (client) =>
    client.query(`
      select r.rolname, s.query, s.calls, s.total_exec_time, s.mean_exec_time, s.rows
      from pg_stat_statements s join pg_roles r on r.oid = s.userid
      where s.dbid = (select oid from pg_database where datname = current_database())
        and s.query not like '%pg_stat_statements%'
      order by s.total_exec_time desc`),
  );
  const byRole = (role) =>
    rows
      .filter((row) => row.rolname === role)
      .slice(0, 10)
      .map((row) => ({
        query: row.query.replace(/\s+/g, ' ').trim().slice(0, 180),
        calls: Number(row.calls),
        meanMs: Number(row.mean_exec_time.toFixed(3)),
        totalS: Number((row.total_exec_time / 1000).toFixed(2)),
        rowsPerCall: Number((Number(row.rows) / Math.max(1, Number(row.calls))).toFixed(1)),
      }));
  return { hiwar: byRole('postgres'), reference: byRole(REFERENCE_ROLE) };
}

/**
 * Loads pg_stat_statements (a restart of the cluster) and creates it in the
 * database; resolves with false, and a reason, where the cluster has no such module.
 */
export async function enableStatements(cluster, databaseUrl) {
  try {
    await cluster.psql("alter system set shared_preload_libraries = 'pg_stat_statements'");
    await cluster.stop();
    await cluster.start();
    await withClient(databaseUrl, (client) =>
      client.query('create extension if not exists pg_stat_statements'),
    );
    return { enabled: true };
  } catch (error) {
    return { enabled: false, reason: String(error.message).split('\n')[0] };
  }
}

/** A login role for the reference server, allowed to read the tables; resolves with its URL. */
export async function createReferenceRole(databaseUrl) {
  await withClient(databaseUrl, (client) =>
    client.query(
      `create role ${REFERENCE_ROLE} login; grant select on all tables in schema public to ${REFERENCE_ROLE}`,
    ),
  );
  const url = new URL(databaseUrl);
  url.username = REFERENCE_ROLE;
  return url.toString();
}
