import type pg from 'pg';

/**
 * The search dictionary (search_words: every indexed word and how many
 * documents hold it) held in memory, as of one dictionary version. Typo
 * correction compares a query word with every indexed word of a reachable
 * length: a few thousand bounded edit distances, well under a millisecond,
 * where a trigram lookup in PostgreSQL took about 10 ms per word.
 */
export type Dictionary = {
  /** search_meta.dict_version when the words were read. */
  readonly version: string;
  readonly size: number;
  /** How many documents hold the word; undefined when it is not indexed. */
  frequency(word: string): number | undefined;
  /** Whether an indexed word is longer than `word` and starts with it. */
  hasPrefix(word: string): boolean;
  /** Indexed words within `edits` edits of `word` (transpositions count as one). */
  near(word: string, edits: number): { readonly word: string; readonly frequency: number; readonly distance: number }[];
};

const SURROGATE = /[\uD800-\uDFFF]/;

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
export const editDistance = (a: string, b: string): number => {
  const x = Array.from(a);
  const y = Array.from(b);
  let before = new Array<number>(y.length + 1).fill(0);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  let current = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[y.length] as number;
};

/**
 * The same distance for words without surrogate pairs (one code unit per letter), giving up with
 * `limit + 1` as soon as a whole row of the table exceeds `limit`. Rows live in three reused arrays.
 */
const boundedDistance = (() => {
  let rows = [new Int32Array(65), new Int32Array(65), new Int32Array(65)] as const;
  return (a: string, b: string, limit: number): number => {
    const m = a.length;
    const n = b.length;
    if (n + 1 > rows[0].length) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
    let [before, previous, current] = rows;
    for (let j = 0; j <= n; j++) previous[j] = j;
    for (let i = 1; i <= m; i++) {
      const ai = a.charCodeAt(i - 1);
      const aBack = i > 1 ? a.charCodeAt(i - 2) : -1;
      current[0] = i;
      let best = i;
      for (let j = 1; j <= n; j++) {
        const bj = b.charCodeAt(j - 1);
        let d = (previous[j - 1] as number) + (ai === bj ? 0 : 1);
        const del = (previous[j] as number) + 1;
        const ins = (current[j - 1] as number) + 1;
        if (del < d) d = del;
        if (ins < d) d = ins;
        if (j > 1 && ai === b.charCodeAt(j - 2) && aBack === bj) {
          const swap = (before[j - 2] as number) + 1;
          if (swap < d) d = swap;
        }
        current[j] = d;
        if (d < best) best = d;
      }
      if (best > limit) return limit + 1;
      [before, previous, current] = [previous, current, before];
    }
    return previous[n] as number;
  };
})();

const codePoints = (word: string): number => (SURROGATE.test(word) ? Array.from(word).length : word.length);

/** The letters of a word as bits (folded onto 32): a letter that one word has and the other lacks costs an edit. */
const letterMask = (word: string): number => {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.codePointAt(i) as number;
    if (c > 0xffff) i++;
    mask |= 1 << (c % 32);
  }
  return mask;
};

const bitCount = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** A dictionary over these words (any order); frequencies[i] belongs to words[i]. */
export const buildDictionary = (version: string, words: readonly string[], frequencies: readonly number[]): Dictionary => {
  const counts = new Map<string, number>();
  words.forEach((w, i) => counts.set(w, frequencies[i] ?? 0));
  // Byte order, as the "C" collation sorts: for prefix ranges.
  const sorted = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byLength: string[][] = [];
  for (const w of sorted) (byLength[codePoints(w)] ??= []).push(w);
  const masks = byLength.map((ws) => Int32Array.from(ws, letterMask));

  const hasPrefix = (word: string): boolean => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as string) <= word) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && (sorted[lo] as string).startsWith(word);
  };

  const near = (word: string, edits: number) => {
    const length = codePoints(word);
    const plain = !SURROGATE.test(word);
    const found: { word: string; frequency: number; distance: number }[] = [];
    const mask = letterMask(word);
    for (let l = Math.max(0, length - edits); l <= length + edits; l++) {
      const ws = byLength[l] ?? [];
      const ms = masks[l] as Int32Array;
      for (let i = 0; i < ws.length; i++) {
        // Far cheaper than the distance, and it never rejects a word within reach.
        const m = ms[i] as number;
        if (bitCount(mask & ~m) > edits || bitCount(m & ~mask) > edits) continue;
        const w = ws[i] as string;
        const distance = plain && !SURROGATE.test(w) ? boundedDistance(word, w, edits) : editDistance(word, w);
        if (distance <= edits) found.push({ word: w, frequency: counts.get(w) ?? 0, distance });
      }
    }
    return found;
  };

  return { version, size: counts.size, frequency: (w) => counts.get(w), hasPrefix, near };
};

/** The whole dictionary and its version, read in one statement (one snapshot). */
export const loadDictionary = async (db: pg.Pool | pg.PoolClient): Promise<Dictionary> => {
  const { rows } = await db.query<{ version: string; words: string[] | null; frequencies: number[] | null }>(
    `SELECT m.dict_version::text AS version, w.words, w.frequencies
     FROM search_meta m, LATERAL (SELECT array_agg(word) AS words, array_agg(frequency) AS frequencies FROM search_words) w`,
  );
  const row = rows[0];
  return buildDictionary(row?.version ?? '0', row?.words ?? [], row?.frequencies ?? []);
};

/**
 * The newest dictionary this process has read. `current()` reads it the first time; `refresh(seen)`
 * reads it again when a statement saw a newer version (versions only grow), one read at a time
 * however many searches ask together.
 */
export const dictionaryHolder = (load: () => Promise<Dictionary>) => {
  let held: Dictionary | undefined;
  let loading: Promise<Dictionary> | undefined;
  const read = (): Promise<Dictionary> => {
    loading ??= load().then(
      (d) => {
        loading = undefined;
        if (!held || BigInt(d.version) >= BigInt(held.version)) held = d;
        return held;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  return {
    current: (): Promise<Dictionary> => (held ? Promise.resolve(held) : read()),
    refresh: async (seen: string): Promise<Dictionary> => {
      if (held && BigInt(held.version) >= BigInt(seen)) return held;
      const d = await read();
      // A read that started before `seen` was written may still be older: read once more.
      return BigInt(d.version) >= BigInt(seen) ? d : read();
    },
  };
};
