/**
 * The targets of issue 2 ("Performance: a benchmark with targets"), checked
 * against a run's figures, and the Markdown report. Targets are reported, not
 * asserted: a missed one is a FAIL row, never a non-zero exit.
 */

const pct = (ratio) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(0)} %`);
const ratioOf = (a, b) => (a == null || b == null || b === 0 ? null : a / b);

function target(name, measured, goal, pass) {
  return { target: name, measured, goal, result: pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL' };
}

/** One row per target; `result` is PASS, FAIL, n/a (a figure is missing) or info (no target). */
export function evaluateTargets({ reference, postgres, pglite }) {
  const rows = [];
  const ref = reference?.runs ?? {};
  const pg = postgres?.runs ?? {};
  for (const c of [1, 50]) {
    const hiwar = pg[`small@${c}`];
    const base = ref[`small@${c}`];
    const tput = ratioOf(hiwar?.rps, base?.rps);
    rows.push(
      target(
        `PostgreSQL: thread GET throughput at ${c} connection${c > 1 ? 's' : ''} vs reference`,
        tput === null ? 'n/a' : `${hiwar.rps} / ${base.rps} req/s = ${pct(tput)}`,
        '≥ 70 %',
        tput === null ? null : tput >= 0.7,
      ),
    );
    const p99 = ratioOf(hiwar?.p99, base?.p99);
    rows.push(
      target(
        `PostgreSQL: thread GET p99 at ${c} connection${c > 1 ? 's' : ''} vs reference`,
        p99 === null ? 'n/a' : `${hiwar.p99} / ${base.p99} ms = ${p99.toFixed(2)}×`,
        '≤ 1.5×',
        p99 === null ? null : p99 <= 1.5,
      ),
    );
  }
  for (const c of [1, 50]) {
    const hiwar = pg[`small@${c}`]?.serverCpuMsPerRequest;
    const base = ref[`small@${c}`]?.serverCpuMsPerRequest;
    const r = ratioOf(hiwar, base);
    rows.push({
      target: `PostgreSQL: server CPU per thread GET at ${c} conn. vs reference (little disturbed by other load)`,
      measured: r === null ? 'n/a' : `${hiwar} / ${base} ms = ${r.toFixed(2)}×`,
      goal: '≤ 1.43× leaves ≥ 70 % when CPU-bound',
      result: 'info',
    });
  }
  for (const [label, db] of [
    ['PostgreSQL', postgres],
    ['PGlite', pglite],
  ]) {
    for (const c of [1, 50]) {
      const big = db?.runs?.[`big@${c}`];
      const small = db?.runs?.[`small@${c}`];
      const r = ratioOf(big?.rps, small?.rps);
      const row = target(
        `${label}: 100 000-comment thread's first page vs 200-comment one, ${c} conn.`,
        r === null ? 'n/a' : `${big.rps} / ${small.rps} req/s = ${pct(r)}`,
        'within 10 % (≥ 90 %)',
        r === null ? null : r >= 0.9,
      );
      if (label === 'PGlite' && row.result !== 'n/a') row.result = `info (${row.result.toLowerCase()})`;
      rows.push(row);
    }
  }
  const counts = pg['counts@10'];
  rows.push(
    target(
      'PostgreSQL: counts for 20 pages, 10 connections',
      counts ? `${counts.rps} req/s` : 'n/a',
      '≥ 3 000 req/s',
      counts ? counts.rps >= 3000 : null,
    ),
  );
  for (const [label, db] of [
    ['PostgreSQL', postgres],
    ['PGlite', pglite],
  ]) {
    const varied = db?.runs?.['countsVaried@10'];
    const same = db?.runs?.['counts@10'];
    const r = ratioOf(varied?.rps, same?.rps);
    rows.push({
      target: `${label}: counts, 20 pages drawn from 2 000, each request a new set, 10 connections (no target)`,
      measured: varied
        ? `${varied.rps} req/s${r === null ? '' : ` (${pct(r)} of the same 20 pages every time: ${same.rps})`}; server CPU ${varied.serverCpuMsPerRequest} ms/req`
        : 'n/a',
      goal: 'reported (what a cache of whole answers cannot help)',
      result: 'info',
    });
  }
  const post = pg['post@10'];
  const created = post ? Math.round(post.created / post.seconds) : null;
  rows.push(
    target(
      'PostgreSQL: POST /api/v1/comments, 10 connections from 10 addresses',
      post
        ? `${created} created/s (${post.created} × 201, ${post.requests - post.created + post.errors} other)`
        : 'n/a',
      '≥ 1 000 req/s, all 201',
      post ? created >= 1000 && post.requests === post.created && post.errors === 0 : null,
    ),
  );
  const basePost = ref['post@10'];
  const baseCreated = basePost ? Math.round(basePost.created / basePost.seconds) : null;
  const postRatio = ratioOf(created, baseCreated);
  rows.push({
    target: 'PostgreSQL: POST vs the bare reference (created/s)',
    measured:
      postRatio === null
        ? 'n/a'
        : `${created} / ${baseCreated} created/s = ${pct(postRatio)}; server CPU ${post.serverCpuMsPerRequest} / ${basePost.serverCpuMsPerRequest} ms/req` +
          `${basePost.requests === basePost.created && basePost.errors === 0 ? '' : ` (reference: ${basePost.requests - basePost.created + basePost.errors} not 201)`}`,
    goal: 'reported (the reference writes the row and counts it, nothing else)',
    result: 'info',
  });
  const guarded = pg['postGuarded@10'];
  if (guarded) {
    const withRules = Math.round(guarded.created / guarded.seconds);
    const r = ratioOf(withRules, created);
    rows.push({
      target: 'PostgreSQL: POST with the abuse rules on vs without (created/s; no target)',
      measured: r === null ? 'n/a' : `${withRules} / ${created} created/s = ${pct(r)}`,
      goal: 'reported',
      result: 'info',
    });
  }
  const pgMem = postgres?.memory;
  rows.push(
    target(
      'PostgreSQL: server memory idle',
      pgMem?.idle ? `${pgMem.idle.rssMiB} MiB` : 'n/a',
      '≤ 80 MiB',
      pgMem?.idle ? pgMem.idle.rssMiB <= 80 : null,
    ),
  );
  rows.push(
    target(
      'PostgreSQL: server memory after the run',
      pgMem?.after ? `${pgMem.after.rssMiB} MiB (peak ${pgMem.after.peakMiB})` : 'n/a',
      '≤ 150 MiB',
      pgMem?.after ? pgMem.after.rssMiB <= 150 : null,
    ),
  );
  const liteMem = pglite?.memory;
  rows.push(
    target(
      'PGlite: server memory idle',
      liteMem?.idle ? `${liteMem.idle.rssMiB} MiB` : 'n/a',
      '≤ 200 MiB',
      liteMem?.idle ? liteMem.idle.rssMiB <= 200 : null,
    ),
  );
  rows.push({
    target: 'PGlite: server memory after the run',
    measured: liteMem?.after ? `${liteMem.after.rssMiB} MiB (peak ${liteMem.after.peakMiB})` : 'n/a',
    goal: 'reported',
    result: 'info',
  });
  return rows;
}

export const RUN_LABELS = {
  'small@1': ['thread first page (200 comments)', 1],
  'small@50': ['thread first page (200 comments)', 50],
  'big@1': ['thread first page (100 000 comments)', 1],
  'big@50': ['thread first page (100 000 comments)', 50],
  'bigNewest@50': ['100 000 thread, sort=newest (extra)', 50],
  'counts@10': ['counts, 20 pages', 10],
  'countsVaried@10': ['counts, 20 pages drawn from 2 000, each request a new set', 10],
  'post@10': ['POST comment (10 source addresses)', 10],
  'postFresh@10': ['POST, rules off, a fresh connection and address per request', 10],
  'postGuarded@10': ['POST, abuse rules on, a fresh connection and address per request', 10],
};

/**
 * What the abuse rules cost a POST on PostgreSQL: the line "POST with abuse rules:
 * n req/s (x % of without)" against the keep-alive POST run, then the like-for-like
 * comparison with the same fresh-connection load and the rules off. Empty when the
 * runs are missing.
 */
export function abuseRuleLines(results) {
  const runs = results.postgres?.runs ?? {};
  const without = runs['post@10'];
  const fresh = runs['postFresh@10'];
  const guarded = runs['postGuarded@10'];
  if (!guarded || !without) return [];
  // Comments created per second: a refused request is cheap and must not count as throughput.
  const rate = (run) => Math.round(run.created / run.seconds);
  const lines = [
    `POST with abuse rules: ${rate(guarded)} req/s (${pct(ratioOf(rate(guarded), rate(without)))} of without: ${rate(without)} req/s)`,
  ];
  if (fresh) {
    const cpu = ratioOf(guarded.serverCpuMsPerRequest, fresh.serverCpuMsPerRequest);
    lines.push(
      `Like for like (each request on a fresh connection from its own address, rules off): ${rate(fresh)} req/s, ` +
        `so the rules alone leave ${pct(ratioOf(rate(guarded), rate(fresh)))}; server CPU per request ` +
        `${guarded.serverCpuMsPerRequest} ms with the rules, ${fresh.serverCpuMsPerRequest} ms without` +
        `${cpu === null ? '' : ` (${cpu >= 1 ? '+' : ''}${((cpu - 1) * 100).toFixed(0)} %)`}, ` +
        `${without.serverCpuMsPerRequest} ms on kept-alive connections. p50 ${guarded.p50} / ${fresh.p50} ms, p99 ${guarded.p99} / ${fresh.p99} ms.`,
    );
  }
  const refused = guarded.requests - guarded.created + guarded.errors;
  if (refused > 0)
    lines.push(`With the rules, ${refused} requests were not answered 201: see the bench log.`);
  if (guarded.exhausted)
    lines.push('The form tokens ran out before the end of the run: it stopped early (the rate stands).');
  return lines;
}

const cell = (value) => (value === null || value === undefined ? '–' : String(value));

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(results) {
  const out = [];
  const { environment: env } = results;
  out.push(`# Hiwar bench, ${results.startedAt}`);
  out.push('');
  out.push(
    `${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB; Node ${env.node} (server flags: ${env.serverNodeArgs?.join(' ') || 'none'}); PostgreSQL ${env.postgres ?? '?'}; ` +
      `PGlite ${env.pglite ?? '?'}; load average before the start ${env.loadAverageAtStart?.[0] ?? '?'}. Each run ${results.settings.seconds} s after a ${results.settings.warmupSeconds} s warm-up (${results.settings.firstWarmupSeconds} s for a fresh server)` +
      `${results.settings.quick ? ' (BENCH_QUICK: a smoke check, figures are rough)' : ''}. Client, servers and database share the machine.`,
  );
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push(
    table(
      ['target', 'measured', 'goal', 'result'],
      results.targets.map((t) => [t.target, t.measured, t.goal, t.result]),
    ),
  );
  out.push('');
  out.push('## Runs');
  out.push('');
  const runRows = [];
  for (const [server, section] of [
    ['reference (Hono + Kysely + pg)', results.reference],
    ['Hiwar on PostgreSQL', results.postgres],
    ['Hiwar on PGlite', results.pglite],
  ]) {
    if (section?.error)
      runRows.push([server, `failed: ${section.error.split('\n')[0]}`, '', '', '', '', '', '', '', '']);
    for (const [key, run] of Object.entries(section?.runs ?? {})) {
      const [label, conns] = RUN_LABELS[key] ?? [key, ''];
      const other = key.startsWith('post') ? run.requests - run.created : run.non2xx;
      runRows.push([
        server,
        label,
        conns,
        run.rps,
        run.p50,
        run.p99,
        other,
        run.errors,
        run.avgBytes,
        run.serverCpuMsPerRequest,
      ]);
    }
  }
  out.push(
    table(
      [
        'server',
        'run',
        'conns',
        'req/s',
        'p50 ms',
        'p99 ms',
        'non-2xx (POST: non-201)',
        'errors',
        'bytes/resp',
        'server CPU ms/req',
      ],
      runRows,
    ),
  );
  out.push('');
  const abuse = abuseRuleLines(results);
  if (abuse.length > 0) {
    out.push('## POST with abuse rules (PostgreSQL)');
    out.push('');
    for (const line of abuse) out.push(line, '');
  }
  out.push('## Server memory (VmRSS, MiB)');
  out.push('');
  const memRows = [];
  for (const [server, section] of [
    ['reference', results.reference],
    ['Hiwar on PostgreSQL', results.postgres],
    ['Hiwar on PGlite', results.pglite],
  ]) {
    const m = section?.memory;
    if (m) memRows.push([server, m.idle?.rssMiB, m.after?.rssMiB, m.after?.peakMiB]);
  }
  out.push(table(['server', 'idle', 'after the runs', 'peak (VmHWM)'], memRows));
  for (const [who, statements] of [
    ['Hiwar', results.postgres?.statements],
    ['the reference', results.reference?.statements],
  ]) {
    if (!statements?.length) continue;
    out.push('');
    out.push(`## Database time of ${who} during its PostgreSQL runs (pg_stat_statements, top by total time)`);
    out.push('');
    out.push(
      table(
        ['statement', 'calls', 'mean ms', 'total s', 'rows/call'],
        statements.map((s) => [
          `\`${s.query.replaceAll('|', '\\|')}\``,
          s.calls,
          s.meanMs,
          s.totalS,
          s.rowsPerCall,
        ]),
      ),
    );
  }
  if (results.markdown?.rows) {
    out.push('');
    out.push('## Markdown rendering of pathological input (µs per input character; median of repeated runs)');
    out.push('');
    out.push(
      table(
        ['input', '1k', '8k', '64k', 'ms at 64k', 'µs/char 64k ÷ 8k'],
        results.markdown.rows.map((r) => [
          r.input,
          r.sizes[1000].usPerChar,
          r.sizes[8000].usPerChar,
          r.sizes[64000].usPerChar,
          r.sizes[64000].ms,
          r.growth8kTo64k,
        ]),
      ),
    );
    out.push('');
    out.push('µs/char that stays flat from 8k to 64k (ratio ≈ 1) is linear; a ratio near 8 is quadratic.');
  } else if (results.markdown?.error) {
    out.push('');
    out.push(`Markdown benchmark failed: ${results.markdown.error}`);
  }
  if (results.notes?.length) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const note of results.notes) out.push(`- ${note}`);
  }
  return `${out.join('\n')}\n`;
}
