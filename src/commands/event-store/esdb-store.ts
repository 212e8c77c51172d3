import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AllStreamSubscription, AppendExpectedRevision, JSONType, ResolvedEvent } from '@eventstore/db-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { WrongExpectedVersionError, comparePositions } from './port.js';
import type {
  AllSubscription,
  EventDecoder,
  EventMetadata,
  EventShape,
  EventStore,
  ExpectedVersion,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
} from './port.js';

/**
 * The EventStoreDB / KurrentDB adapter of the event store port. Stream versions
 * are EventStoreDB revisions; log positions are $all (commit, prepare) positions.
 * System streams and events (`$...`) are never handed out.
 */
export type EsdbEventStoreOptions<E extends EventShape> = {
  /** How stored JSON becomes E: `domainEvent` for Marquee's own log, `anyEvent` for tools that copy it as stored. */
  readonly decode: EventDecoder<E>;
  /** e.g. `esdb://eventstore:2113?tls=false` */
  readonly connectionString: string;
  /** Told about a dropped subscription before it resubscribes. */
  readonly onSubscriptionDropped?: (error: unknown, retryInMs: number) => void;
};

type EsdbRecord = NonNullable<ResolvedEvent['event']>;

const READ_PAGE = 512;
const ENDED_BY_SERVER = new Error('the subscription was ended by the server');
const MAX_RECONNECT_DELAY_MS = 5_000;

export const toExpectedRevision = (expected: ExpectedVersion): AppendExpectedRevision => {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < -1) throw new RangeError(`expected version ${expected} must be an integer >= -1`);
    return expected === -1 ? NO_STREAM : BigInt(expected);
  }
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default: {
      const _: never = expected;
      throw new TypeError(`unknown expected version ${String(_)}`);
    }
  }
};

const isSystem = (stream: string, type: string): boolean => stream.startsWith('$') || type.startsWith('$');

const matches = (stream: string, prefixes: readonly string[] | undefined): boolean =>
  !prefixes || prefixes.some((p) => stream.startsWith(p));

/**
 * EventStoreDB stamps `created` itself, so an imported event's original time
 * travels in its metadata under this key and is handed back as recordedAt.
 */
const RECORDED_AT_KEY = 'marqueeRecordedAt';

const isObject = (m: unknown): m is Record<string, unknown> =>
  m !== null && typeof m === 'object' && !Array.isArray(m) && !(m instanceof Uint8Array);

const metadataOut = (e: NewEvent<EventShape>): Record<string, unknown> => {
  const metadata = { ...(e.metadata ?? {}) };
  return e.recordedAt ? { ...metadata, [RECORDED_AT_KEY]: e.recordedAt.toISOString() } : metadata;
};

const metadataIn = (m: unknown, created: Date): { metadata: EventMetadata; recordedAt: Date } => {
  if (!isObject(m)) return { metadata: {}, recordedAt: created };
  const { [RECORDED_AT_KEY]: original, ...metadata } = m;
  const kept = typeof original === 'string' ? new Date(original) : undefined;
  return { metadata: metadata, recordedAt: kept && !Number.isNaN(kept.getTime()) ? kept : created };
};

const asData = (e: EsdbRecord): unknown => {
  if (e.isJson) return e.data;
  const text = Buffer.from(e.data).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const toRecorded = <E extends EventShape>(decode: EventDecoder<E>, e: EsdbRecord, fallback?: bigint): RecordedEvent<E> => {
  const position: LogPosition = e.position ?? { commit: fallback ?? -1n, prepare: fallback ?? -1n };
  return {
    ...decode(e.type, asData(e)),
    id: e.id,
    stream: e.streamId,
    version: Number(e.revision),
    position,
    ...metadataIn(e.metadata, e.created),
  };
};

const isTransient = (err: unknown): boolean =>
  err instanceof UnavailableError ||
  err instanceof DeadlineExceededError ||
  err instanceof TimeoutError ||
  err instanceof CancelledError ||
  err instanceof NotLeaderError ||
  err instanceof UnknownError;

export const openEsdbEventStore = async <E extends EventShape>(options: EsdbEventStoreOptions<E>): Promise<EventStore<E>> => {
  const { decode } = options;
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const subscriptions = new Set<AllSubscription<E>>();

  const readAllPage = async (from: LogPosition | undefined, maxCount: number): Promise<AllStreamResolvedEvent[]> => {
    const out: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition: from ?? START, maxCount })) out.push(resolved);
    return out;
  };

  const append: EventStore<E>['append'] = async (stream, events, { expectedVersion }) => {
    const expectedRevision = toExpectedRevision(expectedVersion);
    const data = events.map((e) =>
      jsonEvent({
        ...(e.id ? { id: e.id } : {}),
        type: e.type,
        data: e.data as JSONType,
        metadata: metadataOut(e),
      }),
    );
    try {
      const result = await client.appendToStream(stream, data, { expectedRevision });
      return {
        nextExpectedVersion: Number(result.nextExpectedRevision),
        position: result.position ?? { commit: -1n, prepare: -1n },
      };
    } catch (err) {
      if (err instanceof EsdbWrongExpectedVersionError) {
        const actual = err.actualVersion === NO_STREAM ? -1 : typeof err.actualVersion === 'bigint' ? Number(err.actualVersion) : undefined;
        throw new WrongExpectedVersionError(stream, expectedVersion, actual);
      }
      throw err;
    }
  };

  // EventStoreDB has no transaction across streams: one append after another.
  const appendMany: EventStore<E>['appendMany'] = async (appends, opts = {}) => {
    let position: LogPosition | undefined;
    const skipped: string[] = [];
    const names = new Set(appends.map((a) => a.stream));
    if (names.size < appends.length) throw new RangeError('a stream appears twice in one appendMany');
    for (const a of appends) {
      try {
        if (a.events.length > 0) position = (await append(a.stream, a.events, { expectedVersion: a.expectedVersion })).position;
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError) || opts.onWrongVersion !== 'skip') throw err;
        skipped.push(a.stream);
      }
    }
    return { position, skipped };
  };

  const readStream: EventStore<E>['readStream'] = async (stream, opts) => {
    const fromVersion = opts?.fromVersion ?? 0;
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 0) throw new RangeError(`fromVersion ${fromVersion} must be an integer >= 0`);
    const out: RecordedEvent<E>[] = [];
    try {
      for await (const resolved of client.readStream(stream, { fromRevision: BigInt(fromVersion) })) {
        if (resolved.event) out.push(toRecorded(decode, resolved.event, resolved.commitPosition));
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw err;
    }
    return out;
  };

  // v6 of the client has no server-side filter for reads of $all, so pages are filtered here.
  const readAll: EventStore<E>['readAll'] = async ({ after, maxCount, streamPrefixes }: ReadAllOptions) => {
    const out: RecordedEvent<E>[] = [];
    let cursor = after;
    for (;;) {
      const page = await readAllPage(cursor, READ_PAGE);
      let advanced = false;
      for (const resolved of page) {
        const e = resolved.event;
        if (!e) continue;
        // Reads of $all start at (and include) the given position; the port's `after` is exclusive.
        if (cursor && comparePositions(e.position, cursor) <= 0) continue;
        cursor = e.position;
        advanced = true;
        if (isSystem(e.streamId, e.type) || !matches(e.streamId, streamPrefixes)) continue;
        out.push(toRecorded(decode, e));
        if (out.length >= maxCount) return out;
      }
      if (page.length < READ_PAGE || !advanced) return out;
    }
  };

  const subscribeToAll = (opts: SubscribeOptions = {}): AllSubscription<E> => {
    let closed = false;
    let current: AllStreamSubscription | undefined;
    let last = opts.after;
    const prefixes = opts.streamPrefixes ? [...opts.streamPrefixes] : undefined;
    const stop = new AbortController();

    async function* events(): AsyncGenerator<RecordedEvent<E>> {
      let failures = 0;
      while (!closed) {
        const subscription = client.subscribeToAll({
          // The start position of a subscription is exclusive: it resumes after the last delivered event.
          fromPosition: last ?? START,
          filter: prefixes ? streamNameFilter({ prefixes }) : excludeSystemEvents(),
        });
        current = subscription;
        let dropped: unknown = ENDED_BY_SERVER;
        try {
          for await (const resolved of subscription) {
            const e = resolved.event;
            if (!e || isSystem(e.streamId, e.type) || (last && comparePositions(e.position, last) <= 0)) continue;
            failures = 0;
            last = e.position;
            yield toRecorded(decode, e);
          }
        } catch (err) {
          dropped = err;
        } finally {
          await subscription.unsubscribe().catch(() => undefined);
        }
        if (closed) return;
        if (dropped !== ENDED_BY_SERVER && !isTransient(dropped)) throw dropped;
        // Resubscribe from the last delivered position, backing off while the server stays away.
        failures += 1;
        const delay = Math.min(MAX_RECONNECT_DELAY_MS, 100 * 2 ** Math.min(failures, 6));
        options.onSubscriptionDropped?.(dropped, delay);
        try {
          await sleep(delay, undefined, { signal: stop.signal });
        } catch {
          return;
        }
      }
    }

    const iterator = events();
    const handle: AllSubscription<E> = {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        if (closed) return;
        closed = true;
        subscriptions.delete(handle);
        stop.abort();
        // Destroying the readable wakes a pending `next()`; unsubscribing cancels the gRPC call.
        current?.destroy();
        await current?.unsubscribe().catch(() => undefined);
        await iterator.return(undefined).catch(() => undefined);
      },
    };
    subscriptions.add(handle);
    return handle;
  };

  const headPosition: EventStore<E>['headPosition'] = async () => {
    const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: READ_PAGE });
    for await (const resolved of read) {
      const e = resolved.event;
      if (e && !isSystem(e.streamId, e.type)) {
        await read.cancel();
        return e.position;
      }
    }
    return undefined;
  };

  const ping: EventStore<E>['ping'] = async () => {
    await readAllPage(undefined, 1);
  };

  const close: EventStore<E>['close'] = async () => {
    await Promise.all([...subscriptions].map((s) => s.close()));
    await client.dispose();
  };

  return { append, appendMany, readStream, readAll, subscribeToAll, headPosition, ping, close };
};
