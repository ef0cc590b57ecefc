import { LRUCache } from 'lru-cache';

/**
 * The answers of `GET /api/v1/counts` kept for a second. A home page asks for the
 * same 20 articles' counts on every visit, and the answer is already public and
 * cacheable for 30 s (`Cache-Control: public, max-age=30`), so a second's reuse in
 * the server costs readers nothing they would notice.
 *
 * Every write through this process's API empties it once answered, and so committed
 * ({@link countsChanged}, called by app.ts after each request that is not a GET): a
 * reader who posts and reloads sees their comment counted at once, and a site's new
 * origins are checked at once. A change made by another server process on the same
 * PostgreSQL, or by the CLI, shows within the second.
 */
export interface CountsAnswer {
  origins: string[];
  counts: Map<string, number>;
}

export type CountsCache = LRUCache<string, CountsAnswer>;

/** What a change has to outdate: entries are valid only for the generation they were made in. */
let generation = 0;

/** Something may have changed in this process: every cached answer is out of date. */
export function countsChanged(): void {
  generation++;
}

const TTL_MS = 1_000;

export function createCountsCache(max = 2_000): CountsCache {
  return new LRUCache<string, CountsAnswer>({ max, ttl: TTL_MS });
}

/** The key of one question: the site and the thread keys, deduplicated and sorted. */
function cacheKey(siteId: string, keys: readonly string[]): string {
  return `${generation}\u0000${siteId}\u0000${[...keys].sort().join('\u0000')}`;
}

/**
 * The cached answer, or `load()`'s (cached when it came back within the same
 * generation: an answer read while a change was being made is not kept).
 */
export async function cachedCounts(
  cache: CountsCache,
  siteId: string,
  keys: readonly string[],
  load: () => Promise<CountsAnswer | null>,
): Promise<CountsAnswer | null> {
  const key = cacheKey(siteId, keys);
  const hit = cache.get(key);
  if (hit) return hit;
  const before = generation;
  const answer = await load();
  if (answer && generation === before) cache.set(key, answer);
  return answer;
}
