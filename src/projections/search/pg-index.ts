import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../commands/platform/index.js';
import {
  BUMP_DATA,
  BUMP_DICTIONARY,
  COUNT_WORDS,
  DROP_UNUSED_WORDS,
  REBUILD_WORDS,
  resetPgSearch,
  setupPgSearch,
  UNCOUNT_WORDS,
  UPDATE_STOCK,
  UPSERT_DOCS,
} from './pg-schema.js';
import { dictionaryHolder, loadDictionary, type Dictionary } from './pg-dictionary.js';
import { indexedPlans, planWords, tooBroadToRank, tsqueryText, wordPlanCache, type WordPlan, type WordPlanCache } from './pg-typos.js';
import { EARTH_RADIUS_M, buildSearchSql } from './pg-query.js';
import {
  MAX_RESULT_WINDOW,
  queryWords,
  roundKm,
  type EventDoc,
  type ProductionRef,
  type SearchDocStore,
  type SearchIndex,
  type SearchItem,
  type SearchPage,
  type SearchQuery,
  type SectionStock,
} from './port.js';

type Db = pg.Pool | pg.PoolClient;

type DocRow = {
  id: string;
  version: number;
  status: EventDoc['status'];
  name: string;
  description: string;
  category: string;
  performers: EventDoc['performers'];
  starts_at: Date;
  venue_id: string;
  venue_name: string;
  city: string;
  country: string;
  lat: number;
  lng: number;
  currency: string;
  sections: SectionStock[];
  price_from: number;
  available: number;
  capacity: number;
  production: ProductionRef | null;
};

const docRecord = (d: EventDoc) => ({
  id: d.id,
  version: d.version,
  status: d.status,
  name: d.name,
  description: d.description,
  category: d.category,
  performers: d.performers,
  starts_at: d.startsAt,
  venue_id: d.venue.id,
  venue_name: d.venue.name,
  city: d.venue.city,
  country: d.venue.country,
  lat: d.venue.location.lat,
  lng: d.venue.location.lng,
  currency: d.currency,
  sections: d.sections,
  price_from: d.priceFrom,
  available: d.available,
  capacity: d.capacity,
  production: d.production ?? null,
});

const fromRow = (r: DocRow): EventDoc => ({
  id: r.id,
  version: r.version,
  name: r.name,
  description: r.description,
  category: r.category,
  performers: r.performers,
  startsAt: r.starts_at.toISOString(),
  venue: { id: r.venue_id, name: r.venue_name, city: r.city, country: r.country, location: { lat: r.lat, lng: r.lng } },
  currency: r.currency,
  sections: r.sections,
  priceFrom: r.price_from,
  available: r.available,
  capacity: r.capacity,
  status: r.status,
  ...(r.production === null ? {} : { production: r.production }),
});

/** The newest version of each document, so one statement never touches a row twice. */
const newestById = (docs: readonly EventDoc[]): EventDoc[] => {
  const byId = new Map<string, EventDoc>();
  for (const d of docs) {
    const seen = byId.get(d.id);
    if (!seen || seen.version < d.version) byId.set(d.id, d);
  }
  return [...byId.values()];
};

/** Writes whole documents and keeps the word dictionary in step; run inside a transaction. */
export const writeDocs = async (db: pg.PoolClient, docs: readonly EventDoc[]): Promise<void> => {
  const rows = newestById(docs);
  if (rows.length === 0) return;
  await db.query(BUMP_DATA);
  const ids = rows.map((d) => d.id).sort();
  const { rows: uncounted } = await db.query<{ word: string }>(UNCOUNT_WORDS, [ids]);
  await db.query(UPSERT_DOCS, [JSON.stringify(rows.map(docRecord))]);
  const { rows: counted } = await db.query<{ added: boolean }>(COUNT_WORDS, [ids]);
  const dropped = uncounted.length > 0 ? ((await db.query(DROP_UNUSED_WORDS, [uncounted.map((u) => u.word)])).rowCount ?? 0) : 0;
  if (dropped > 0 || counted.some((c) => c.added)) await db.query(BUMP_DICTIONARY);
};

export const writeStock = async (db: pg.PoolClient, docs: readonly EventDoc[]): Promise<void> => {
  const rows = newestById(docs);
  if (rows.length === 0) return;
  await db.query(BUMP_DATA);
  await db.query(UPDATE_STOCK, [JSON.stringify(rows.map(docRecord))]);
};

/** For bulk loads: documents without dictionary upkeep, then rebuildDictionary once. */
export const insertDocsBulk = async (db: Db, docs: readonly EventDoc[]): Promise<void> => {
  const rows = newestById(docs);
  if (rows.length === 0) return;
  await db.query(UPSERT_DOCS, [JSON.stringify(rows.map(docRecord))]);
  await db.query(BUMP_DATA);
};

export const rebuildDictionary = async (db: Db): Promise<void> => {
  await db.query(REBUILD_WORDS);
  await db.query(BUMP_DICTIONARY);
};

type ItemRow = {
  id: string;
  name: string;
  category: string;
  performers: EventDoc['performers'];
  starts_at: Date;
  venue_id: string;
  venue_name: string;
  city: string;
  lat: number;
  lng: number;
  price_from: number;
  currency: string;
  available: number;
  capacity: number;
  status: EventDoc['status'];
  production: ProductionRef | null;
  distance_m: number | null;
  total: string;
  dict_version: string | null;
  data_version: string | null;
};

const toSearchItem = (r: ItemRow): SearchItem => ({
  id: r.id,
  name: r.name,
  category: r.category,
  performers: r.performers,
  startsAt: r.starts_at.toISOString(),
  venue: { id: r.venue_id, name: r.venue_name, city: r.city, location: { lat: r.lat, lng: r.lng } },
  priceFrom: r.price_from,
  currency: r.currency,
  available: r.available,
  capacity: r.capacity,
  status: r.status,
  ...(r.production === null ? {} : { production: r.production }),
  ...(r.distance_m === null ? {} : { distanceKm: roundKm(r.distance_m / 1000) }),
});

export type PgSearchIndex = SearchIndex & {
  readonly store: SearchDocStore;
  /** Creates the tables (also done by the projection's setup). */
  setup(): Promise<void>;
};

/**
 * The PostgreSQL search index. Reads use `pool` only (never the event store),
 * so search keeps answering while the write side is down.
 */
export type PgSearchOptions = {
  /** Whether close() ends the pool. */
  readonly ownsPool?: boolean;
  /** Totals are exact up to this many matches and report this number beyond (default MAX_RESULT_WINDOW). */
  readonly totalCap?: number;
  /** How many words' typo corrections are kept in-process (default 10,000). */
  readonly wordPlanCacheSize?: number;
};

export const pgSearchIndex = (pool: pg.Pool, options: PgSearchOptions = {}): PgSearchIndex => {
  const store: SearchDocStore = {
    kind: 'postgres',
    tables: ['search_events', 'search_words'],
    setup: setupPgSearch,
    reset: resetPgSearch,
    load: async (db, ids) => {
      const found = new Map<string, EventDoc>();
      if (ids.length === 0) return found;
      const { rows } = await db.query<DocRow>(
        `SELECT id, version, status, name, description, category, performers, starts_at, venue_id, venue_name, city, country,
           lat, lng, currency, sections, price_from, available, capacity, production
         FROM search_events WHERE id = ANY($1::text[])`,
        [ids],
      );
      for (const r of rows) found.set(r.id, fromRow(r));
      return found;
    },
    save: async (db, docs, textChanged) => {
      await writeDocs(
        db,
        docs.filter((d) => textChanged.has(d.id)),
      );
      await writeStock(
        db,
        docs.filter((d) => !textChanged.has(d.id)),
      );
    },
  };

  const totalCap = options.totalCap ?? MAX_RESULT_WINDOW;
  let radius: Promise<number> | undefined;
  const earthRadius = (): Promise<number> => {
    radius ??= pool.query<{ r: number }>('SELECT earth() AS r').then(
      (r) => r.rows[0]?.r ?? EARTH_RADIUS_M,
      (error: unknown) => {
        radius = undefined;
        throw error;
      },
    );
    return radius;
  };
  const dictionaries = dictionaryHolder(() => loadDictionary(pool));
  const planCaches = new WeakMap<Dictionary, WordPlanCache>();
  // The statement text depends only on which filters are present, so a handful of names cover
  // every query and PostgreSQL parses each once per connection (and, once its generic plan is as
  // good, plans it once). Not for a performer, whose rarity only a custom plan sees.
  const statementNames = new Map<string, string>();
  const named = (query: SearchQuery, sql: { text: string; values: unknown[] }): pg.QueryConfig => {
    if (query.performer) return sql;
    let name = statementNames.get(sql.text);
    if (name === undefined && statementNames.size < 200) {
      // Named by the text: two indexes on one pool (or the same one twice) never claim a name for
      // different statements on a connection.
      name = `marquee_search_${createHash('sha1').update(sql.text).digest('hex').slice(0, 24)}`;
      statementNames.set(sql.text, name);
    }
    return name === undefined ? sql : { ...sql, name };
  };

  /** Plans from the dictionary's cache where it has them, the rest from the dictionary (and then cached). */
  const plan = (dictionary: Dictionary, words: readonly string[]): WordPlan[] => {
    let cache = planCaches.get(dictionary);
    if (!cache) planCaches.set(dictionary, (cache = wordPlanCache(options.wordPlanCacheSize ?? 10_000)));
    const last = words.length - 1;
    const plans: (WordPlan | undefined)[] = words.map((word, i) => cache.get(word, i === last));
    const missing = words.flatMap((word, i) => (plans[i] === undefined ? [i] : []));
    if (missing.length > 0) {
      const fresh = planWords(
        dictionary,
        missing.map((i) => words[i] as string),
        missing.indexOf(last) + 1,
      );
      missing.forEach((i, k) => {
        const p = fresh[k] as WordPlan;
        plans[i] = p;
        cache.set(p.word, i === last, p);
      });
    }
    return plans as WordPlan[];
  };

  /** The current dictionary version, for answers that need no statement of their own. */
  const dictionaryVersion = async (): Promise<string> =>
    (await pool.query<{ v: string }>('SELECT dict_version::text AS v FROM search_meta')).rows[0]?.v ?? '0';

  const run = async (query: SearchQuery, retry: boolean): Promise<SearchPage> => {
    // No version: a query that matches no word is answered without reading the index.
    const empty = { items: [], page: query.page, pageSize: query.pageSize, total: 0 };
    const words = queryWords(query.q);
    let tsquery: string | undefined;
    let indexTsquery: string | undefined;
    let dictionary: Dictionary | undefined;
    if (words.length > 0) {
      dictionary = await dictionaries.current();
      const plans = plan(dictionary, words);
      tsquery = tsqueryText(plans);
      if (tsquery === undefined) {
        // Nothing resembles these words in the dictionary held here: unless a newer one has them.
        const current = await dictionaryVersion();
        if (current === dictionary.version || !retry) return empty;
        await dictionaries.refresh(current);
        return run(query, false);
      }
      indexTsquery = tsqueryText(indexedPlans(plans));
      // "the", "company": ranking a quarter of the catalogue costs a second and tells little, so such
      // matches come by start time, as browsing does.
      if (query.sort === 'relevance' && tooBroadToRank(plans)) query = { ...query, sort: 'startsAt' };
    }
    const sql = buildSearchSql(query, tsquery, {
      totalCap,
      ...(indexTsquery === undefined ? {} : { indexTsquery }),
      ...(query.near ? { earthRadius: await earthRadius() } : {}),
    });
    const { rows } = await pool.query<ItemRow | { total: string; dict_version: string | null; data_version: string | null; id: null }>(
      named(query, sql),
    );
    const current = rows[0]?.dict_version ?? '0';
    if (dictionary && current !== dictionary.version && retry) {
      // The words were planned against an older dictionary than the one the documents were read with.
      await dictionaries.refresh(current);
      return run(query, false);
    }
    const total = Number(rows[0]?.total ?? 0);
    const items = rows.filter((r): r is ItemRow => r.id !== null).map(toSearchItem);
    const version = rows[0]?.data_version;
    return { items, page: query.page, pageSize: query.pageSize, total, ...(version == null ? {} : { version }) };
  };

  const search = (query: SearchQuery): Promise<SearchPage> => run(query, true);

  return {
    kind: 'postgres',
    store,
    search,
    version: async () => (await pool.query<{ v: string }>('SELECT data_version::text AS v FROM search_meta')).rows[0]?.v,
    setup: () => withTransaction(pool, setupPgSearch),
    upsert: (docs) => withTransaction(pool, (db) => writeDocs(db, docs)),
    remove: (ids) =>
      withTransaction(pool, async (db) => {
        const sorted = [...ids].sort();
        const { rows } = await db.query<{ word: string }>(UNCOUNT_WORDS, [sorted]);
        await db.query('DELETE FROM search_events WHERE id = ANY($1::text[])', [sorted]);
        await db.query(BUMP_DATA);
        const dropped = rows.length > 0 ? ((await db.query(DROP_UNUSED_WORDS, [rows.map((r) => r.word)])).rowCount ?? 0) : 0;
        if (dropped > 0) await db.query(BUMP_DICTIONARY);
      }),
    reset: () => withTransaction(pool, resetPgSearch),
    ping: async () => {
      await pool.query('SELECT 1 FROM search_events LIMIT 0');
    },
    close: async () => {
      if (options.ownsPool) await pool.end();
    },
  };
};
