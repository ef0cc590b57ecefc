/**
 * The widget's reactive state: signals, effects that run again when a signal they
 * read changes, and batches. The part of `@preact/signals-core`'s API the models
 * and components use (no `computed`, no cleanup returned from an effect), with the
 * same behaviour, in a tenth of its size: issue 3's budget has no room for the rest.
 *
 * @example
 * const count = signal(0);
 * const stop = effect(() => console.log(count.value)); // logs 0
 * batch(() => { count.value = 1; count.value = 2; }); // logs 2, once
 * stop();
 */

export interface ReadonlySignal<T> {
  readonly value: T;
  /** The value, without making the running effect depend on it. */
  peek(): T;
}

export interface Signal<T> extends ReadonlySignal<T> {
  value: T;
}

/** An effect's run, and the subscriber lists of the signals it read last time. */
interface Watcher {
  run(): void;
  sources: Set<Set<Watcher>>;
}

/** The effect reading signals now: they add it to their subscribers. */
let running: Watcher | undefined;
/** How many batches are open; effects run when the outermost one closes. */
let depth = 0;
const pending = new Set<Watcher>();

/** A value that effects reading it follow. */
export function signal<T>(value: T): Signal<T> {
  const watchers = new Set<Watcher>();
  return {
    get value() {
      if (running) {
        watchers.add(running);
        running.sources.add(watchers);
      }
      return value;
    },
    set value(next) {
      if (next === value) return;
      value = next;
      batch(() => {
        for (const watcher of watchers) pending.add(watcher);
      });
    },
    peek: () => value,
  };
}

/**
 * Runs `fn`, then each effect that depends on a signal it changed, once. Effects
 * that change signals in turn are run in the same round; the first error thrown
 * by one is rethrown after the others ran.
 */
export function batch<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    if (depth > 1) depth--;
    else flush();
  }
}

/** Runs the pending effects, the outermost batch still open so that what they change joins this round. */
function flush() {
  let failed = false;
  let error: unknown;
  let runs = 0;
  try {
    // A Set's iteration reaches what is added while it goes: effects queued by effects.
    for (const watcher of pending) {
      pending.delete(watcher);
      // Only an effect changing what it reads runs without end.
      if (++runs > 1e5) throw new Error('Hiwar: an effect keeps changing what it reads');
      try {
        watcher.run();
      } catch (e) {
        if (!failed) [failed, error] = [true, e];
      }
    }
  } finally {
    pending.clear();
    depth--;
  }
  if (failed) throw error;
}

/**
 * Runs `fn` now and again whenever a signal it read last time changes; returns
 * the function that stops it.
 */
export function effect(fn: () => void): () => void {
  let stopped = false;
  const watcher: Watcher = {
    sources: new Set(),
    run() {
      for (const source of watcher.sources) source.delete(watcher);
      watcher.sources.clear();
      if (stopped) return;
      const outer = running;
      running = watcher;
      try {
        fn();
      } finally {
        running = outer;
      }
    },
  };
  watcher.run();
  return () => {
    stopped = true;
    watcher.run();
  };
}
