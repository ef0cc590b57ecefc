/**
 * `pnpm bench:admin-ui` (or `node bench/admin-browser.mjs` after `pnpm build`): is the
 * moderation dashboard pleasant with 1 000 pending comments? Real headless Chromium
 * against the built server on a fresh embedded (PGlite) data folder.
 *
 * 1. `hiwar site add bench-ui --moderation all --hold-links 0` (and the flood limits off
 *    where the CLI has them) and `hiwar admin create`, then the server;
 * 2. 1 000 comments through the public API (varied Arabic text, 50 authors, 12 pages,
 *    each request from its own loopback address so no per-network limit applies), all
 *    held for moderation;
 * 3. in Chromium, at desktop (1280×900) and phone (390×844) sizes, in Arabic: log in,
 *    open the pending queue and measure the first render (a cold load, then four), all
 *    1 000 rows loaded by jumping to the end again and again (pages of 50 load as the
 *    end nears), scrolling back up a window per frame, coming back to the tab (times
 *    redrawn, newest page merged), `j` × 200 (each key to the frame after it), `a` on one
 *    row and `z`, select all 1 000 and clear, select all + approve on the first page and
 *    its undo; DOM nodes, listeners and JS heap (after a garbage collection) with 50 and
 *    with 1 000 rows; long tasks (PerformanceObserver) in each step; screenshots of the
 *    loaded queue in the temp folder (hiwar-admin-ui-shots; ADMIN_UI_SHOTS to choose).
 *
 * Wall-clock figures depend on what else the machine runs; each step also reports the
 * renderer main thread's CPU time (DevTools `Performance.getMetrics` in thread ticks),
 * the figure to compare between runs and versions.
 *
 * Prints a Markdown report and writes it, with every figure as JSON, to
 * `bench/results/admin-ui-<timestamp>.{md,json}`. Figures are reported, not asserted:
 * the exit code is non-zero only when something crashed. `ADMIN_UI_COMMENTS=n` changes
 * the number of comments (default 1000), `ADMIN_UI_SHOTS=dir` the screenshot folder,
 * `ADMIN_UI_VIEWPORTS=desktop` (or `phone`) measures one size only, and
 * `ADMIN_UI_SERVER_MAIN=path/to/dist/main.js` another build (with the dashboard at
 * `../../admin/dist` from it), to compare two versions of the dashboard.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// Another build of the server (and the dashboard it serves) can be measured, to compare.
const MAIN = path.resolve(
  process.env.ADMIN_UI_SERVER_MAIN ?? path.join(ROOT, 'packages/server/dist/main.js'),
);
const CLI = path.join(path.dirname(MAIN), 'cli.js');
const ADMIN_INDEX = path.join(path.dirname(MAIN), '../../admin/dist/index.html');
const RESULTS = path.join(ROOT, 'bench/results');
const SHOTS = process.env.ADMIN_UI_SHOTS ?? path.join(os.tmpdir(), 'hiwar-admin-ui-shots');
const TOTAL = Number(process.env.ADMIN_UI_COMMENTS ?? 1000);
const SITE = 'bench-ui';
const OWNER = { username: 'owner', password: 'كلمة مرور طويلة لمقياس اللوحة 2026' };
const VIEWPORTS = [
  { name: 'desktop', size: { width: 1280, height: 900 } },
  { name: 'phone', size: { width: 390, height: 844 }, phone: true },
];
const ONLY = (process.env.ADMIN_UI_VIEWPORTS ?? '').split(',').filter(Boolean);
/** What "pleasant" means here (RAIL's budgets): reported next to each figure, never asserted. */
const LIMITS = { longTaskMs: 200, keyMs: 100 };

// playwright-core is a dependency of the test package, not of the bench.
const { chromium } = createRequire(path.join(ROOT, 'tests/package.json'))('playwright-core');

const log = (line) => process.stderr.write(`[admin-ui] ${line}\n`);

// ---------------------------------------------------------------------------
// The server, as tests/browser/support/hiwar-process.ts starts it.

function serverEnv(dataDir, extra = {}) {
  const env = { ...process.env, HIWAR_DATA_DIR: dataDir, HIWAR_LOG_LEVEL: 'warn', ...extra };
  delete env.DATABASE_URL;
  delete env.HIWAR_SECRET;
  delete env.HIWAR_PUBLIC_URL;
  return env;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `hiwar <args>` on the embedded database in `dataDir`, `input` on stdin; rejects with its output. */
function runCli(dataDir, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: serverEnv(dataDir) });
    child.stdin.end(input);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`hiwar ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * Adds the site with the abuse limits that would refuse 1 000 comments in a minute
 * turned off, dropping those flags this server's CLI does not know yet.
 */
async function addSite(dataDir) {
  const base = ['site', 'add', SITE, '--origin', 'http://127.0.0.1:*', '--moderation', 'all'];
  let optional = [
    ['--hold-links', '0'],
    ['--flood-seconds', '0'],
    ['--thread-hourly-limit', '0'],
    ['--site-hourly-limit', '0'],
    ['--min-fill-seconds', '0'],
    ['--challenge', 'off'],
    ['--proof-of-work', 'off'],
  ];
  for (;;) {
    try {
      await runCli(dataDir, [...base, ...optional.flat()]);
      return optional.map(([flag]) => flag);
    } catch (error) {
      // "site add has no option --flood-seconds."
      const unknown = optional.filter(([flag]) => error.message.includes(`no option ${flag}`));
      if (unknown.length === 0) throw error;
      optional = optional.filter((pair) => !unknown.includes(pair));
    }
  }
}

async function startServer(dataDir, port) {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: serverEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const until = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`The Hiwar server exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`The Hiwar server was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    pid: child.pid,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------
// 1 000 held comments through the public API.

/** A small seeded generator, so every run posts the same comments. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['محمد', 'فاطمة', 'أحمد', 'مريم', 'يوسف', 'ليلى', 'عمر', 'سلمى', 'خالد', 'نور'];
const LAST = ['الخطيب', 'العلي', 'الحسن', 'المصري', 'بن سعيد'];
const AUTHORS = FIRST.flatMap((first, i) =>
  LAST.map((last, j) => {
    const n = i * LAST.length + j;
    return {
      name: `${first} ${last}`,
      email: `reader${String(n).padStart(2, '0')}@example.org`,
      website: n % 7 === 0 ? `https://blog${n}.example` : undefined,
    };
  }),
);
const TITLES = [
  'محادثات السلام في أفغانستان تدخل مرحلة جديدة',
  'ارتفاع أسعار الوقود للمرة الثالثة هذا العام',
  'المنتخب يتأهل إلى نهائي البطولة بعد مباراة مثيرة',
  'موجة حر تضرب المنطقة وتحذيرات من الأرصاد',
  'الحكومة تعلن خطة لإصلاح التعليم الثانوي',
  'افتتاح معرض الكتاب بمشاركة مئات الناشرين',
  'البنك المركزي يبقي أسعار الفائدة دون تغيير',
  'انتخابات البلدية: نسبة المشاركة الأعلى منذ عقد',
  'اكتشاف أثري جديد قرب البحر الميت',
  'شركات ناشئة عربية تجمع تمويلاً قياسياً',
  'أزمة المياه: مشاريع تحلية جديدة على الساحل',
  'مهرجان السينما يكرّم رواد الفن العربي',
];
const SENTENCES = [
  'شكراً على هذا التقرير المفصّل.',
  'أختلف مع الكاتب في النقطة الأخيرة، فالأرقام لا تدعم هذا الاستنتاج.',
  'متى سيصدر التقرير الكامل؟',
  'هذا ما كنا نحذّر منه منذ سنوات.',
  'أتمنى أن **تنجح** هذه الجهود هذه المرة.',
  'المقال يتجاهل رأي الشباب تماماً.',
  'هل من مصدر لهذه الأرقام؟',
  'الوضع في مدينتنا مختلف كلياً عمّا ذُكر.',
  'تغطية ممتازة كالعادة.',
  'أرجو تصحيح اسم الوزير في الفقرة الثالثة.',
  'الأسعار ارتفعت أكثر من ذلك بكثير في الأسواق الشعبية.',
  'لا أفهم لماذا تأخر القرار كل هذا الوقت.',
  'يجب أن يُسأل المسؤولون عن هذا التقصير.',
  'قرأت تحليلاً مختلفاً في [مصدر آخر](https://example.org/analysis).',
  'الحل يبدأ من التعليم، لا من الشعارات.',
  'عشت هذه التجربة بنفسي وأؤكد صحة ما جاء في المقال.',
  'أين دور البلديات في كل هذا؟',
  'مقال متوازن يستحق القراءة.',
  'هذه ليست المرة الأولى، ولن تكون الأخيرة للأسف.',
  'أقترح على المحررين متابعة الموضوع بتقرير ميداني.',
  'كلام جميل، لكن التنفيذ هو المهم.',
  'الصورة المرفقة لا علاقة لها بالخبر.',
  'أوافقك الرأي، فالمشكلة أعمق من ذلك.',
  'من يتحمل التكلفة في النهاية؟ المواطن طبعاً.',
  'أشكر الصحفية على جرأتها في طرح هذا الملف.',
  'هل هناك جدول زمني واضح للتنفيذ؟',
  'الأرقام الرسمية تقول غير ذلك.',
  'ننتظر منكم المزيد من هذه التقارير.',
  'في عام 2015 حدث الشيء نفسه تماماً.',
  'تعليق خارج الموضوع: الموقع أصبح أسرع بكثير، شكراً.',
];

/** The `i`-th comment's body: one to five sentences, now and then a quote or a long one. */
function body(rand) {
  const count = rand() < 0.08 ? 8 + Math.floor(rand() * 6) : 1 + Math.floor(rand() * 5);
  const parts = Array.from({ length: count }, () => SENTENCES[Math.floor(rand() * SENTENCES.length)]);
  if (rand() < 0.1) parts.unshift(`> ${SENTENCES[Math.floor(rand() * SENTENCES.length)]}\n\n`);
  if (count > 6) return `${parts.slice(0, 4).join(' ')}\n\n${parts.slice(4).join(' ')}`;
  return parts.join(' ');
}

/** POST /api/v1/comments from `localAddress` (a loopback address), as a server would (no Origin). */
function postComment(port, localAddress, payload) {
  const data = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/api/v1/comments',
        headers: { 'content-type': 'application/json', 'content-length': data.length },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text }));
      },
    );
    request.on('error', reject);
    request.end(data);
  });
}

async function seedComments(port) {
  const rand = random(2026);
  let next = 0;
  let held = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      // 127.0.1.2, 127.0.1.3, …: every comment from its own network.
      const localAddress = `127.0.${1 + Math.floor(i / 250)}.${2 + (i % 250)}`;
      const author = AUTHORS[i % AUTHORS.length];
      const page = Math.floor(rand() * TITLES.length);
      for (let attempt = 0; ; attempt++) {
        const res = await postComment(port, localAddress, {
          site: SITE,
          url: `http://127.0.0.1:8000/news/${page + 1}`,
          title: TITLES[page],
          body: body(rand),
          author,
        });
        if (res.status === 201) {
          if (JSON.parse(res.text).comment.status === 'pending') held++;
          break;
        }
        // A rule this run could not turn off: a duplicate gets another text, a limit its wait.
        if (attempt < 5 && res.status === 409) continue;
        if (attempt < 5 && res.status === 429) {
          const wait = Number(res.headers['retry-after'] ?? 1);
          log(`comment ${i}: 429, waiting ${wait} s`);
          await new Promise((resolve) => setTimeout(resolve, wait * 1000));
          continue;
        }
        throw new Error(`comment ${i}: ${res.status} ${res.text}`);
      }
      if ((i + 1) % 200 === 0) log(`posted ${i + 1} comments`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (held !== TOTAL) throw new Error(`${held} of ${TOTAL} comments were held; the queue needs all of them`);
  return { comments: TOTAL, held, seconds: round(seconds, 1) };
}

// ---------------------------------------------------------------------------
// In the page.

/**
 * Installed before the dashboard's script: long tasks, Event Timing entries for keys,
 * the moment the first queue row is in the document, and for each `j`/`k`/`a` key
 * the time from the key event to the frame after it (a requestAnimationFrame, then a
 * task: the frame that shows the change has been produced by then).
 */
function probe() {
  const bench = { longTasks: [], keyEvents: [], keys: [], firstRow: null, firstRowFrame: null };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    bench.longTasks = null;
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'keydown') {
          bench.keyEvents.push({
            start: e.startTime,
            duration: e.duration,
            handler: e.processingEnd - e.processingStart,
          });
        }
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {
    bench.keyEvents = null;
  }
  addEventListener(
    'keydown',
    (event) => {
      if (!['j', 'k', 'a', 'z'].includes(event.key)) return;
      const before = document.querySelector('.row.focused')?.id ?? null;
      const start = event.timeStamp;
      requestAnimationFrame(() => {
        const raf = performance.now();
        setTimeout(() => {
          bench.keys.push({
            key: event.key,
            toRaf: raf - start,
            toFrame: performance.now() - start,
            before,
            after: document.querySelector('.row.focused')?.id ?? null,
          });
        }, 0);
      });
    },
    true,
  );
  const observer = new MutationObserver(() => {
    if (bench.firstRow === null && document.querySelector('.rows > .row')) {
      bench.firstRow = performance.now();
      requestAnimationFrame(() => setTimeout(() => (bench.firstRowFrame = performance.now()), 0));
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * Scrolls to the end (as the End key does), waits until the rows stop arriving (the
 * next page loaded and drawn, or nothing more), and again, until `target` rows are
 * listed and nothing is left to load.
 */
async function scrollToEnd(target) {
  const rows = () => document.querySelectorAll('.rows > .row').length;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const scroller = document.scrollingElement;
  const start = performance.now();
  const pages = [];
  let count = rows();
  while (performance.now() - start < 180_000) {
    const since = performance.now();
    scroller.scrollTop = scroller.scrollHeight;
    // Until the count has grown and then held for 3 frames (or 5 s without a change).
    let still = 0;
    let last = count;
    while (performance.now() - since < 5_000) {
      await frame();
      const now = rows();
      still = now === last ? still + 1 : 0;
      last = now;
      if (now > count && still >= 3) break;
    }
    if (last > count) pages.push({ rows: last, ms: performance.now() - since });
    const done = last >= target && !document.querySelector('.more button');
    if (last === count && !done) break;
    count = last;
    if (done) break;
  }
  return { ms: performance.now() - start, start, end: performance.now(), rows: count, pages };
}

/**
 * Clicks `selector` and resolves with the time to the frame after `until` holds:
 * `{ selected: n }` rows selected, `{ rows: n }` rows listed at least, `{ toast: text }`.
 * (Conditions are data, not code: the dashboard's policy forbids eval in the page.)
 */
async function clickUntil([selector, until]) {
  const holds = () => {
    const rows = document.querySelectorAll('.rows > .row').length;
    const selected = document.querySelectorAll('.rows > .row.selected').length;
    const toasts = document.querySelector('.toasts')?.textContent ?? '';
    return (
      (until.selected === undefined || selected === (until.selected < 0 ? rows : until.selected)) &&
      (until.rows === undefined || rows >= until.rows) &&
      (until.toast === undefined || toasts.includes(until.toast))
    );
  };
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const start = performance.now();
  document.querySelector(selector).click();
  while (!holds()) {
    if (performance.now() - start > 30_000) throw new Error(`timed out after clicking ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const changed = performance.now();
  await frame();
  return { toChange: changed - start, toFrame: performance.now() - start, start, end: performance.now() };
}

/** Resolves once `n` keys have been measured (polling in the page: no eval under the page's policy). */
async function keysMeasured(n) {
  while (window.__bench.keys.length < n) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves once the queue lists `n` rows. */
async function rowsListed(n) {
  while (document.querySelectorAll('.rows > .row').length !== n) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// ---------------------------------------------------------------------------
// Chromium.

const round = (n, digits = 0) => (n == null ? null : Number(n.toFixed(digits)));

function summary(samples) {
  if (!samples.length) return { n: 0, median: null, p95: null, max: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    n: sorted.length,
    median: round(at(0.5), 1),
    p95: round(at(0.95), 1),
    max: round(sorted.at(-1), 1),
  };
}

/** DevTools' own counters: CPU time of the renderer's main thread and what it went on. */
async function counters(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(list.map(({ name, value }) => [name, value]));
  // With Performance.enable({ timeDomain: 'threadTicks' }) the durations are the main
  // thread's CPU time, which other work on a shared machine disturbs far less than
  // wall-clock time (it still slows caches and memory a little).
  return {
    cpuMs: m.ThreadTime * 1000,
    layoutMs: m.LayoutDuration * 1000,
    styleMs: m.RecalcStyleDuration * 1000,
    scriptMs: m.ScriptDuration * 1000,
    raw: m,
  };
}

/** The main thread's CPU between two `counters()`. */
const cpuBetween = (a, b) => ({
  cpuMs: round(b.cpuMs - a.cpuMs),
  layoutMs: round(b.layoutMs - a.layoutMs),
  styleMs: round(b.styleMs - a.styleMs),
  scriptMs: round(b.scriptMs - a.scriptMs),
});

/** DOM nodes, listeners and JS heap after a garbage collection. */
async function memory(cdp, page) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { raw: m } = await counters(cdp);
  const dom = await page.evaluate(() => ({
    elements: document.getElementsByTagName('*').length,
    rows: document.querySelectorAll('.rows > .row').length,
  }));
  return {
    rows: dom.rows,
    elements: dom.elements,
    nodes: m.Nodes,
    layoutObjects: m.LayoutObjects,
    listeners: m.JSEventListeners,
    heapUsedMB: round(m.JSHeapUsedSize / 2 ** 20, 1),
  };
}

/** The long tasks that started between `from` and `to` (page times). */
async function longTasks(page, from, to) {
  const all = await page.evaluate(() => window.__bench.longTasks);
  if (all === null) return { supported: false, count: null, maxMs: null, totalMs: null };
  const within = all.filter((t) => t.start >= from - 1 && t.start <= to);
  return {
    supported: true,
    count: within.length,
    maxMs: round(Math.max(0, ...within.map((t) => t.duration))),
    totalMs: round(within.reduce((sum, t) => sum + t.duration, 0)),
    over200: within.filter((t) => t.duration > LIMITS.longTaskMs).length,
  };
}

/**
 * Runs `act` and returns what it returned with the main thread's CPU time, the long
 * tasks (wall-clock) and the machine's load average around it.
 */
async function phase(cdp, page, act) {
  const before = await counters(cdp);
  const from = await pageNow(page);
  const value = await act();
  const to = await pageNow(page);
  const after = await counters(cdp);
  return {
    ...value,
    cpu: cpuBetween(before, after),
    longTasks: await longTasks(page, from, to),
    load: round(os.loadavg()[0], 1),
  };
}

const pageNow = (page) => page.evaluate(() => performance.now());
const waitRows = (page) => page.locator('.rows:not(.stale) > .row').first().waitFor({ timeout: 60_000 });

async function newContext(browser, viewport, session) {
  const options = viewport.phone
    ? { viewport: viewport.size, deviceScaleFactor: 3, isMobile: true, hasTouch: true }
    : { viewport: viewport.size };
  const context = await browser.newContext({ ...options, storageState: session, locale: 'ar' });
  context.setDefaultTimeout(60_000);
  await context.addInitScript(() => {
    localStorage.setItem('hiwar:admin:v1:lang', 'ar');
    localStorage.setItem('hiwar:admin:v1:theme', 'light');
    localStorage.setItem('hiwar:admin:v1:shortcuts', 'on');
  });
  await context.addInitScript(probe);
  return context;
}

/** Logs in through the form, once; the other contexts start with its cookies. */
async function logIn(browser, base) {
  const context = await newContext(browser, { size: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/admin/`);
  await page.getByLabel('اسم المستخدم', { exact: true }).fill(OWNER.username);
  await page.getByLabel('كلمة المرور', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'دخول', exact: true }).click();
  await page.locator('.topbar').waitFor();
  const session = await context.storageState();
  await context.close();
  return session;
}

/** The first queue render, from navigation: the first row in the document and the frame after it. */
async function firstRender(cdp, page, url) {
  await page.goto(url);
  await waitRows(page);
  await page.evaluate(async () => {
    while (window.__bench.firstRowFrame === null) await new Promise((resolve) => setTimeout(resolve, 5));
  });
  // DevTools' counters start again at each navigation: this is the new page's CPU so far.
  const cpu = await counters(cdp);
  const seen = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const api = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/admin/comments?'))
      .map((e) => e.responseEnd - e.startTime);
    // What the first row waited for: the page, its files and the API calls, in order.
    const timeline = [
      { what: 'document', start: 0, end: nav ? nav.responseEnd : null },
      ...performance
        .getEntriesByType('resource')
        .filter((e) => !e.name.includes('/avatars/'))
        .map((e) => ({ what: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd })),
      { what: 'DOMContentLoaded', start: nav ? nav.domContentLoadedEventEnd : null, end: null },
      { what: 'first row', start: window.__bench.firstRow, end: window.__bench.firstRowFrame },
    ].map((e) => ({ ...e, start: Math.round(e.start), end: e.end === null ? null : Math.round(e.end) }));
    return {
      timeline,
      firstRowMs: window.__bench.firstRow,
      firstRowFrameMs: window.__bench.firstRowFrame,
      fcpMs: paint ? paint.startTime : null,
      queueRequestMs: api[0] ?? null,
    };
  });
  return { ...seen, cpuMs: round(cpu.cpuMs) };
}

async function runViewport(browser, base, viewport, session) {
  const name = viewport.name;
  const context = await newContext(browser, viewport, session);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const result = { viewport: viewport.size, phone: Boolean(viewport.phone) };
  const queue = `${base}/admin/`;

  // First render: a cold load (nothing cached), then four more.
  const loads = [];
  for (let i = 0; i < 5; i++) loads.push(await firstRender(cdp, page, queue));
  const warm = loads.slice(1);
  result.firstRender = {
    cold: loads[0],
    warm: {
      firstRowFrameMs: summary(warm.map((l) => l.firstRowFrameMs)),
      queueRequestMs: summary(warm.map((l) => l.queueRequestMs)),
      cpuMs: summary(warm.map((l) => l.cpuMs)),
    },
  };
  log(`${name}: first row ${round(loads[0].firstRowFrameMs)} ms cold`);
  result.at50 = await memory(cdp, page);

  // Every row, by scrolling to the end until nothing is left to load.
  result.scroll = await phase(cdp, page, async () => {
    const scroll = await page.evaluate(scrollToEnd, TOTAL);
    return {
      ms: round(scroll.ms),
      rows: scroll.rows,
      pages: scroll.pages.length,
      perPageMs: summary(scroll.pages.map((p) => p.ms)),
    };
  });
  log(`${name}: ${result.scroll.rows} rows in ${result.scroll.ms} ms`);
  result.atAll = await memory(cdp, page);
  const more = Math.max(1, result.atAll.rows - result.at50.rows);
  result.perRow = {
    nodes: round((result.atAll.nodes - result.at50.nodes) / more, 1),
    heapKB: round(((result.atAll.heapUsedMB - result.at50.heapUsedMB) * 1024) / more, 1),
    scrollCpuMs: round(result.scroll.cpu.cpuMs / more, 2),
  };

  // Scrolling back up through the loaded list, a window's height per frame.
  result.scrollBack = await phase(cdp, page, async () => {
    const frames = await page.evaluate(async () => {
      const scroller = document.scrollingElement;
      const times = [];
      let last = performance.now();
      while (scroller.scrollTop > 0) {
        scroller.scrollTop -= innerHeight;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    });
    return { frames: frames.length, frameMs: summary(frames) };
  });

  // Coming back to the browser tab with every row listed: the relative times are
  // redrawn and the newest page fetched again and merged (what the 20 s poll does).
  result.refresh = await phase(cdp, page, async () => {
    const started = Date.now();
    await page.evaluate(async () => {
      const done = new Promise((resolve) => {
        const observer = new PerformanceObserver((list) => {
          if (list.getEntries().some((e) => e.name.includes('/api/v1/admin/comments?'))) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe({ type: 'resource' });
      });
      document.dispatchEvent(new Event('visibilitychange'));
      await done;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    });
    return { ms: Date.now() - started };
  });

  // Screenshots: the top of the loaded queue and its end.
  mkdirSync(SHOTS, { recursive: true });
  const shots = [path.join(SHOTS, `admin-ui-${name}-top.png`), path.join(SHOTS, `admin-ui-${name}-end.png`)];
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shots[0] });
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  await page.waitForTimeout(300);
  await page.screenshot({ path: shots[1] });
  await page.evaluate(() => window.scrollTo(0, 0));
  result.screenshots = shots;

  // j × 200 from the first row, with every row listed.
  await page.locator('h1').click();
  await page.evaluate(() => {
    window.__bench.keys = [];
    window.__bench.keyEvents = window.__bench.keyEvents && [];
  });
  result.keys = await phase(cdp, page, async () => {
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('j');
      await page.evaluate(keysMeasured, i + 1);
    }
    const { keys, keyEvents } = await page.evaluate(() => window.__bench);
    return {
      presses: keys.length,
      moved: keys.filter((k) => k.after !== k.before).length,
      toFrameMs: summary(keys.map((k) => k.toFrame)),
      over100: keys.filter((k) => k.toFrame > LIMITS.keyMs).length,
      eventTiming:
        keyEvents === null
          ? null
          : { over16: keyEvents.length, durationMs: summary(keyEvents.map((e) => e.duration)) },
      focusedIndex: await page.evaluate(() =>
        [...document.querySelectorAll('.rows > .row')].findIndex((r) => r.classList.contains('focused')),
      ),
    };
  });
  result.keys.cpuPerKeyMs = round(result.keys.cpu.cpuMs / 200, 2);
  log(`${name}: j × 200, median ${result.keys.toFrameMs.median} ms to the next frame`);

  // `a` on the focused row with every row listed (a request to the server), then `z`.
  result.oneRow = await phase(cdp, page, async () => {
    const count = await page.locator('.rows > .row').count();
    let started = Date.now();
    await page.keyboard.press('a');
    await page.evaluate(rowsListed, count - 1);
    const approveMs = Date.now() - started;
    await page.locator('.toast', { hasText: 'تمت الموافقة' }).waitFor();
    started = Date.now();
    await page.keyboard.press('z');
    await page.evaluate(rowsListed, count);
    return { rows: count, approveMs, undoMs: Date.now() - started };
  });
  await page.evaluate(() => {
    for (const button of document.querySelectorAll('.toast-close')) button.click();
  });

  // Select all with every row listed, and clear again.
  result.selectAll = await phase(cdp, page, async () => {
    const on = await page.evaluate(clickUntil, ['#select-all', { selected: -1 }]);
    const off = await page.evaluate(clickUntil, ['#select-all', { selected: 0 }]);
    return { onMs: round(on.toFrame), offMs: round(off.toFrame) };
  });

  // Select all + approve on a fresh first page (50 rows), then its undo from the toast.
  await page.goto(queue);
  await waitRows(page);
  result.bulkPage = await phase(cdp, page, async () => {
    const select = await page.evaluate(clickUntil, ['#select-all', { selected: 50 }]);
    const approve = await page.evaluate(clickUntil, [
      '.bulk .act-approve',
      { toast: 'تمت الموافقة', selected: 0 },
    ]);
    const undo = await page.evaluate(clickUntil, ['.toast .toast-action', { toast: 'تم التراجع', rows: 50 }]);
    return {
      selectMs: round(select.toFrame),
      approveMs: round(approve.toFrame),
      undoMs: round(undo.toFrame),
    };
  });
  log(`${name}: select all + approve 50 in ${result.bulkPage.approveMs} ms`);

  await context.close();
  return result;
}

// ---------------------------------------------------------------------------
// The report.

const flag = (value, limit) => (value == null || value <= limit ? '' : ` **> ${limit}**`);
const lt = (t) => (t.supported ? `${t.count}, max ${t.maxMs}${flag(t.maxMs, LIMITS.longTaskMs)}` : 'n/a');
const cpu = (c) => `${c.cpuMs} (layout ${c.layoutMs}, style ${c.styleMs}, script ${c.scriptMs})`;

function markdown(run) {
  const n = run.seed.comments;
  const lines = [
    `# Hiwar dashboard with ${n} pending comments (${run.startedAt})`,
    '',
    `Chromium ${run.chromium}, ${run.machine.cpus} CPUs, load average ${run.machine.load.join(' ')} at the start ` +
      `(the \`load\` rows: the 1-minute average as each step ended), Node ${process.version}. ` +
      `${n} comments posted in ${run.seed.seconds} s; site flags: ${run.siteFlags.join(' ')}.`,
    '',
    'Wall-clock figures (ms) include waiting for the CPU when the machine is busy; the **CPU** rows are',
    "the renderer main thread's own time (DevTools `Performance.getMetrics` in thread ticks), the figures to",
    `compare across runs. Flagged, not asserted: a long task over ${LIMITS.longTaskMs} ms, a key over ${LIMITS.keyMs} ms to its frame.`,
    '',
    `| measure | ${run.viewports.map((v) => `${v.name} ${v.viewport.width}×${v.viewport.height}`).join(' | ')} |`,
    `| --- |${run.viewports.map(() => ' --- |').join('')}`,
  ];
  const row = (label, pick) => lines.push(`| ${label} | ${run.viewports.map(pick).join(' | ')} |`);
  row(
    'first row, cold load: ms from navigation to the frame after it',
    (v) => `${round(v.firstRender.cold.firstRowFrameMs)}`,
  );
  row(
    'first row, 4 warm loads: median / max ms',
    (v) => `${v.firstRender.warm.firstRowFrameMs.median} / ${v.firstRender.warm.firstRowFrameMs.max}`,
  );
  row(
    '… the queue request alone (median ms); CPU per load (median ms)',
    (v) => `${v.firstRender.warm.queueRequestMs.median}; ${v.firstRender.warm.cpuMs.median}`,
  );
  row(
    `all ${n} rows by scrolling to the end: ms (pages of 50)`,
    (v) => `${v.scroll.ms} (${v.scroll.rows} rows, ${v.scroll.pages} pages)`,
  );
  row('… per page: median / max ms', (v) => `${v.scroll.perPageMs.median} / ${v.scroll.perPageMs.max}`);
  row('… long tasks: count, max ms', (v) => lt(v.scroll.longTasks));
  row('… **CPU** ms; per row', (v) => `${cpu(v.scroll.cpu)}; ${v.perRow.scrollCpuMs}`);
  row(
    `scrolling back up through ${n} rows, a window per frame: frame median / max ms`,
    (v) => `${v.scrollBack.frameMs.median} / ${v.scrollBack.frameMs.max} (${v.scrollBack.frames} frames)`,
  );
  row('… long tasks; **CPU** ms', (v) => `${lt(v.scrollBack.longTasks)}; ${cpu(v.scrollBack.cpu)}`);
  row(
    '`j` × 200: key to its frame, median / p95 / max ms',
    (v) =>
      `${v.keys.toFrameMs.median} / ${v.keys.toFrameMs.p95} / ${v.keys.toFrameMs.max}${flag(v.keys.toFrameMs.max, LIMITS.keyMs)}`,
  );
  row(
    '… keys over 100 ms; rows moved (last focused row)',
    (v) => `${v.keys.over100}; ${v.keys.moved} (${v.keys.focusedIndex})`,
  );
  row('… Event Timing: keydowns ≥ 16 ms (median / max ms)', (v) =>
    v.keys.eventTiming
      ? `${v.keys.eventTiming.over16} (${v.keys.eventTiming.durationMs.median} / ${v.keys.eventTiming.durationMs.max})`
      : 'n/a',
  );
  row('… long tasks; **CPU per key** ms', (v) => `${lt(v.keys.longTasks)}; ${v.keys.cpuPerKeyMs}`);
  row(
    'coming back to the tab (times redrawn, newest page merged): ms; long tasks; **CPU** ms',
    (v) => `${v.refresh.ms}; ${lt(v.refresh.longTasks)}; ${cpu(v.refresh.cpu)}`,
  );
  row(
    `\`a\` on one row of ${n} until it leaves; \`z\` until it is back (ms, with the request)`,
    (v) => `${v.oneRow.approveMs}; ${v.oneRow.undoMs}`,
  );
  row('… long tasks; **CPU** ms', (v) => `${lt(v.oneRow.longTasks)}; ${cpu(v.oneRow.cpu)}`);
  row(`select all ${n} / clear: ms to the frame`, (v) => `${v.selectAll.onMs} / ${v.selectAll.offMs}`);
  row('… long tasks; **CPU** ms', (v) => `${lt(v.selectAll.longTasks)}; ${cpu(v.selectAll.cpu)}`);
  row(
    'first page: select all 50; approve; undo (ms to the frame)',
    (v) => `${v.bulkPage.selectMs}; ${v.bulkPage.approveMs}; ${v.bulkPage.undoMs}`,
  );
  row('… long tasks; **CPU** ms', (v) => `${lt(v.bulkPage.longTasks)}; ${cpu(v.bulkPage.cpu)}`);
  row(
    `DOM nodes with 50 / ${n} rows (per row)`,
    (v) => `${v.at50.nodes} / ${v.atAll.nodes} (${v.perRow.nodes})`,
  );
  row(`layout objects with 50 / ${n} rows`, (v) => `${v.at50.layoutObjects} / ${v.atAll.layoutObjects}`);
  row(
    `JS heap used with 50 / ${n} rows (MB, after GC)`,
    (v) => `${v.at50.heapUsedMB} / ${v.atAll.heapUsedMB}`,
  );
  row(`event listeners with 50 / ${n} rows`, (v) => `${v.at50.listeners} / ${v.atAll.listeners}`);
  row(
    'load average as the steps ended (scroll, keys, select all)',
    (v) => `${v.scroll.load}, ${v.keys.load}, ${v.selectAll.load}`,
  );
  lines.push('', `Screenshots: ${run.viewports.flatMap((v) => v.screenshots).join(', ')}`, '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------

async function main() {
  const missing = [MAIN, CLI, ADMIN_INDEX, CHROMIUM_PATH].filter((file) => !existsSync(file));
  if (missing.length)
    throw new Error(
      `Missing: ${missing.join(', ')}. Run \`pnpm build\` (Chromium: apt-get install -y chromium).`,
    );
  const startedAt = new Date().toISOString();
  const machine = { cpus: os.cpus().length, load: os.loadavg().map((l) => round(l, 2)) };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hiwar-admin-ui-'));
  const cleanups = [() => rmSync(dataDir, { recursive: true, force: true })];
  try {
    const siteFlags = await addSite(dataDir);
    await runCli(dataDir, ['admin', 'create', OWNER.username], `${OWNER.password}\n`);
    const port = await freePort();
    const server = await startServer(dataDir, port);
    cleanups.push(() => server.stop());
    log(`server on port ${port}; posting ${TOTAL} comments`);
    const seed = await seedComments(port);
    log(`seeded in ${seed.seconds} s`);

    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    cleanups.push(() => browser.close());
    const base = `http://localhost:${port}`;
    const session = await logIn(browser, base);
    const viewports = [];
    for (const viewport of VIEWPORTS.filter((v) => ONLY.length === 0 || ONLY.includes(v.name))) {
      viewports.push({ name: viewport.name, ...(await runViewport(browser, base, viewport, session)) });
    }
    const run = {
      startedAt,
      machine,
      chromium: browser.version(),
      siteFlags,
      seed,
      viewports,
      limits: LIMITS,
    };
    const report = markdown(run);
    process.stdout.write(`${report}\n`);
    mkdirSync(RESULTS, { recursive: true });
    const stamp = startedAt.replace(/[:.]/g, '-');
    writeFileSync(path.join(RESULTS, `admin-ui-${stamp}.md`), `${report}\n`);
    writeFileSync(path.join(RESULTS, `admin-ui-${stamp}.json`), `${JSON.stringify(run, null, 2)}\n`);
    log(`wrote bench/results/admin-ui-${stamp}.{md,json}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
