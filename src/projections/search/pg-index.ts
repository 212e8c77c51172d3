import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../commands/platform/index.js';
import {
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
import { indexedPlans, planWords, tooBroadToRank, tsqueryText, wordPlanCache, type WordPlan } from './pg-typos.js';
import {
  DEFAULT_RADIUS_KM,
  MAX_PAGE_SIZE,
  MAX_RESULT_WINDOW,
  queryWords,
  roundKm,
  type EventDoc,
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
  const ids = rows.map((d) => d.id).sort();
  const { rows: uncounted } = await db.query<{ word: string }>(UNCOUNT_WORDS, [ids]);
  await db.query(UPSERT_DOCS, [JSON.stringify(rows.map(docRecord))]);
  const { rows: counted } = await db.query<{ added: boolean }>(COUNT_WORDS, [ids]);
  const dropped = uncounted.length > 0 ? ((await db.query(DROP_UNUSED_WORDS, [uncounted.map((u) => u.word)])).rowCount ?? 0) : 0;
  if (dropped > 0 || counted.some((c) => c.added)) await db.query(BUMP_DICTIONARY);
};

export const writeStock = async (db: pg.PoolClient, docs: readonly EventDoc[]): Promise<void> => {
  const rows = newestById(docs);
  if (rows.length > 0) await db.query(UPDATE_STOCK, [JSON.stringify(rows.map(docRecord))]);
};

/** For bulk loads: documents without dictionary upkeep, then rebuildDictionary once. */
export const insertDocsBulk = async (db: Db, docs: readonly EventDoc[]): Promise<void> => {
  const rows = newestById(docs);
  if (rows.length > 0) await db.query(UPSERT_DOCS, [JSON.stringify(rows.map(docRecord))]);
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
  distance_m: number | null;
  total: string;
  dict_version: string | null;
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
  ...(r.distance_m === null ? {} : { distanceKm: roundKm(r.distance_m / 1000) }),
});

/**
 * One statement: the total (exact up to `totalCap`, which by default is the
 * result window, so it is exactly what can be paged through) and the page,
 * ordered with the id as the last tie-break so pages are stable. `tsquery`
 * undefined means no keyword filter. Page size and offset are parameters, so
 * one prepared statement serves every page of a query shape.
 */
/** earthdistance's earth() unless someone redefined it: the radius ll_to_earth and gc_to_sec use. */
export const EARTH_RADIUS_M = 6_378_168;

/** ll_to_earth, computed here: the cube point for a latitude and longitude. */
export const earthPoint = (p: { readonly lat: number; readonly lng: number }, radius = EARTH_RADIUS_M): string => {
  const lat = p.lat * (Math.PI / 180);
  const lng = p.lng * (Math.PI / 180);
  return `(${radius * Math.cos(lat) * Math.cos(lng)}, ${radius * Math.cos(lat) * Math.sin(lng)}, ${radius * Math.sin(lat)})`;
};

/** gc_to_sec, computed here: the chord for a great-circle distance in metres. */
export const chordFor = (meters: number, radius = EARTH_RADIUS_M): number =>
  meters < 0 ? 0 : meters / radius > Math.PI ? 2 * radius : 2 * radius * Math.sin(meters / (2 * radius));

export type SearchSqlOptions = {
  /** Totals are exact up to this (default MAX_RESULT_WINDOW). */
  readonly totalCap?: number;
  /** The words to find rows by in the GIN index (see indexedPlans); default the whole tsquery. */
  readonly indexTsquery?: string;
  /** The database's earth(). */
  readonly earthRadius?: number;
};

export const buildSearchSql = (
  query: SearchQuery,
  tsquery: string | undefined,
  options: SearchSqlOptions = {},
): { text: string; values: unknown[] } => {
  const totalCap = options.totalCap ?? MAX_RESULT_WINDOW;
  const indexTsquery = options.indexTsquery ?? tsquery;
  const values: unknown[] = [];
  const param = (v: unknown, cast: string): string => {
    values.push(v);
    return `$${values.length}::${cast}`;
  };
  // A literal from a closed set, so the planner can use the partial indexes on status.
  const where: string[] = [`e.status = '${query.status === 'cancelled' ? 'cancelled' : 'scheduled'}'`];
  if (query.from) where.push(`e.starts_at >= ${param(query.from, 'timestamptz')}`);
  if (query.to) where.push(`e.starts_at < ${param(query.to, 'timestamptz')}`);
  if (query.category) where.push(`e.category = ${param(query.category, 'text')}`);
  if (query.venue) where.push(`e.venue_id = ${param(query.venue, 'text')}`);
  if (query.performer) where.push(`e.performer_ids @> ARRAY[${param(query.performer, 'text')}]`);
  // Distances are compared as chords (cube's <->, the straight line through the earth), which order
  // as great-circle distances do, against an origin and a chord computed here: earth_distance(),
  // ll_to_earth() and earth_box() are SQL functions, and evaluated per row (always for
  // earth_distance; in a generic plan for the others) they cost several times the rest of a radius
  // query. The great-circle distance is computed for the page only.
  let chord = 'NULL::double precision';
  let origin = '';
  let chordMax = '';
  if (query.near) {
    const radius = options.earthRadius ?? EARTH_RADIUS_M;
    origin = param(earthPoint(query.near, radius), 'cube');
    chordMax = param(chordFor((query.radiusKm ?? DEFAULT_RADIUS_KM) * 1000, radius), 'float8');
    chord = `(e.earth_point <-> ${origin})`;
    where.push(`${chord} <= ${chordMax}`);
  }
  const distance = query.near ? 'sec_to_gc(k.chord)' : 'NULL::double precision';
  let rank = '0::real';
  if (tsquery !== undefined) {
    const q = param(tsquery, 'tsquery');
    if (indexTsquery === undefined || indexTsquery === tsquery) where.push(`e.document @@ ${q}`);
    // ts_match_vq is @@ as a function, which the planner does not take to the index: the rarer
    // words find the rows, the whole query decides.
    else where.push(`e.document @@ ${param(indexTsquery, 'tsquery')}`, `ts_match_vq(e.document, ${q})`);
    rank = `ts_rank_cd(e.document, ${q})`;
  }
  const pageSize = Math.min(Math.max(1, Math.floor(query.pageSize)), MAX_PAGE_SIZE);
  const offset = Math.min((Math.max(1, Math.floor(query.page)) - 1) * pageSize, MAX_RESULT_WINDOW);
  const limit = param(pageSize, 'integer');
  const skip = param(offset, 'integer');
  const cap = param(Math.max(1, Math.floor(totalCap)), 'integer');
  const box = query.near ? ` AND cube_enlarge(${origin}, ${chordMax}, 3) @> e.earth_point` : '';
  const filter = where.join(' AND ') + box;
  const columns = `p.id, p.name, p.category, p.performers, p.starts_at, p.venue_id, p.venue_name, p.city, p.lat, p.lng,
      p.price_from, p.currency, p.available, p.capacity, p.status`;
  // Counting stops at the cap: a date window or a radius is counted from its index alone, and no
  // further than anyone can page.
  const cappedTotal = `SELECT count(*) AS total FROM (SELECT 1 FROM search_events e WHERE ${filter} LIMIT ${cap}) c`;
  const version = `(SELECT dict_version FROM search_meta) AS dict_version`;

  if (query.sort === 'relevance' && tsquery !== undefined) {
    // Every match needs its rank anyway: one scan computes the keys (narrow rows), and the total
    // and the page both come from it.
    return {
      text: `WITH m AS MATERIALIZED (SELECT e.id, e.starts_at, ${chord} AS chord, ${rank} AS rank FROM search_events e WHERE ${filter}),
      k AS (SELECT * FROM m ORDER BY rank DESC, starts_at, id LIMIT ${limit} OFFSET ${skip})
    SELECT least(t.total, ${cap}) AS total, ${version}, ${distance} AS distance_m, ${columns}
    FROM (SELECT count(*) AS total FROM m) t
    LEFT JOIN k ON true
    LEFT JOIN search_events p ON p.id = k.id
    ORDER BY k.rank DESC, k.starts_at, k.id`,
      values,
    };
  }

  if (query.sort === 'distance' && query.near) {
    // Nearest first straight from the GiST index (KNN on the chord, which orders as the great-circle
    // distance does), but PostgreSQL will not sort ties (one venue, many dates) by start time on top
    // of a KNN scan. So: the KNN scan finds the chord of the page's last row, then everything up to
    // that chord (a much smaller box; ties at the edge included) is sorted in full. An empty edge
    // means the matches end before the page does, and the whole radius is small enough to sort.
    // A metre of slack so rounding in the box never drops a point at exactly the edge's chord.
    const edgeBox = `cube_enlarge(${origin}, least((SELECT chord FROM edge) + 1, ${chordMax}), 3) @> e.earth_point`;
    return {
      text: `WITH edge AS MATERIALIZED (
        SELECT ${chord} AS chord FROM search_events e WHERE ${filter}
        ORDER BY ${chord} LIMIT 1 OFFSET ${limit} + ${skip} - 1),
      k AS (
        SELECT e.id, e.starts_at, ${chord} AS chord FROM search_events e
        WHERE ${where.join(' AND ')} AND ${edgeBox} AND ${chord} <= coalesce((SELECT chord FROM edge), 'Infinity'::float8)
        ORDER BY chord, e.starts_at, e.id LIMIT ${limit} OFFSET ${skip})
    SELECT t.total, ${version}, ${distance} AS distance_m, ${columns}
    FROM (${cappedTotal}) t
    LEFT JOIN k ON true
    LEFT JOIN search_events p ON p.id = k.id
    ORDER BY k.chord, k.starts_at, k.id`,
      values,
    };
  }

  // By start time the page comes from the index in order and the total from the index alone.
  return {
    text: `SELECT t.total, ${version}, ${distance} AS distance_m, ${columns}
    FROM (${cappedTotal}) t
    LEFT JOIN LATERAL (
      SELECT e.id, e.starts_at, ${chord} AS chord FROM search_events e WHERE ${filter}
      ORDER BY e.starts_at, e.id LIMIT ${limit} OFFSET ${skip}
    ) k ON true
    LEFT JOIN search_events p ON p.id = k.id
    ORDER BY k.starts_at, k.id`,
    values,
  };
};

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
    setup: setupPgSearch,
    reset: resetPgSearch,
    load: async (db, ids) => {
      const found = new Map<string, EventDoc>();
      if (ids.length === 0) return found;
      const { rows } = await db.query<DocRow>(
        `SELECT id, version, status, name, description, category, performers, starts_at, venue_id, venue_name, city, country,
           lat, lng, currency, sections, price_from, available, capacity
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
  const cache = wordPlanCache(options.wordPlanCacheSize ?? 10_000);
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

  /** Plans from the cache where it has them; the rest in one round trip (and then cached). */
  const plan = async (words: readonly string[]): Promise<{ plans: WordPlan[]; versions: Set<string> }> => {
    const last = words.length - 1;
    const plans: (WordPlan | undefined)[] = [];
    const versions = new Set<string>();
    const missing: number[] = [];
    words.forEach((word, i) => {
      const hit = cache.get(word, i === last);
      plans.push(hit?.plan);
      if (hit) versions.add(hit.version);
      else missing.push(i);
    });
    if (missing.length > 0) {
      const fresh = await planWords(
        pool,
        missing.map((i) => words[i] as string),
        missing.indexOf(last) + 1,
      );
      versions.add(fresh.version);
      missing.forEach((i, k) => {
        const p = fresh.plans[k] as WordPlan;
        plans[i] = p;
        // A word that resembles nothing is not kept: it must find the words indexed after it.
        if (p.prefix || p.alternatives.length > 0) cache.set(p.word, i === last, p, fresh.version);
      });
    }
    return { plans: plans as WordPlan[], versions };
  };

  const run = async (query: SearchQuery, retry: boolean): Promise<SearchPage> => {
    const empty = { items: [], page: query.page, pageSize: query.pageSize, total: 0 };
    const words = queryWords(query.q);
    let tsquery: string | undefined;
    let indexTsquery: string | undefined;
    let versions = new Set<string>();
    if (words.length > 0) {
      const planned = await plan(words);
      versions = planned.versions;
      tsquery = tsqueryText(planned.plans);
      // Only fresh plans are left without a tsquery (see plan), so this needs no version check.
      if (tsquery === undefined) return empty;
      indexTsquery = tsqueryText(indexedPlans(planned.plans));
      // "the", "company": ranking a quarter of the catalogue costs a second and tells little, so such
      // matches come by start time, as browsing does.
      if (query.sort === 'relevance' && tooBroadToRank(planned.plans)) query = { ...query, sort: 'startsAt' };
    }
    const sql = buildSearchSql(query, tsquery, {
      totalCap,
      ...(indexTsquery === undefined ? {} : { indexTsquery }),
      ...(query.near ? { earthRadius: await earthRadius() } : {}),
    });
    const { rows } = await pool.query<ItemRow | { total: string; dict_version: string | null; id: null }>(named(query, sql));
    const current = rows[0]?.dict_version ?? '';
    if (words.length > 0 && (versions.size !== 1 || !versions.has(current))) {
      // The dictionary changed since some of these corrections were made: make them again.
      cache.clear();
      if (retry) return run(query, false);
    }
    const total = Number(rows[0]?.total ?? 0);
    const items = rows.filter((r): r is ItemRow => r.id !== null).map(toSearchItem);
    return { items, page: query.page, pageSize: query.pageSize, total };
  };

  const search = (query: SearchQuery): Promise<SearchPage> => run(query, true);

  return {
    kind: 'postgres',
    store,
    search,
    setup: async () => {
      const db = await pool.connect();
      try {
        await setupPgSearch(db);
      } finally {
        db.release();
      }
    },
    upsert: (docs) => withTransaction(pool, (db) => writeDocs(db, docs)),
    remove: (ids) =>
      withTransaction(pool, async (db) => {
        const sorted = [...ids].sort();
        const { rows } = await db.query<{ word: string }>(UNCOUNT_WORDS, [sorted]);
        await db.query('DELETE FROM search_events WHERE id = ANY($1::text[])', [sorted]);
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
