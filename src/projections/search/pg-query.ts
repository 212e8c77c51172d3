import { DEFAULT_RADIUS_KM, MAX_PAGE_SIZE, MAX_RESULT_WINDOW, type SearchQuery } from './port.js';

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
  if (query.eventIds) where.push(`e.id = ANY(${param(query.eventIds, 'text[]')})`);
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
      p.price_from, p.currency, p.available, p.capacity, p.status, p.production`;
  // Counting stops at the cap: a date window or a radius is counted from its index alone, and no
  // further than anyone can page.
  const cappedTotal = `SELECT count(*) AS total FROM (SELECT 1 FROM search_events e WHERE ${filter} LIMIT ${cap}) c`;
  const version = `(SELECT dict_version FROM search_meta) AS dict_version, (SELECT data_version FROM search_meta) AS data_version`;

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
