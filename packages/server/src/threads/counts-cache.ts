import { LRUCache } from 'lru-cache';

/**
 * The answers of `GET /api/v1/counts` kept for a second. A home page asks for the
 * same 20 articles' counts on every visit, and the answer is already public and
 * cacheable for 30 s (`Cache-Control: public, max-age=30`), so a second's reuse in
 * the server costs readers nothing they would notice.
 *
 * Every change of an approved count made by this process (comments/status.ts and a
 * new comment's insert call {@link countsChanged}) empties it, so that a reader who
 * posts and reloads sees their comment counted at once; a change made by another
 * server process on the same PostgreSQL shows within the second. Sites' settings
 * (the origins checked against) go through the same call.
 */
export interface CountsAnswer {
  origins: string[];
  counts: Map<string, number>;
}

export type CountsCache = LRUCache<string, CountsAnswer>;

/** What a change has to outdate: entries are valid only for the generation they were made in. */
let generation = 0;

/** A count or a site's origins changed in this process: every cached answer is out of date. */
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
