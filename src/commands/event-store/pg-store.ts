import { randomUUID } from 'node:crypto';
import { createPgPool, isUuid, migrate, withTransaction, type ConnectionLog } from '../platform/index.js';
import type {
  AllSubscription,
  AppendManyOptions,
  AppendManyResult,
  AppendResult,
  EventDecoder,
  EventMetadata,
  EventShape,
  EventStore,
  ExpectedVersion,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
} from './port.js';
import { comparePositions, WrongExpectedVersionError } from './port.js';
import { EVENT_STORE_NAMESPACE, EVENTS_CHANNEL, WRONG_EXPECTED_VERSION_SQLSTATE, eventStoreMigrations } from './pg-schema.js';
import type { Page } from './pg-subscription.js';
import { listenForAppends, pollingSubscription } from './pg-subscription.js';
import { createTail } from './pg-tail.js';

export type PgEventStoreOptions<E extends EventShape> = {
  /** How stored JSON becomes E: `domainEvent` for Marquee's own log, `anyEvent` for tools that copy it as stored. */
  readonly decode: EventDecoder<E>;
  readonly connectionString: string;
  /** Pool size; default 10. */
  readonly poolMax?: number;
  /** NOTIFY subscribers in every append (default true); subscriptions poll either way. */
  readonly notify?: boolean;
  /** How often a live subscription polls when no notification arrives; default 300 ms. */
  readonly pollMs?: number;
  /**
   * Live subscriptions read at most this often (default 50 ms): a hot stream notifies on
   * every append, and reading per notification costs every subscriber a query per append.
   */
  readonly coalesceMs?: number;
  /** Recent events kept in memory for the live subscriptions to share (one read of the tail for all); default 5,000. */
  readonly tailCapacity?: number;
  /** Where lost connections are reported (they are replaced either way). */
  readonly log?: ConnectionLog;
};

const SUBSCRIPTION_PAGE = 500;

const furthest = (a: LogPosition | undefined, b: LogPosition | undefined): LogPosition | undefined =>
  a === undefined ? b : b === undefined || comparePositions(a, b) >= 0 ? a : b;

type EventRow = {
  sequence: string;
  commit: string;
  stream: string;
  version: number;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata | null;
  recorded_at: Date;
};

const EVENT_COLUMNS = `sequence::text AS sequence, transaction_id::text AS commit, stream, version, id::text AS id,
  type, data, metadata, recorded_at`;

const toRecorded = <E extends EventShape>(r: EventRow, decode: EventDecoder<E>): RecordedEvent<E> => ({
  ...decode(r.type, r.data),
  id: r.id,
  stream: r.stream,
  version: r.version,
  position: { commit: BigInt(r.commit), prepare: BigInt(r.sequence) },
  metadata: r.metadata ?? {},
  recordedAt: r.recorded_at,
});

const expectedParam = (stream: string, expected: ExpectedVersion): string => {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < -1)
      throw new RangeError(`stream ${stream}: expected version ${expected} must be an integer >= -1`);
    return expected === -1 ? 'no_stream' : String(expected);
  }
  switch (expected) {
    case 'any':
    case 'no_stream':
    case 'exists':
      return expected;
    default: {
      const _: never = expected;
      throw new RangeError(`stream ${stream}: unknown expected version ${String(_)}`);
    }
  }
};

const eventRecords = <E extends EventShape>(stream: string, events: readonly NewEvent<E>[]) =>
  events.map((e, i) => {
    if (typeof e.type !== 'string' || e.type === '') throw new TypeError(`stream ${stream}: event ${i} has no type`);
    if (e.id !== undefined && !isUuid(e.id)) throw new TypeError(`stream ${stream}: event id ${e.id} is not a UUID`);
    return {
      id: e.id ?? randomUUID(),
      type: e.type,
      data: e.data ?? null,
      metadata: e.metadata ?? {},
      recordedAt: e.recordedAt?.toISOString(),
    };
  });

const eventsParam = <E extends EventShape>(stream: string, events: readonly NewEvent<E>[]): string =>
  JSON.stringify(eventRecords(stream, events));

/** Whether a stream at version `current` (-1: no events) meets the expectation. */
const meets = (expected: ExpectedVersion, current: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'exists':
      return current >= 0;
    default:
      return current === expected;
  }
};

/** LIKE patterns matching names that start with each prefix. */
const prefixPatterns = (prefixes: readonly string[] | undefined): string[] | null => {
  if (prefixes === undefined) return null;
  if (prefixes.length === 0) throw new RangeError('streamPrefixes must name at least one prefix (omit it for every stream)');
  return prefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`);
};

const checkMaxCount = (maxCount: number): void => {
  if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount ${maxCount} must be a positive integer`);
};

const describeServer = (connectionString: string): string => {
  try {
    const u = new URL(connectionString);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
};

/**
 * The PostgreSQL event store. Global order is (transaction id, sequence), and
 * readers never pass the oldest event-writing transaction still in flight, so an
 * event that commits late is never skipped, while other transactions on the
 * server (read models, other databases) do not hold the log back.
 */
export const openPgEventStore = async <E extends EventShape>(options: PgEventStoreOptions<E>): Promise<EventStore<E>> => {
  const { connectionString, decode } = options;
  const notify = options.notify ?? true;
  const pollMs = options.pollMs ?? 300;
  const pool = createPgPool({ connectionString, max: options.poolMax ?? 10, application_name: 'marquee-event-store' }, options.log);
  try {
    await migrate(pool, EVENT_STORE_NAMESPACE, eventStoreMigrations);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`event store: cannot prepare PostgreSQL at ${describeServer(connectionString)}: ${(e as Error).message}`, {
      cause: e,
    });
  }

  const currentVersion = async (stream: string): Promise<number> => {
    const r = await pool.query<{ version: number }>('SELECT version FROM event_store.streams WHERE stream = $1', [stream]);
    return r.rows[0]?.version ?? -1;
  };

  const append = async (
    stream: string,
    events: readonly NewEvent<E>[],
    { expectedVersion }: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> => {
    if (typeof stream !== 'string' || stream === '') throw new TypeError('stream name must be a non-empty string');
    const expected = expectedParam(stream, expectedVersion);
    const payload = eventsParam(stream, events);
    try {
      const r = await pool.query<{ next_version: number; commit_id: string | null; last_sequence: string | null }>(
        'SELECT next_version, commit_id, last_sequence::text AS last_sequence FROM event_store.append($1, $2, $3::jsonb, $4)',
        [stream, expected, payload, notify],
      );
      const row = r.rows[0];
      if (!row) throw new Error(`stream ${stream}: append returned nothing`);
      return {
        nextExpectedVersion: row.next_version,
        position: { commit: BigInt(row.commit_id ?? 0), prepare: BigInt(row.last_sequence ?? 0) },
      };
    } catch (e) {
      const err = e as { code?: string; detail?: string; constraint?: string };
      if (err.code === WRONG_EXPECTED_VERSION_SQLSTATE) throw new WrongExpectedVersionError(stream, expectedVersion, Number(err.detail));
      if (err.code === '23505' && err.constraint === 'events_stream_version_key')
        throw new WrongExpectedVersionError(stream, expectedVersion, await currentVersion(stream).catch(() => undefined));
      throw e;
    }
  };

  // One transaction for every stream: the stream rows are created where missing and locked in name
  // order (so two bulk loads never deadlock), checked, then all events go in with one INSERT in the
  // order given, which is their order in the log.
  const appendMany = async (appends: readonly StreamAppend<E>[], opts: AppendManyOptions = {}): Promise<AppendManyResult> => {
    const names = new Set<string>();
    for (const a of appends) {
      if (typeof a.stream !== 'string' || a.stream === '') throw new TypeError('stream name must be a non-empty string');
      if (names.has(a.stream)) throw new RangeError(`stream ${a.stream} appears twice in one appendMany`);
      names.add(a.stream);
      expectedParam(a.stream, a.expectedVersion);
    }
    const streams = [...names].sort();
    if (streams.length === 0) return { position: undefined, skipped: [] };
    return withTransaction(pool, async (db) => {
      await db.query(
        `INSERT INTO event_store.streams (stream, version) SELECT s, -1 FROM unnest($1::text[]) AS s ORDER BY s ON CONFLICT (stream) DO NOTHING`,
        [streams],
      );
      const locked = await db.query<{ stream: string; version: number }>(
        `SELECT stream, version FROM event_store.streams WHERE stream = ANY($1::text[]) ORDER BY stream FOR UPDATE`,
        [streams],
      );
      const current = new Map(locked.rows.map((r) => [r.stream, r.version]));
      const skipped: string[] = [];
      const rows: unknown[] = [];
      const versions: { stream: string; version: number }[] = [];
      for (const a of appends) {
        const cur = current.get(a.stream) ?? -1;
        if (!meets(a.expectedVersion, cur)) {
          if (opts.onWrongVersion === 'skip') {
            skipped.push(a.stream);
            continue;
          }
          throw new WrongExpectedVersionError(a.stream, a.expectedVersion, cur);
        }
        if (a.events.length === 0) continue;
        eventRecords(a.stream, a.events).forEach((e, i) => rows.push({ ...e, stream: a.stream, version: cur + 1 + i }));
        versions.push({ stream: a.stream, version: cur + a.events.length });
      }
      if (rows.length === 0) return { position: undefined, skipped };
      const inserted = await db.query<{ last: string; commit: string }>(
        `WITH inserted AS (
           INSERT INTO event_store.events (stream, version, id, type, data, metadata, recorded_at)
           SELECT e.value->>'stream', (e.value->>'version')::int, (e.value->>'id')::uuid, e.value->>'type',
                  coalesce(e.value->'data', 'null'::jsonb), coalesce(e.value->'metadata', '{}'::jsonb),
                  coalesce((e.value->>'recordedAt')::timestamptz, now())
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord)
           ORDER BY e.ord
           RETURNING sequence
         )
         SELECT max(sequence)::text AS last, pg_current_xact_id()::text AS commit FROM inserted`,
        [JSON.stringify(rows)],
      );
      await db.query(`UPDATE event_store.streams s SET version = x.v FROM unnest($1::text[], $2::int[]) AS x(s, v) WHERE s.stream = x.s`, [
        versions.map((v) => v.stream),
        versions.map((v) => v.version),
      ]);
      if (notify) await db.query(`SELECT pg_notify($1, '')`, [EVENTS_CHANNEL]);
      const row = inserted.rows[0];
      return { position: row ? { commit: BigInt(row.commit), prepare: BigInt(row.last) } : undefined, skipped };
    });
  };

  const readStream = async (stream: string, opts: { fromVersion?: number } = {}): Promise<RecordedEvent<E>[]> => {
    const from = opts.fromVersion ?? 0;
    if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`fromVersion ${from} must be an integer >= 0`);
    const r = await pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE stream = $1 AND version >= $2 ORDER BY version`,
      [stream, from],
    );
    return r.rows.map((row) => toRecorded(row, decode));
  };

  // The page and how far the scan safely got, read after the horizon (see event_store.read_page).
  const readPage = async (after: LogPosition | undefined, maxCount: number, patterns: string[] | null): Promise<Page<E>> => {
    const r = await pool.query<EventRow & { head_commit: string | null; head_sequence: string | null }>(
      'SELECT * FROM event_store.read_page($1::text::xid8, $2::bigint, $3::text[], $4)',
      [String(after?.commit ?? 0n), String(after?.prepare ?? 0n), patterns, maxCount],
    );
    const first = r.rows[0];
    const scannedTo =
      first?.head_commit != null && first.head_sequence != null
        ? { commit: BigInt(first.head_commit), prepare: BigInt(first.head_sequence) }
        : undefined;
    const events = r.rows.filter((row) => row.sequence !== null).map((row) => toRecorded(row, decode));
    return { events, scannedTo };
  };

  const readAll = async (opts: ReadAllOptions): Promise<RecordedEvent<E>[]> => {
    checkMaxCount(opts.maxCount);
    return (await readPage(opts.after, opts.maxCount, prefixPatterns(opts.streamPrefixes))).events;
  };

  const tail = createTail<E>({
    readPage: (after, maxCount) => readPage(after, maxCount, null),
    capacity: options.tailCapacity ?? 5_000,
    pageSize: SUBSCRIPTION_PAGE,
  });
  const wakeups = listenForAppends(connectionString, EVENTS_CHANNEL);
  const subscriptions = new Set<AllSubscription<E>>();
  let closed = false;

  const subscribeToAll = (opts: { after?: LogPosition; streamPrefixes?: readonly string[] } = {}): AllSubscription<E> => {
    if (closed) throw new Error('event store is closed');
    const patterns = prefixPatterns(opts.streamPrefixes);
    const prefixes = opts.streamPrefixes;
    const matches = prefixes ? (stream: string) => prefixes.some((p) => stream.startsWith(p)) : () => true;
    const sub: AllSubscription<E> = pollingSubscription(
      {
        readPage: async (after, maxCount) => {
          const shared = await tail.page(after, maxCount, matches);
          if (shared) return shared;
          const page = await readPage(after, maxCount, patterns);
          if (page.events.length < maxCount) tail.offerStart(furthest(page.scannedTo, page.events.at(-1)?.position));
          return page;
        },
        wakeups,
        pollMs,
        coalesceMs: options.coalesceMs ?? 50,
        pageSize: SUBSCRIPTION_PAGE,
        onClose: () => subscriptions.delete(sub),
      },
      opts.after,
    );
    subscriptions.add(sub);
    return sub;
  };

  const headPosition = async (): Promise<LogPosition | undefined> => {
    const r = await pool.query<{ head_commit: string | null; head_sequence: string | null }>(
      "SELECT head_commit, head_sequence FROM event_store.read_page('0'::xid8, 0, NULL, 0)",
    );
    const row = r.rows[0];
    return row?.head_commit != null && row.head_sequence != null
      ? { commit: BigInt(row.head_commit), prepare: BigInt(row.head_sequence) }
      : undefined;
  };

  return {
    append,
    appendMany,
    readStream,
    readAll,
    subscribeToAll,
    headPosition,
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.close()));
      await wakeups.close();
      await pool.end();
    },
  };
};
