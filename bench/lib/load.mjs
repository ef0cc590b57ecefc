/**
 * Load generators, loopback only. GETs go through autocannon; its own latency
 * histogram counts whole milliseconds, so latencies are taken from its
 * `response` events (float ms) and the percentiles computed here. POSTs go
 * through undici, one connection per source address (127.0.0.2, 127.0.0.3, …),
 * so the server sees distinct clients as it would in production; or, where each
 * request must come from an address of its own (flood limits), one fresh
 * connection per request.
 */
import autocannon from 'autocannon';
import { Client, Pool } from 'undici';

/** Growable float array of latencies in milliseconds. */
class Samples {
  #values = new Float64Array(1 << 16);
  length = 0;
  push(value) {
    if (this.length === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.length++] = value;
  }
  percentiles(...ps) {
    const sorted = this.#values.slice(0, this.length).sort();
    return ps.map((p) =>
      sorted.length === 0
        ? null
        : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)],
    );
  }
}

const round = (value, digits) => (value === null ? null : Number(value.toFixed(digits)));

function summarize({ completed, seconds, samples, statuses, errors, bytes }) {
  const [p50, p99] = samples.percentiles(50, 99);
  const non2xx = Object.entries(statuses)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    requests: completed,
    seconds: round(seconds, 2),
    rps: round(completed / seconds, 0),
    p50: round(p50, 2),
    p99: round(p99, 2),
    statuses,
    non2xx,
    errors,
    avgBytes: completed > 0 ? Math.round(bytes / completed) : 0,
  };
}

/** Refuses any target outside 127.0.0.0/8: the bench sends nothing off this machine. */
export function assertLoopback(url) {
  const { hostname } = new URL(url);
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname))
    throw new Error(`refusing to send load to ${url}: loopback only`);
}

/**
 * GET `url` with `connections` keep-alive connections for `seconds`.
 * Resolves with requests/s, p50/p99 in ms, status counts, errors.
 *
 * With `makePath`, each request asks for the path it returns (called once per
 * request, on `url`'s host), through autocannon's `setupRequest`: the request is
 * then rebuilt every time, which costs the client a little CPU.
 */
export function getLoad({ url, connections, seconds, headers = {}, makePath }) {
  assertLoopback(url);
  // Only when asked for: an explicit `requests: undefined` would override autocannon's default.
  const varied = makePath
    ? { requests: [{ setupRequest: (request) => ({ ...request, path: makePath() }) }] }
    : {};
  return new Promise((resolve, reject) => {
    const samples = new Samples();
    const statuses = {};
    let bytes = 0;
    const started = performance.now();
    const instance = autocannon(
      { url, connections, duration: seconds, headers, timeout: 10, ...varied },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        resolve(
          summarize({
            completed: samples.length,
            seconds: Math.max(elapsed, result.duration),
            samples,
            statuses,
            errors: result.errors + result.timeouts,
            bytes,
          }),
        );
      },
    );
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      samples.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      bytes += resBytes;
    });
  });
}

/**
 * POSTs from `addresses.length` connections, one per loopback source address,
 * each request made by `makeBody(connectionIndex, sequence)`, for `seconds`.
 */
export async function postLoad({ origin, path, addresses, seconds, headers = {}, makeBody }) {
  assertLoopback(origin);
  const samples = new Samples();
  const statuses = {};
  const failures = [];
  let errors = 0;
  let bytes = 0;
  const pools = addresses.map(
    (localAddress) =>
      new Pool(origin, {
        connections: 1,
        pipelining: 1,
        // undici's own option: `connect: { localAddress }` is overridden by it (unset,
        // the kernel picks 127.0.0.1 for every connection).
        localAddress,
        bodyTimeout: 10_000,
        headersTimeout: 10_000,
      }),
  );
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      pools.map(async (pool, index) => {
        for (let sequence = 0; performance.now() < deadline; sequence++) {
          const sent = performance.now();
          try {
            const response = await pool.request({
              path,
              method: 'POST',
              headers,
              body: JSON.stringify(makeBody(index, sequence)),
            });
            const text = await response.body.text();
            samples.push(performance.now() - sent);
            statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
            bytes += text.length;
            if (response.statusCode !== 201 && failures.length < 5)
              failures.push(`${response.statusCode} ${text.slice(0, 300)}`);
          } catch (error) {
            errors++;
            if (failures.length < 5) failures.push(String(error?.message ?? error));
            if (errors > 1000)
              throw new Error(`POST load: too many errors, last: ${error?.message ?? error}`);
          }
        }
      }),
    );
  } finally {
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    ...summarize({ completed: samples.length, seconds: elapsed, samples, statuses, errors, bytes }),
    created: statuses[201] ?? 0,
    failures,
  };
}

/** Adds up the figures of one measurement made of several load segments. */
export function createMeter() {
  return {
    samples: new Samples(),
    statuses: {},
    failures: [],
    errors: 0,
    bytes: 0,
    seconds: 0,
    exhausted: false,
  };
}

/** A meter's figures in the shape of the other load results. */
export function meterSummary(meter) {
  const { samples, statuses, errors, bytes, seconds } = meter;
  return {
    ...summarize({ completed: samples.length, seconds, samples, statuses, errors, bytes }),
    created: statuses[201] ?? 0,
    failures: meter.failures,
    exhausted: meter.exhausted,
  };
}

/**
 * POSTs from `workers` concurrent loops, each request on a fresh connection from the
 * source address `makeRequest(sequence)` names (Linux routes all of 127/8 to lo), with
 * its body; closed after the answer. Stops after `seconds`, or earlier when
 * `makeRequest` returns null (it ran out of something, form tokens say). Adds its
 * figures to `meter` and resolves with it.
 */
export async function postLoadFresh({
  origin,
  path,
  workers,
  seconds,
  headers = {},
  makeRequest,
  meter = createMeter(),
}) {
  assertLoopback(origin);
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const next = makeRequest(sequence++);
        if (next === null) {
          meter.exhausted = true;
          return;
        }
        const client = new Client(origin, {
          pipelining: 1,
          localAddress: next.localAddress,
          bodyTimeout: 10_000,
          headersTimeout: 10_000,
        });
        const sent = performance.now();
        try {
          const response = await client.request({
            path,
            method: 'POST',
            headers,
            body: JSON.stringify(next.body),
          });
          const text = await response.body.text();
          meter.samples.push(performance.now() - sent);
          meter.statuses[response.statusCode] = (meter.statuses[response.statusCode] ?? 0) + 1;
          meter.bytes += text.length;
          if (response.statusCode !== 201 && meter.failures.length < 5)
            meter.failures.push(`${response.statusCode} ${text.slice(0, 300)}`);
        } catch (error) {
          meter.errors++;
          if (meter.failures.length < 5) meter.failures.push(String(error?.message ?? error));
          if (meter.errors > 1000)
            throw new Error(`POST load: too many errors, last: ${error?.message ?? error}`);
        } finally {
          await client.close();
        }
      }
    }),
  );
  meter.seconds += (performance.now() - started) / 1000;
  return meter;
}
