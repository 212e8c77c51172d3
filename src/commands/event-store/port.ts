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

export type NewEvent = {
  /** Optional: adapters generate a UUID when absent. */
  readonly id?: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
  /** Import only: when the event was first recorded, so export → import keeps it. Default: now. */
  readonly recordedAt?: Date;
};

export type RecordedEvent = {
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly position: LogPosition;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
};

export type AppendResult = {
  /** The version of the last event appended: pass it as expectedVersion next time. */
  readonly nextExpectedVersion: number;
  readonly position: LogPosition;
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
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(stream: string, events: readonly NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult>;
  /** Events of one stream from `fromVersion` (inclusive, default 0) in version order; [] for a stream that does not exist. */
  readStream(stream: string, options?: { fromVersion?: number }): Promise<RecordedEvent[]>;
  /** A page of the global log in commit order, never past an in-flight transaction. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): AllSubscription;
  /** The position of the newest event in the log, for lag figures. */
  headPosition(): Promise<LogPosition | undefined>;
  /** Throws when the store cannot be reached (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1;
