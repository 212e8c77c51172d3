import type pg from 'pg';

/**
 * Typo tolerance for the PostgreSQL index: each query word is matched against
 * the dictionary of indexed words (pg_trgm similarity, plus words sharing the
 * first two letters so that swapped letters — "swfit" — are still found, which
 * trigrams alone score too low), and the closest words by edit distance
 * (transpositions count as one edit) replace it in the full-text query.
 */

export type Candidate = { readonly word: string; readonly frequency: number; readonly similarity: number };

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
export const editDistance = (a: string, b: string): number => {
  const x = Array.from(a);
  const y = Array.from(b);
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) rows.push(Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= x.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      row[j] = d;
    }
  }
  return at(x.length, y.length);
};

/** Typesense's default too: no typo on short words, one from 4 letters, two from 7. */
export const allowedEdits = (word: string): number => {
  const n = Array.from(word).length;
  return n < 4 ? 0 : n < 7 ? 1 : 2;
};

export type WordPlan = {
  readonly word: string;
  /** Dictionary words to search for instead of (or besides) the typed word. */
  readonly alternatives: readonly string[];
  /** The typed word is the start of indexed words (as-you-type on the last word). */
  readonly prefix: boolean;
  /** How many documents hold one of the alternatives (an upper bound), when known. */
  readonly frequency?: number;
};

/**
 * Whether every word is so common (each in over `broad` documents) that ranking the matches would
 * read a good part of the catalogue to order results that hardly differ.
 */
export const tooBroadToRank = (plans: readonly WordPlan[], broad = 50_000): boolean => {
  const used = plans.filter((p) => p.prefix || p.alternatives.length > 0);
  // A prefix's own frequency is a lower bound on what it matches: over the bar, it is broad too.
  return used.length > 0 && used.every((p) => p.frequency !== undefined && p.frequency > broad);
};

/**
 * The words worth looking up in the full-text index. A word in a quarter of all documents ("the",
 * "company") costs the GIN scan far more than checking it on the few rows the rarer words leave, so
 * words both common (over `common` documents) and much commoner than the rarest word are left to
 * the row check (the full tsquery still decides what matches). Words without a known frequency
 * (prefixes) are always looked up.
 */
export const indexedPlans = (plans: readonly WordPlan[], common = 50_000): WordPlan[] => {
  const known = plans.filter((p) => !p.prefix && p.alternatives.length > 0 && p.frequency !== undefined);
  const rarest = Math.min(...known.map((p) => p.frequency as number));
  const kept = plans.filter((p) => p.prefix || p.frequency === undefined || p.frequency <= common || p.frequency <= 10 * rarest);
  return kept.length > 0 ? kept : [...plans];
};

/** The dictionary words a typed word stands for; empty when nothing close is indexed. */
export const correct = (word: string, candidates: readonly Candidate[], maxAlternatives = 2): string[] => {
  if (candidates.some((c) => c.word === word)) return [word];
  const limit = allowedEdits(word);
  const scored = candidates
    .map((c) => ({ ...c, distance: editDistance(word, c.word) }))
    .filter((c) => c.distance <= limit)
    .sort((a, b) => a.distance - b.distance || b.frequency - a.frequency || b.similarity - a.similarity || (a.word < b.word ? -1 : 1));
  const best = scored[0]?.distance;
  return scored
    .filter((c) => c.distance === best)
    .slice(0, maxAlternatives)
    .map((c) => c.word);
};

const quoted = (w: string): string => `'${w.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

/**
 * The tsquery text: every word must match (one of its alternatives); words
 * nothing resembles are dropped, as a search box would. Undefined when no
 * word is left, which matches nothing.
 */
export const tsqueryText = (plans: readonly WordPlan[]): string | undefined => {
  const parts: string[] = [];
  for (const p of plans) {
    const terms = [...new Set(p.alternatives)].map(quoted);
    if (p.prefix) terms.push(`${quoted(p.word)}:*`);
    if (terms.length > 0) parts.push(terms.length === 1 ? (terms[0] as string) : `(${terms.join(' | ')})`);
  }
  return parts.length > 0 ? parts.join(' & ') : undefined;
};

// Fuzzy lookups run only for words that are neither indexed as typed nor (for the word at $2, the
// last one typed) the start of indexed words; the conditions on t, e and p are constant per word,
// so PostgreSQL evaluates them once and skips the branch. Each row also carries the dictionary
// version the plan was made against.
export const CANDIDATES = `
  SELECT t.i::integer AS i, c.word, c.frequency, c.similarity, p.has_prefix, (SELECT dict_version FROM search_meta) AS dict_version
  FROM unnest($1::text[]) WITH ORDINALITY AS t(tok, i)
  CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM search_words x WHERE x.word = t.tok) AS exact) e
  CROSS JOIN LATERAL (SELECT (t.i = $2 AND char_length(t.tok) >= 2 AND EXISTS (
      SELECT 1 FROM search_words x
      WHERE (x.word COLLATE "C") > t.tok AND (x.word COLLATE "C") < t.tok || chr(1114111))) AS has_prefix) p
  -- allowedEdits: a word further in length than that cannot be within reach, so it never takes a place among the 40.
  CROSS JOIN LATERAL (SELECT CASE WHEN char_length(t.tok) < 7 THEN 1 ELSE 2 END AS edits) l
  LEFT JOIN LATERAL (
    SELECT x.word, x.frequency, 1::real AS similarity FROM search_words x WHERE e.exact AND x.word = t.tok
    UNION ALL
    (SELECT f.word, f.frequency, similarity(f.word, t.tok) AS similarity FROM (
        SELECT s.word, s.frequency FROM search_words s
        WHERE NOT e.exact AND NOT p.has_prefix AND char_length(t.tok) >= 4 AND s.word % t.tok
          AND abs(char_length(s.word) - char_length(t.tok)) <= l.edits
        UNION
        SELECT s.word, s.frequency FROM search_words s
        WHERE NOT e.exact AND NOT p.has_prefix AND char_length(t.tok) >= 4
          AND (s.word COLLATE "C") >= left(t.tok, 2) AND (s.word COLLATE "C") < left(t.tok, 2) || chr(1114111)
          AND abs(char_length(s.word) - char_length(t.tok)) <= l.edits
      ) f
     ORDER BY 3 DESC, 2 DESC
     LIMIT 40)
  ) c ON true`;

export type WordPlans = {
  readonly plans: WordPlan[];
  /** The dictionary version the plans were made against (search_meta). */
  readonly version: string;
};

/**
 * One round trip: the plan for every word. `prefixAt` is the 1-based position of the word that may
 * match as a prefix (the last word typed); 0 for none.
 */
export const planWords = async (
  db: pg.Pool | pg.PoolClient,
  words: readonly string[],
  prefixAt: number = words.length,
): Promise<WordPlans> => {
  if (words.length === 0) return { plans: [], version: '' };
  const { rows } = await db.query<{
    i: number;
    word: string | null;
    frequency: number | null;
    similarity: number | null;
    has_prefix: boolean;
    dict_version: string;
  }>({ name: 'marquee_search_candidates', text: CANDIDATES, values: [words, prefixAt] });
  const plans = words.map((word, index) => {
    const mine = rows.filter((r) => r.i === index + 1);
    const candidates = mine.flatMap((r) =>
      r.word === null ? [] : [{ word: r.word, frequency: r.frequency ?? 0, similarity: r.similarity ?? 0 }],
    );
    const prefix = mine.some((r) => r.has_prefix);
    const exact = candidates.some((c) => c.word === word);
    // A last word that starts indexed words is most likely still being typed, not misspelt.
    const alternatives = prefix && !exact ? [] : correct(word, candidates);
    const frequency = alternatives.reduce((n, a) => n + (candidates.find((c) => c.word === a)?.frequency ?? 0), 0);
    return { word, alternatives, prefix, frequency };
  });
  return { plans, version: rows[0]?.dict_version ?? '' };
};

/**
 * Word plans kept in-process, keyed by word and whether it may match as a prefix, each stamped with
 * the dictionary version it was made against. A search reads the current version in its own
 * statement; when it differs, the caller clears the cache and plans again. Least recently used
 * plans go first.
 */
export const wordPlanCache = (max = 10_000) => {
  const plans = new Map<string, { plan: WordPlan; version: string }>();
  const key = (word: string, last: boolean): string => `${last ? '1' : '0'}${word}`;
  return {
    get(word: string, last: boolean): { plan: WordPlan; version: string } | undefined {
      const k = key(word, last);
      const hit = plans.get(k);
      if (hit) {
        plans.delete(k);
        plans.set(k, hit);
      }
      return hit;
    },
    set(word: string, last: boolean, plan: WordPlan, version: string): void {
      const k = key(word, last);
      plans.delete(k);
      plans.set(k, { plan, version });
      if (plans.size > max) {
        const oldest = plans.keys().next();
        if (!oldest.done) plans.delete(oldest.value);
      }
    },
    clear(): void {
      plans.clear();
    },
    get size(): number {
      return plans.size;
    },
  };
};

export type WordPlanCache = ReturnType<typeof wordPlanCache>;
