import type pg from 'pg';

/**
 * The PostgreSQL search tables. `search_events` holds one row per ticketed
 * event with a weighted tsvector (A: name and performers, B: venue and city,
 * C: description; 'simple' configuration over unaccented text, so names are
 * never stemmed into something else), a point on the earth for radius queries
 * and the stock the projection keeps current. `search_words` is the dictionary
 * of indexed words that typo correction matches query words against (read
 * whole into memory by each reader, see pg-dictionary.ts).
 */

// Any constant works: it only keeps two processes from creating the extensions at once.
const SETUP_LOCK = 0x5ea4c4;

const extensionSchema = async (db: pg.PoolClient | pg.Pool, name: string): Promise<string> => {
  const { rows } = await db.query<{ schema: string }>(
    `SELECT quote_ident(n.nspname) AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1`,
    [name],
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new Error(`PostgreSQL extension ${name} is not installed`);
  return schema;
};

/** In the caller's transaction: the lock is held until it ends. */
export const setupPgSearch = async (db: pg.PoolClient): Promise<void> => {
  await db.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
  for (const ext of ['cube', 'earthdistance', 'unaccent']) {
    try {
      await db.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
    } catch (error) {
      throw new Error(
        `search needs the PostgreSQL extension ${ext} (contrib; CREATE EXTENSION ${ext}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  const unaccent = await extensionSchema(db, 'unaccent');
  // unaccent() is only STABLE (it reads a dictionary by name); pinned to one dictionary and schema it is safe to index.
  await db.query(`CREATE OR REPLACE FUNCTION search_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $fn$ SELECT ${unaccent}.unaccent('${unaccent}.unaccent'::regdictionary, $1) $fn$`);
  // Room on each page for stock updates (holds, sales) to stay heap-only: they touch no indexed column.
  await db.query(`CREATE TABLE IF NOT EXISTS search_events (
    id text PRIMARY KEY,
    version integer NOT NULL,
    status text NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    category text NOT NULL,
    performers jsonb NOT NULL,
    performer_ids text[] NOT NULL,
    starts_at timestamptz NOT NULL,
    venue_id text NOT NULL,
    venue_name text NOT NULL,
    city text NOT NULL,
    country text NOT NULL,
    lat double precision NOT NULL,
    lng double precision NOT NULL,
    earth_point earth NOT NULL,
    currency text NOT NULL,
    sections jsonb NOT NULL,
    price_from integer NOT NULL,
    available integer NOT NULL,
    capacity integer NOT NULL,
    document tsvector NOT NULL,
    production jsonb
  ) WITH (fillfactor = 90)`);
  const hasProduction = await db.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = 'search_events'::regclass AND attname = 'production' AND NOT attisdropped`,
  );
  if (hasProduction.rowCount === 0) {
    // Documents written before items carried their production: the productions read model has it
    // for every showtime, projected from the same EventScheduled.
    await db.query(`ALTER TABLE search_events ADD COLUMN production jsonb`);
    const showtimes = await db.query<{ present: boolean }>(`SELECT to_regclass('production_showtimes') IS NOT NULL AS present`);
    if (showtimes.rows[0]?.present)
      await db.query(`UPDATE search_events e SET production = jsonb_build_object('id', p.production_id, 'name', p.production_name)
        FROM production_showtimes p WHERE p.event_id = e.id`);
  }
  // GIN collects new entries in a pending list that every search reads through until it is merged:
  // by default up to 4 MB (500 pages, a millisecond or more per search). Kept to 128 kB.
  await db.query(
    `CREATE INDEX IF NOT EXISTS search_events_document ON search_events USING gin (document) WITH (gin_pending_list_limit = 128)`,
  );
  // Partial on what browsing shows and covering the sort keys, so a radius, a date window or a
  // category is counted and ordered from the index alone; the page's rows are read afterwards.
  await db.query(`CREATE INDEX IF NOT EXISTS search_events_earth ON search_events USING gist (earth_point)
    INCLUDE (starts_at, id) WHERE status = 'scheduled'`);
  await db.query(`CREATE INDEX IF NOT EXISTS search_events_starts ON search_events (starts_at, id) WHERE status = 'scheduled'`);
  await db.query(`CREATE INDEX IF NOT EXISTS search_events_category ON search_events (category, starts_at, id) WHERE status = 'scheduled'`);
  await db.query(`CREATE INDEX IF NOT EXISTS search_events_venue ON search_events (venue_id, starts_at)`);
  await db.query(
    `CREATE INDEX IF NOT EXISTS search_events_performers ON search_events USING gin (performer_ids) WITH (gin_pending_list_limit = 128)`,
  );
  // Indexes made before the limit get it once (as the fillfactor below: no lock on every start).
  const unlimited = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.oid IN ('search_events_document'::regclass, 'search_events_performers'::regclass)
       AND NOT coalesce('gin_pending_list_limit=128' = ANY(c.reloptions), false)`,
  );
  for (const { name } of unlimited.rows)
    await db.query(
      `ALTER INDEX ${name === 'search_events_document' ? 'search_events_document' : 'search_events_performers'} SET (gin_pending_list_limit = 128)`,
    );
  // Every batch of new documents bumps thousands of frequencies: room on each page keeps those
  // updates heap-only, instead of each one adding an entry to the primary key.
  await db.query(`CREATE TABLE IF NOT EXISTS search_words (
    word text PRIMARY KEY,
    frequency integer NOT NULL
  ) WITH (fillfactor = 50)`);
  // Tables made before the fillfactor get it once. ALTER TABLE takes an exclusive lock even when it changes
  // nothing, which a process starting beside a running projector must not take on every start.
  const words = await db.query<{ set: boolean }>(
    `SELECT coalesce('fillfactor=50' = ANY(reloptions), false) AS set FROM pg_class WHERE oid = 'search_words'::regclass`,
  );
  if (!words.rows[0]?.set) await db.query(`ALTER TABLE search_words SET (fillfactor = 50)`);
  // Typo correction reads the whole dictionary into memory (pg-dictionary.ts); the trigram and
  // byte-order indexes that lookups in PostgreSQL used only slow the word counts down now.
  for (const index of ['search_words_trgm', 'search_words_bytes']) {
    const present = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [index]);
    if (present.rows[0]?.present) await db.query(`DROP INDEX ${index}`);
  }
  // Bumped whenever the set of indexed words changes, so readers know when their cached typo
  // corrections are stale (one row: read in the same statement as each search).
  await db.query(`CREATE TABLE IF NOT EXISTS search_meta (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    dict_version bigint NOT NULL
  )`);
  // data_version: bumped by every write of documents, in the writing transaction (ETags).
  const column = await db.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = 'search_meta'::regclass AND attname = 'data_version' AND NOT attisdropped`,
  );
  if (column.rowCount === 0) await db.query(`ALTER TABLE search_meta ADD COLUMN IF NOT EXISTS data_version bigint NOT NULL DEFAULT 1`);
  await db.query(`INSERT INTO search_meta (dict_version) VALUES (1) ON CONFLICT DO NOTHING`);
};

export const resetPgSearch = async (db: pg.PoolClient): Promise<void> => {
  await db.query('TRUNCATE search_events, search_words');
  await db.query(BUMP_DICTIONARY);
  await db.query(BUMP_DATA);
};

/** Some documents changed: answers read before are stale. */
export const BUMP_DATA = `UPDATE search_meta SET data_version = data_version + 1`;

/** The dictionary's set of words changed: cached corrections must be made again. */
export const BUMP_DICTIONARY = `UPDATE search_meta SET dict_version = dict_version + 1`;

/** The columns a document is written from, as one JSON record per row (see docRecord). */
const COLUMNS = `(id text, version integer, status text, name text, description text, category text, performers jsonb,
  starts_at timestamptz, venue_id text, venue_name text, city text, country text, lat double precision,
  lng double precision, currency text, sections jsonb, price_from integer, available integer, capacity integer, production jsonb)`;

const DOCUMENT = `
  setweight(to_tsvector('simple', search_unaccent(d.name || ' ' || d.performer_names)), 'A') ||
  setweight(to_tsvector('simple', search_unaccent(d.venue_name || ' ' || d.city)), 'B') ||
  setweight(to_tsvector('simple', search_unaccent(left(d.description, 4000))), 'C')`;

/** Inserts or replaces whole documents from $1 (a JSON array of records); older versions never overwrite newer ones. */
export const UPSERT_DOCS = `
  WITH d AS (
    SELECT r.*,
      ARRAY(SELECT p->>'id' FROM jsonb_array_elements(r.performers) p) AS performer_ids,
      coalesce((SELECT string_agg(p->>'name', ' ') FROM jsonb_array_elements(r.performers) p), '') AS performer_names
    FROM jsonb_to_recordset($1::jsonb) AS r${COLUMNS}
  )
  INSERT INTO search_events AS e (id, version, status, name, description, category, performers, performer_ids, starts_at,
    venue_id, venue_name, city, country, lat, lng, earth_point, currency, sections, price_from, available, capacity, document,
    production)
  SELECT d.id, d.version, d.status, d.name, d.description, d.category, d.performers, d.performer_ids, d.starts_at,
    d.venue_id, d.venue_name, d.city, d.country, d.lat, d.lng, ll_to_earth(d.lat, d.lng), d.currency, d.sections,
    d.price_from, d.available, d.capacity, ${DOCUMENT}, d.production
  FROM d
  ON CONFLICT (id) DO UPDATE SET version = excluded.version, status = excluded.status, name = excluded.name,
    description = excluded.description, category = excluded.category, performers = excluded.performers,
    performer_ids = excluded.performer_ids, starts_at = excluded.starts_at, venue_id = excluded.venue_id,
    venue_name = excluded.venue_name, city = excluded.city, country = excluded.country, lat = excluded.lat,
    lng = excluded.lng, earth_point = excluded.earth_point, currency = excluded.currency, sections = excluded.sections,
    price_from = excluded.price_from, available = excluded.available, capacity = excluded.capacity,
    document = excluded.document, production = excluded.production
  WHERE e.version < excluded.version`;

/** Stock and status only: the text (and so the dictionary) is untouched. */
export const UPDATE_STOCK = `
  UPDATE search_events AS e SET version = d.version, status = d.status, sections = d.sections,
    price_from = d.price_from, available = d.available, capacity = d.capacity
  FROM jsonb_to_recordset($1::jsonb) AS d${COLUMNS}
  WHERE e.id = d.id AND e.version < d.version`;

const WORDS_OF = `SELECT w AS word, count(*)::integer AS n
  FROM search_events e, unnest(tsvector_to_array(e.document)) w WHERE e.id = ANY($1::text[]) GROUP BY w ORDER BY w`;

/** Run before rewriting the text of these documents ... */
export const UNCOUNT_WORDS = `UPDATE search_words s SET frequency = s.frequency - o.n FROM (${WORDS_OF}) o
  WHERE s.word = o.word RETURNING s.word`;

/** ... and this after, then DROP_UNUSED_WORDS. */
export const COUNT_WORDS = `INSERT INTO search_words (word, frequency) ${WORDS_OF}
  ON CONFLICT (word) DO UPDATE SET frequency = search_words.frequency + excluded.frequency
  RETURNING (xmax = 0) AS added`;

/** $1: the words UNCOUNT_WORDS returned. */
export const DROP_UNUSED_WORDS = `DELETE FROM search_words WHERE word = ANY($1::text[]) AND frequency <= 0`;

/** The whole dictionary from the documents, for bulk loads. */
export const REBUILD_WORDS = `
  WITH counted AS (
    SELECT w AS word, count(*)::integer AS n FROM search_events e, unnest(tsvector_to_array(e.document)) w GROUP BY w
  )
  INSERT INTO search_words (word, frequency) SELECT word, n FROM counted
  ON CONFLICT (word) DO UPDATE SET frequency = excluded.frequency`;
