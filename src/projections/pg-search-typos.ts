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
  const x = [...a];
  const y = [...b];
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
  const n = [...word].length;
  return n < 4 ? 0 : n < 7 ? 1 : 2;
};

export type WordPlan = {
  readonly word: string;
  /** Dictionary words to search for instead of (or besides) the typed word. */
  readonly alternatives: readonly string[];
  /** The typed word is the start of indexed words (as-you-type on the last word). */
  readonly prefix: boolean;
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
  return scored.filter((c) => c.distance === best).slice(0, maxAlternatives).map((c) => c.word);
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

// Fuzzy lookups run only for words that are neither indexed as typed nor (for the last word) the
// start of indexed words; the conditions on t, e and p are constant per word, so PostgreSQL
// evaluates them once and skips the branch.
export const CANDIDATES = `
  SELECT t.i::integer AS i, c.word, c.frequency, c.similarity, p.has_prefix
  FROM unnest($1::text[]) WITH ORDINALITY AS t(tok, i)
  CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM search_words x WHERE x.word = t.tok) AS exact) e
  CROSS JOIN LATERAL (SELECT (t.i = $2 AND char_length(t.tok) >= 2 AND EXISTS (
      SELECT 1 FROM search_words x
      WHERE (x.word COLLATE "C") > t.tok AND (x.word COLLATE "C") < t.tok || chr(1114111))) AS has_prefix) p
  LEFT JOIN LATERAL (
    SELECT t.tok AS word, 0 AS frequency, 1::real AS similarity WHERE e.exact
    UNION ALL
    (SELECT f.word, f.frequency, similarity(f.word, t.tok) AS similarity FROM (
        SELECT s.word, s.frequency FROM search_words s
        WHERE NOT e.exact AND NOT p.has_prefix AND char_length(t.tok) >= 4 AND s.word % t.tok
        UNION
        SELECT s.word, s.frequency FROM search_words s
        WHERE NOT e.exact AND NOT p.has_prefix AND char_length(t.tok) >= 4
          AND (s.word COLLATE "C") >= left(t.tok, 2) AND (s.word COLLATE "C") < left(t.tok, 2) || chr(1114111)
          AND char_length(s.word) BETWEEN char_length(t.tok) - 2 AND char_length(t.tok) + 2
      ) f
     ORDER BY 3 DESC, 2 DESC
     LIMIT 40)
  ) c ON true`;

/** One round trip: the plan for every query word. */
export const planWords = async (db: pg.Pool | pg.PoolClient, words: readonly string[]): Promise<WordPlan[]> => {
  if (words.length === 0) return [];
  const { rows } = await db.query<{ i: number; word: string | null; frequency: number | null; similarity: number | null; has_prefix: boolean }>(
    CANDIDATES,
    [words, words.length],
  );
  return words.map((word, index) => {
    const mine = rows.filter((r) => r.i === index + 1);
    const candidates = mine.flatMap((r) =>
      r.word === null ? [] : [{ word: r.word, frequency: r.frequency ?? 0, similarity: r.similarity ?? 0 }],
    );
    const prefix = mine.some((r) => r.has_prefix);
    const exact = candidates.some((c) => c.word === word);
    // A last word that starts indexed words is most likely still being typed, not misspelt.
    return { word, alternatives: prefix && !exact ? [] : correct(word, candidates), prefix };
  });
};
