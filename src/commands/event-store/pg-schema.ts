import type { Migration } from '../platform/index.js';

/**
 * The event store lives in its own schema so that read models may call a table
 * `events` (ticketed events) without a clash.
 */
export const EVENT_STORE_NAMESPACE = 'event_store';
export const EVENTS_CHANNEL = 'marquee_event_store';
/** SQLSTATE raised by event_store.append when the expected version does not match; DETAIL holds the actual version. */
export const WRONG_EXPECTED_VERSION_SQLSTATE = 'MQ409';

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

-- One statement per append: the stream row lock serializes appends to a stream,
-- the unique (stream, version) index is the last line of defence.
CREATE FUNCTION event_store.append(p_stream text, p_expected text, p_events jsonb, p_notify boolean)
RETURNS TABLE (next_version int, commit_id text, last_sequence bigint)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  cur int;
  n int := jsonb_array_length(p_events);
  last_seq bigint;
BEGIN
  SELECT s.version INTO cur FROM event_store.streams s WHERE s.stream = p_stream FOR UPDATE;
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
`,
  },
];
