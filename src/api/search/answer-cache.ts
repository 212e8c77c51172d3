/**
 * Browse and search answers kept in memory, each valid for the index version it
 * was read at. Under load the same questions come again and again (a city and a
 * radius, a popular performer, this week's concerts): while the index stays at one
 * version, the same question has the same answer, so it costs no query at all.
 *
 * The current version is read at most once per `versionTtlMs` and shared by the
 * requests of that moment, so an answer may trail the index by that much (the
 * answers say `Cache-Control: max-age=5` to shared caches anyway); no answer is
 * kept longer than `maxAgeMs`, which bounds what the version does not see (the
 * productions an item names).
 */

export type AnswerCacheOptions = {
  /** Answers kept, least recently used dropped first; 0 keeps none. */
  readonly entries: number;
  readonly version: () => Promise<string | undefined>;
  readonly versionTtlMs?: number;
  readonly maxAgeMs?: number;
  readonly now?: () => number;
};

export type AnswerCache<A> = {
  /** The index's version now, as far as this cache knows (undefined: the index keeps none). */
  version(): Promise<string | undefined>;
  /** The answer to `key` at `version`, if one is kept. */
  get(key: string, version: string): A | undefined;
  set(key: string, version: string, answer: A): void;
  readonly size: number;
};

type Entry<A> = { readonly version: string; readonly answer: A; readonly at: number };

export const DEFAULT_VERSION_TTL_MS = 250;
export const DEFAULT_MAX_AGE_MS = 5_000;

export const createAnswerCache = <A>(options: AnswerCacheOptions): AnswerCache<A> => {
  const { entries } = options;
  if (!Number.isSafeInteger(entries) || entries < 0) throw new RangeError(`answer cache entries ${entries} must be an integer >= 0`);
  const versionTtlMs = options.versionTtlMs ?? DEFAULT_VERSION_TTL_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const kept = new Map<string, Entry<A>>();
  let read: { readonly at: number; readonly version: Promise<string | undefined> } | undefined;

  return {
    version() {
      const t = now();
      if (read === undefined || t - read.at >= versionTtlMs) {
        const version = options.version();
        read = { at: t, version };
        // A failed read is not remembered: the next request asks again.
        version.catch(() => {
          if (read?.version === version) read = undefined;
        });
      }
      return read.version;
    },
    get(key, version) {
      const e = kept.get(key);
      if (e === undefined) return undefined;
      kept.delete(key);
      if (e.version !== version || now() - e.at >= maxAgeMs) return undefined;
      kept.set(key, e);
      return e.answer;
    },
    set(key, version, answer) {
      if (entries === 0) return;
      kept.delete(key);
      kept.set(key, { version, answer, at: now() });
      if (kept.size > entries) kept.delete(kept.keys().next().value as string);
    },
    get size() {
      return kept.size;
    },
  };
};
