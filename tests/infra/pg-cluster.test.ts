import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachCluster, type PgCluster, startCluster } from '../../scripts/pg-cluster.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/pg-cluster.mjs');

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('a throwaway cluster from scripts/pg-cluster.mjs', () => {
  let cluster: PgCluster;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('serves PostgreSQL 15 or newer at its URL', async () => {
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
    const { rows } = await query(cluster.url, 'select version() as version');
    const major = Number(/^PostgreSQL (\d+)/.exec(rows[0].version)?.[1]);
    expect(major).toBeGreaterThanOrEqual(15);
  });

  it('refuses connections while stopped and comes back with the same data on start', async () => {
    await query(cluster.url, 'create table survives (n int); insert into survives values (42)');

    await cluster.stop();
    await cluster.stop(); // a second stop is harmless
    expect(await cluster.isRunning()).toBe(false);
    await expect(query(cluster.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);

    await cluster.start();
    const { rows } = await query(cluster.url, 'select n from survives');
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('comes back after an immediate (crash-like) stop', async () => {
    await cluster.stop({ mode: 'immediate' });
    await expect(query(cluster.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await cluster.start();
    const { rows } = await query(cluster.url, 'select 1 as one');
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('creates a database, also from a template', async () => {
    const first = await cluster.createDatabase('infra_first');
    await query(first, 'create table t (x text); insert into t values ($$copied$$)');
    const copy = await cluster.createDatabase('infra_copy', { template: 'infra_first' });
    expect(copy).toBe(cluster.urlFor('infra_copy'));
    expect((await query(copy, 'select x from t')).rows).toEqual([{ x: 'copied' }]);
    await cluster.dropDatabase('infra_copy');
    await expect(query(copy, 'select 1')).rejects.toThrow(/does not exist/);
  });

  it('is controlled by its folder, from attachCluster and from the CLI', async () => {
    const attached = attachCluster({ dir: cluster.dir });
    expect(attached.url).toBe(cluster.url);

    const stop = spawnSync(process.execPath, [cli, 'ctl', 'stop', cluster.dir], { encoding: 'utf8' });
    expect(stop.status, stop.stderr).toBe(0);
    expect(await attached.isRunning()).toBe(false);
    const status = spawnSync(process.execPath, [cli, 'ctl', 'status', cluster.dir], { encoding: 'utf8' });
    expect(status.status).toBe(3);
    expect(status.stdout).toMatch(/^stopped /);

    await attached.start();
    expect((await query(cluster.url, 'select 2 as two')).rows).toEqual([{ two: 2 }]);
  });
});

describe('PgCluster.destroy()', () => {
  it('stops the server and removes its folder, and may be called twice', async () => {
    const cluster = await startCluster();
    expect(existsSync(path.join(cluster.dir, 'data', 'PG_VERSION'))).toBe(true);
    await query(cluster.url, 'select 1');

    await cluster.destroy();
    await cluster.destroy();
    expect(existsSync(cluster.dir)).toBe(false);
    await expect(query(cluster.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await expect(cluster.start()).rejects.toThrow(/destroyed/);
  });
});
