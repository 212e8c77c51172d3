import type { Migration } from '../platform/index.js';

/**
 * The event store lives in its own schema so that read models may call a table
 * `events` (ticketed events) without a clash.
 */
export const EVENT_STORE_NAMESPACE = 'event_store';
export const EVENTS_CHANNEL = 'marquee_event_store';
/** SQLSTATE raised by event_store.append when the expected version does not match; DETAIL holds the actual version. */
export const WRONG_EXPECTED_VERSION_SQLSTATE = 'MQ409';

/**
 * Every transaction that writes events holds this shared advisory lock (the two-key form: class "MQ",
 * key "LOG") from before it has a transaction id until it ends, so that readers can tell event writers
 * from the other transactions in flight anywhere on the server (see LOG_HORIZON).
 */
export const EVENT_WRITER_LOCK = { classId: 0x4d51, objId: 0x4c4f47 } as const;

const appendFunction = ({ replace, declareWriter }: { replace: boolean; declareWriter: boolean }): string => `
-- One statement per append: the stream row lock serializes appends to a stream,
-- the unique (stream, version) index is the last line of defence.
${replace ? 'CREATE OR REPLACE' : 'CREATE'} FUNCTION event_store.append(p_stream text, p_expected text, p_events jsonb, p_notify boolean)
RETURNS TABLE (next_version int, commit_id text, last_sequence bigint)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  cur int;
  n int := jsonb_array_length(p_events);
  last_seq bigint;
BEGIN
${declareWriter ? '  PERFORM event_store.declare_writer();\n' : ''}  SELECT s.version INTO cur FROM event_store.streams s WHERE s.stream = p_stream FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO event_store.streams (stream, version) VALUES (p_stream, -1) ON CONFLICT (stream) DO NOTHING;
    SELECT s.version INTO cur FROM event_store.streams s WHERE s.stream = p_stream FOR UPDATE;
  END IF;

  IF NOT (CASE p_expected
            WHEN 'any' THEN true
            WHEN 'no_stream' THEN cur = -1
            WHEN 'exists' THEN cur >= 0
            ELSE cur = p_expected::int
          END) THEN
    RAISE EXCEPTION USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}',
      MESSAGE = format('stream %s: wrong expected version %s', p_stream, p_expected),
      DETAIL = cur::text;
  END IF;

  IF n = 0 THEN
    RETURN QUERY SELECT cur, e.transaction_id::text, e.sequence
      FROM event_store.events e WHERE e.stream = p_stream AND e.version = cur;
    IF NOT FOUND THEN
      RETURN QUERY SELECT cur, NULL::text, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  WITH inserted AS (
    INSERT INTO event_store.events (stream, version, id, type, data, metadata, recorded_at)
    SELECT p_stream, cur + e.ord::int, (e.value->>'id')::uuid, e.value->>'type',
           coalesce(e.value->'data', 'null'::jsonb), coalesce(e.value->'metadata', '{}'::jsonb),
           coalesce((e.value->>'recordedAt')::timestamptz, now())
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
    ORDER BY e.ord
    RETURNING sequence
  )
  SELECT max(i.sequence) INTO last_seq FROM inserted i;

  UPDATE event_store.streams s SET version = cur + n WHERE s.stream = p_stream;

  IF p_notify THEN
    PERFORM pg_notify('${EVENTS_CHANNEL}', '');
  END IF;

  RETURN QUERY SELECT cur + n, pg_current_xact_id()::text, last_seq;
END
$fn$;
`;

/**
 * The log's horizon in the statement's own snapshot: the oldest transaction in flight that writes (or
 * may still write) events, else the snapshot's xmax. A transaction in flight that is not an event writer
 * (a read model's batch, another database's long load) does not hold the log back; one that ended
 * between the snapshot and the look at the lock table is counted, since its events may be invisible to
 * this snapshot. Transaction ids in pg_locks are 32-bit: compared modulo 2^32.
 */
export const LOG_HORIZON = `
  SELECT coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(snap.s) AS x
     WHERE NOT EXISTS (
       SELECT 1 FROM pg_locks own
       WHERE own.locktype = 'transactionid' AND own.mode = 'ExclusiveLock' AND own.granted
         AND own.transactionid::text::bigint = x::text::bigint % 4294967296
         AND NOT EXISTS (
           SELECT 1 FROM pg_locks w
           WHERE w.locktype = 'advisory' AND w.virtualtransaction = own.virtualtransaction
             AND w.classid = ${EVENT_WRITER_LOCK.classId} AND w.objid = ${EVENT_WRITER_LOCK.objId} AND w.objsubid = 2))),
    pg_snapshot_xmax(snap.s)) AS xmin
  FROM (SELECT pg_current_snapshot() AS s) snap`;

export const eventStoreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events and streams',
    sql: `
CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE event_store.events (
  sequence bigserial PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream text NOT NULL,
  version int NOT NULL,
  id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream, version)
);
CREATE INDEX events_position ON event_store.events (transaction_id, sequence);

CREATE TABLE event_store.streams (
  stream text PRIMARY KEY,
  version int NOT NULL
);

${appendFunction({ replace: false, declareWriter: false })}`,
  },
  {
    version: 2,
    name: 'event writers declare themselves',
    sql: `
-- First in every transaction that appends: takes the shared writer lock before the transaction has
-- an id, and refuses a transaction that wrote something else first (its id could be older than
-- where readers already are).
CREATE FUNCTION event_store.declare_writer() RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF current_setting('marquee.event_writer', true) IS DISTINCT FROM 'on' THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'event_store: appending must be the first write of a transaction';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(${EVENT_WRITER_LOCK.classId}, ${EVENT_WRITER_LOCK.objId});
    PERFORM set_config('marquee.event_writer', 'on', true);
  END IF;
END
$fn$;

-- Any other way of writing the log (a bulk load, a hand edit) declares itself too, or fails loudly.
CREATE FUNCTION event_store.writer_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM event_store.declare_writer();
  RETURN NULL;
END
$fn$;
CREATE TRIGGER events_writer BEFORE INSERT OR UPDATE ON event_store.events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store.writer_guard();
CREATE TRIGGER streams_writer BEFORE INSERT OR UPDATE ON event_store.streams
  FOR EACH STATEMENT EXECUTE FUNCTION event_store.writer_guard();
${appendFunction({ replace: true, declareWriter: true })}`,
  },
  {
    version: 3,
    name: 'pages read after the horizon',
    sql: `
-- The horizon is taken first, the page after it, in a snapshot of its own: a writer that the look at
-- the lock table missed (it was releasing its locks as it committed) has committed by then, so its
-- events are in the page. One snapshot for both (a single statement) could skip them.
CREATE FUNCTION event_store.read_page(p_commit xid8, p_sequence bigint, p_patterns text[], p_limit int)
RETURNS TABLE (sequence text, commit text, stream text, version int, id text, type text, data jsonb,
               metadata jsonb, recorded_at timestamptz, head_commit text, head_sequence text)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
DECLARE
  h xid8;
BEGIN
  IF current_setting('transaction_isolation') = 'read committed' THEN
    SELECT hz.xmin INTO h FROM (${LOG_HORIZON}) hz;
  ELSE
    -- One snapshot for the whole transaction: only the oldest transaction on the server is safe.
    h := pg_snapshot_xmin(pg_current_snapshot());
  END IF;
  RETURN QUERY
    WITH page AS (
      SELECT e.sequence::text AS sequence, e.transaction_id::text AS commit, e.stream, e.version, e.id::text AS id,
             e.type, e.data, e.metadata, e.recorded_at, e.transaction_id AS t, e.sequence AS s
      FROM event_store.events e
      WHERE e.transaction_id < h
        AND (e.transaction_id, e.sequence) > (p_commit, p_sequence)
        AND (p_patterns IS NULL OR e.stream LIKE ANY (p_patterns))
      ORDER BY e.transaction_id, e.sequence
      LIMIT p_limit
    ),
    head AS (
      SELECT e.transaction_id::text AS head_commit, e.sequence::text AS head_sequence
      FROM event_store.events e
      WHERE e.transaction_id < h
      ORDER BY e.transaction_id DESC, e.sequence DESC
      LIMIT 1
    )
    SELECT p.sequence, p.commit, p.stream, p.version, p.id, p.type, p.data, p.metadata, p.recorded_at,
           head.head_commit, head.head_sequence
    FROM head LEFT JOIN page p ON true
    ORDER BY p.t, p.s;
END
$fn$;
`,
  },
];
