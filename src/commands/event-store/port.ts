import type { DomainEvent } from '../../domain/events/index.js';

/**
 * The event store port. Stream versions count from 0 (the first event of a
 * stream has version 0, like an EventStoreDB revision). Global positions are
 * ordered pairs: EventStoreDB's (commit, prepare) positions, or PostgreSQL's
 * (transaction id, sequence) so that readers follow commit order.
 */

export type ExpectedVersion = number | 'no_stream' | 'exists' | 'any';

export type LogPosition = { readonly commit: bigint; readonly prepare: bigint };

export type EventMetadata = {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly userId?: string;
  /** ISO time the command was decided at. */
  readonly at?: string;
};

/** What the store needs of an event: a type tag and JSON data. */
export type EventShape = { readonly type: string; readonly data: unknown };

export type NewEvent<E extends EventShape = DomainEvent> = E & {
  /** Optional: adapters generate a UUID when absent. */
  readonly id?: string;
  readonly metadata?: EventMetadata;
  /** Import only: when the event was first recorded, so export → import keeps it. Default: now. */
  readonly recordedAt?: Date;
};

/** An event as the log holds it: the domain's event (narrow it by `type`) and where it sits in the log. */
export type RecordedEvent<E extends EventShape = DomainEvent> = E & {
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly position: LogPosition;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
};

/**
 * The one place stored JSON becomes a typed event: every adapter passes each
 * event it reads through its decoder. Throws for an event it cannot accept.
 */
export type EventDecoder<E extends EventShape> = (type: string, data: unknown) => E;

export type AppendResult = {
  /** The version of the last event appended: pass it as expectedVersion next time. */
  readonly nextExpectedVersion: number;
  readonly position: LogPosition;
};

/** One stream's part of an appendMany. */
export type StreamAppend<E extends EventShape = DomainEvent> = {
  readonly stream: string;
  readonly events: readonly NewEvent<E>[];
  readonly expectedVersion: ExpectedVersion;
};

export type AppendManyOptions = {
  /**
   * 'fail' (default): a stream whose expected version does not match fails the whole call and
   * nothing is written. 'skip': such streams are left as they are (and listed), the rest written.
   */
  readonly onWrongVersion?: 'fail' | 'skip';
};

export type AppendManyResult = {
  /** The position of the last event written; undefined when nothing was. */
  readonly position: LogPosition | undefined;
  /** Streams left out because their expected version did not match ('skip' only). */
  readonly skipped: readonly string[];
};

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    /** The stream's current version, -1 when it has no events; undefined when the adapter cannot tell. */
    readonly actual: number | undefined,
  ) {
    super(`stream ${stream}: expected version ${String(expected)}, actual ${actual ?? 'unknown'}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export type ReadAllOptions = {
  /** Exclusive: events strictly after this position. Omitted = from the beginning. */
  readonly after?: LogPosition;
  readonly maxCount: number;
  /** Only streams whose names start with one of these. */
  readonly streamPrefixes?: readonly string[];
};

export type SubscribeOptions = Omit<ReadAllOptions, 'maxCount'>;

/** Catch-up, then live; every event once, in global order. Ends when closed. */
export interface AllSubscription<E extends EventShape = DomainEvent> extends AsyncIterable<RecordedEvent<E>> {
  close(): Promise<void>;
}

/** The log of E: DomainEvent for every part of Marquee; EventShape for tools that copy streams as stored. */
export interface EventStore<E extends EventShape = DomainEvent> {
  append(stream: string, events: readonly NewEvent<E>[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult>;
  /**
   * Appends to many streams at once, for bulk loads (seed, import): PostgreSQL writes them in one
   * transaction (all or, with onWrongVersion 'fail', nothing); EventStoreDB has no transactions
   * across streams and appends them one after another. Each stream at most once per call.
   */
  appendMany(appends: readonly StreamAppend<E>[], options?: AppendManyOptions): Promise<AppendManyResult>;
  /** Events of one stream from `fromVersion` (inclusive, default 0) in version order; [] for a stream that does not exist. */
  readStream(stream: string, options?: { fromVersion?: number }): Promise<RecordedEvent<E>[]>;
  /** A page of the global log in commit order, never past an in-flight transaction. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent<E>[]>;
  subscribeToAll(options?: SubscribeOptions): AllSubscription<E>;
  /** The position of the newest event in the log, for lag figures. */
  headPosition(): Promise<LogPosition | undefined>;
  /** Throws when the store cannot be reached (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1;
