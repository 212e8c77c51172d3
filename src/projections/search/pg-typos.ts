import { editDistance, type Dictionary } from './pg-dictionary.js';

/**
 * Typo tolerance for the PostgreSQL index: each query word is looked up in the
 * dictionary of indexed words (held in memory, see pg-dictionary.ts), and the
 * closest words by edit distance (transpositions count as one edit) replace it
 * in the full-text query.
 */

export type Candidate = { readonly word: string; readonly frequency: number };

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

/** Roughly how many documents one GIN posting page lists (about 1,700 were measured at 1M events). */
const POSTINGS_PER_PAGE = 1_000;

/**
 * The words worth looking up in the full-text index. A word left out is checked on each row the
 * others find instead (the full tsquery still decides what matches), which costs a heap page per
 * row; looking it up costs its posting pages. So a word is left out only when it is common (over
 * `common` documents) and its postings outnumber the rows of the rarest word: "the" beside a word
 * in ten documents, not "company" beside a surname in 2,900 (that recheck read 2,900 heap pages,
 * 150-200 ms from a cold cache, against about 230 index pages). Words without a known frequency
 * (prefixes) are always looked up.
 */
export const indexedPlans = (plans: readonly WordPlan[], common = 50_000): WordPlan[] => {
  const known = plans.filter((p) => !p.prefix && p.alternatives.length > 0 && p.frequency !== undefined);
  const rarest = Math.min(...known.map((p) => p.frequency as number));
  const kept = plans.filter(
    (p) => p.prefix || p.frequency === undefined || p.frequency <= common || p.frequency <= POSTINGS_PER_PAGE * rarest,
  );
  return kept.length > 0 ? kept : [...plans];
};

/** The dictionary words a typed word stands for; empty when nothing close is indexed. */
export const correct = (word: string, candidates: readonly Candidate[], maxAlternatives = 2): string[] => {
  if (candidates.some((c) => c.word === word)) return [word];
  const limit = allowedEdits(word);
  const scored = candidates
    .map((c) => ({ ...c, distance: editDistance(word, c.word) }))
    .filter((c) => c.distance <= limit)
    .sort((a, b) => a.distance - b.distance || b.frequency - a.frequency || (a.word < b.word ? -1 : 1));
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

/**
 * The plan for every word, from the dictionary. `prefixAt` is the 1-based position of the word that
 * may match as a prefix (the last word typed); 0 for none.
 */
export const planWords = (dictionary: Dictionary, words: readonly string[], prefixAt: number = words.length): WordPlan[] =>
  words.map((word, index) => {
    const own = dictionary.frequency(word);
    const prefix = index + 1 === prefixAt && word.length >= 2 && dictionary.hasPrefix(word);
    // A last word that starts indexed words is most likely still being typed, not misspelt.
    if (own === undefined && prefix) return { word, alternatives: [], prefix, frequency: 0 };
    const edits = allowedEdits(word);
    const candidates = own !== undefined ? [{ word, frequency: own }] : edits > 0 ? dictionary.near(word, edits) : [];
    const alternatives = correct(word, candidates);
    const frequency = alternatives.reduce((n, a) => n + (candidates.find((c) => c.word === a)?.frequency ?? 0), 0);
    return { word, alternatives, prefix, frequency };
  });

/**
 * Word plans kept in-process for one dictionary, keyed by word and whether it may match as a
 * prefix; least recently used plans go first. A new dictionary comes with a new cache.
 */
export const wordPlanCache = (max = 10_000) => {
  const plans = new Map<string, WordPlan>();
  const key = (word: string, last: boolean): string => `${last ? '1' : '0'}${word}`;
  return {
    get(word: string, last: boolean): WordPlan | undefined {
      const k = key(word, last);
      const hit = plans.get(k);
      if (hit) {
        plans.delete(k);
        plans.set(k, hit);
      }
      return hit;
    },
    set(word: string, last: boolean, plan: WordPlan): void {
      const k = key(word, last);
      plans.delete(k);
      plans.set(k, plan);
      if (plans.size > max) {
        const oldest = plans.keys().next();
        if (!oldest.done) plans.delete(oldest.value);
      }
    },
    get size(): number {
      return plans.size;
    },
  };
};

export type WordPlanCache = ReturnType<typeof wordPlanCache>;
