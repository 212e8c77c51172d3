import type pg from 'pg';
import {
  COUNT_WORDS,
  DROP_UNUSED_WORDS,
  REBUILD_WORDS,
  resetPgSearch,
  setupPgSearch,
  UNCOUNT_WORDS,
  UPDATE_STOCK,
  UPSERT_DOCS,
} from './pg-search-schema.js';
import { planWords, tsqueryText } from './pg-search-typos.js';
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
} from './search-index.js';

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
  await db.query(COUNT_WORDS, [ids]);
  if (uncounted.length > 0) await db.query(DROP_UNUSED_WORDS, [uncounted.map((u) => u.word)]);
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
};

const withTransaction = async <T>(pool: pg.Pool, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> => {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    const result = await fn(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    db.release();
  }
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
 * One statement, two scans: the exact total (which for a date window or a
 * category reads the partial indexes only) and the page, ordered with the id
 * as the last tie-break so pages are stable. `tsquery` undefined means no
 * keyword filter.
 */
export const buildSearchSql = (query: SearchQuery, tsquery: string | undefined): { text: string; values: unknown[] } => {
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
  let distance = 'NULL::double precision';
  if (query.near) {
    const origin = `ll_to_earth(${param(query.near.lat, 'float8')}, ${param(query.near.lng, 'float8')})`;
    const radius = param((query.radiusKm ?? DEFAULT_RADIUS_KM) * 1000, 'float8');
    distance = `earth_distance(${origin}, e.earth_point)`;
    where.push(`earth_box(${origin}, ${radius}) @> e.earth_point`, `${distance} <= ${radius}`);
  }
  let rank = '0::real';
  if (tsquery !== undefined) {
    const q = param(tsquery, 'tsquery');
    where.push(`e.document @@ ${q}`);
    rank = `ts_rank_cd(e.document, ${q})`;
  }
  const order =
    query.sort === 'relevance' && tsquery !== undefined
      ? ['rank DESC', 'starts_at', 'id']
      : query.sort === 'distance' && query.near
        ? ['distance_m', 'starts_at', 'id']
        : ['starts_at', 'id'];
  const filter = where.join(' AND ');
  const pageSize = Math.min(Math.max(1, Math.floor(query.pageSize)), MAX_PAGE_SIZE);
  const offset = Math.min((Math.max(1, Math.floor(query.page)) - 1) * pageSize, MAX_RESULT_WINDOW);
  const columns = `p.id, p.name, p.category, p.performers, p.starts_at, p.venue_id, p.venue_name, p.city, p.lat, p.lng,
      p.price_from, p.currency, p.available, p.capacity, p.status`;
  const keys = `e.id, e.starts_at, ${distance} AS distance_m, ${rank} AS rank`;
  const outerOrder = order.map((o) => `k.${o}`).join(', ');
  // By start time the page comes from the index in order and the total from the index alone: two
  // cheap scans. By relevance or distance every match needs its sort key anyway, so one scan
  // computes the keys (narrow rows), and the total and the page both come from it.
  const text =
    order[0] === 'starts_at'
      ? `SELECT t.total, k.distance_m, ${columns}
    FROM (SELECT count(*) AS total FROM search_events e WHERE ${filter}) t
    LEFT JOIN LATERAL (
      SELECT ${keys} FROM search_events e WHERE ${filter}
      ORDER BY ${order.join(', ')} LIMIT ${pageSize} OFFSET ${offset}
    ) k ON true
    LEFT JOIN search_events p ON p.id = k.id
    ORDER BY ${outerOrder}`
      : `WITH m AS MATERIALIZED (SELECT ${keys} FROM search_events e WHERE ${filter}),
      k AS (SELECT * FROM m ORDER BY ${order.join(', ')} LIMIT ${pageSize} OFFSET ${offset})
    SELECT t.total, k.distance_m, ${columns}
    FROM (SELECT count(*) AS total FROM m) t
    LEFT JOIN k ON true
    LEFT JOIN search_events p ON p.id = k.id
    ORDER BY ${outerOrder}`;
  return { text, values };
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
export const pgSearchIndex = (pool: pg.Pool, options: { ownsPool?: boolean } = {}): PgSearchIndex => {
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
      await writeDocs(db, docs.filter((d) => textChanged.has(d.id)));
      await writeStock(db, docs.filter((d) => !textChanged.has(d.id)));
    },
  };

  const search = async (query: SearchQuery): Promise<SearchPage> => {
    const words = queryWords(query.q);
    let tsquery: string | undefined;
    if (words.length > 0) {
      tsquery = tsqueryText(await planWords(pool, words));
      if (tsquery === undefined) return { items: [], page: query.page, pageSize: query.pageSize, total: 0 };
    }
    const sql = buildSearchSql(query, tsquery);
    const { rows } = await pool.query<ItemRow | { total: string; id: null }>(sql.text, sql.values);
    const total = Number(rows[0]?.total ?? 0);
    const items = rows.filter((r): r is ItemRow => r.id !== null).map(toSearchItem);
    return { items, page: query.page, pageSize: query.pageSize, total };
  };

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
        if (rows.length > 0) await db.query(DROP_UNUSED_WORDS, [rows.map((r) => r.word)]);
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
