import type { Decider } from '../../domain/shared/index.js';
import { WrongExpectedVersionError } from '../event-store/index.js';
import type { EventMetadata, EventShape, EventStore, NewEvent, RecordedEvent } from '../event-store/index.js';

/**
 * One writer per stream in this process (ARCHITECTURE.md, "Write side"): the
 * folded state and version stay in memory, commands queue while an append is in
 * flight, and the next batch is decided in order and appended in one append
 * (group commit) with the version it was decided on as expected version.
 */

export type CommandResult<S, E> = {
  /** The state right after this command's events. */
  readonly state: S;
  /** The stream's version after the batch this command was appended in (-1: no stream). */
  readonly version: number;
  /** This command's events; [] for a command that changed nothing (e.g. an idempotent repeat). */
  readonly events: readonly E[];
};

export type BatchInfo = {
  readonly stream: string;
  readonly commands: number;
  /** Commands that decide rejected. */
  readonly rejected: number;
  readonly events: number;
  /** Version conflicts met (each one a reload and a second decision of the batch). */
  readonly conflicts: number;
  readonly ms: number;
  /** False when the store failed and the batch's callers got the error. */
  readonly ok: boolean;
};

/**
 * A writer's state moved: by its own append or by events it read that another writer appended
 * (`before` and `state` around `events`, `version` after them), or it was dropped (`forgotten`:
 * nothing is known of the stream here until it is loaded again).
 */
export type WriterChange<E, S> =
  | { readonly kind: 'advanced'; readonly before: S; readonly state: S; readonly version: number; readonly events: readonly E[] }
  | { readonly kind: 'forgotten' };

/** What a writer needs of the event store: its streams hold only the decider's events. */
export type StreamStore<E extends EventShape> = Pick<EventStore<E>, 'append' | 'readStream'>;

/** A store's streams narrowed to one decider's events; reading an event that does not belong there fails loudly. */
export const streamStoreOf = <W extends EventShape, E extends W>(
  store: Pick<EventStore<W>, 'append' | 'readStream'>,
  belongs: (e: RecordedEvent<W>) => e is RecordedEvent<W> & E,
): StreamStore<E> => ({
  append: (stream, events, options) => store.append(stream, events, options),
  readStream: async (stream, options) =>
    (await store.readStream(stream, options)).map((e) => {
      if (!belongs(e))
        throw new TypeError(`stream ${stream} holds a ${e.type} event at version ${e.version}, which its writer cannot fold`);
      return e;
    }),
});

export type StreamWritersOptions<C, E extends EventShape, S> = {
  /** Only appends and reads of single streams: a store typed to this decider's events (see streamStoreOf). */
  readonly store: StreamStore<E>;
  readonly decider: Decider<C, E, S>;
  readonly streamName: (id: string) => string;
  /** Commands waiting per stream (not counting the batch in flight) before `execute` answers OverloadedError. */
  readonly maxQueue?: number;
  /** Most commands decided into one append. */
  readonly maxBatch?: number;
  /** A writer with nothing to do for this long is dropped (its state reloads on next use). */
  readonly idleMs?: number;
  /** Reloads after conflicts before the batch fails with the conflict. */
  readonly maxConflictRetries?: number;
  readonly onBatch?: (info: BatchInfo) => void;
  /** Called synchronously each time a writer's durable state changes, in the stream's order. */
  readonly onChange?: (id: string, change: WriterChange<E, S>) => void;
};

export type StateOptions = {
  /** Read events other processes appended since the writer last looked. */
  readonly refresh?: boolean;
};

export interface StreamWriters<C, E, S> {
  execute(id: string, command: C, metadata?: EventMetadata): Promise<CommandResult<S, E>>;
  /** The current folded state (loaded if needed); it includes every write this process has answered. */
  state(id: string, options?: StateOptions): Promise<{ state: S; version: number }>;
  /** Finishes every accepted command, then rejects new ones with WriterClosedError. */
  close(): Promise<void>;
  /** Streams with a live writer (for metrics). */
  readonly size: number;
}

export class OverloadedError extends Error {
  /** A hint for Retry-After: a full queue of a hot stream drains within about a second. */
  readonly retryAfterSeconds = 1;
  constructor(
    readonly stream: string,
    readonly maxQueue: number,
  ) {
    super(`stream ${stream}: ${maxQueue} commands already waiting; try again shortly`);
    this.name = 'OverloadedError';
  }
}

export class WriterClosedError extends Error {
  constructor() {
    super('the stream writers are closed');
    this.name = 'WriterClosedError';
  }
}

export const DEFAULT_MAX_QUEUE = 10_000;
export const DEFAULT_MAX_BATCH = 500;
export const DEFAULT_IDLE_MS = 60_000;
export const DEFAULT_MAX_CONFLICT_RETRIES = 100;

type Pending<C, S, E> = {
  readonly command: C;
  readonly metadata: EventMetadata | undefined;
  readonly resolve: (r: CommandResult<S, E>) => void;
  readonly reject: (err: unknown) => void;
};

type Reader<S> = {
  readonly refresh: boolean;
  readonly resolve: (r: { state: S; version: number }) => void;
  readonly reject: (err: unknown) => void;
};

type Writer<C, E, S> = {
  readonly id: string;
  readonly stream: string;
  state: S;
  version: number;
  loaded: boolean;
  queue: Pending<C, S, E>[];
  readers: Reader<S>[];
  running: Promise<void> | undefined;
  idleTimer: NodeJS.Timeout | undefined;
};

type Outcome<S, E> =
  { readonly ok: true; readonly state: S; readonly events: readonly E[] } | { readonly ok: false; readonly error: unknown };

export const createStreamWriters = <C, E extends EventShape, S>(options: StreamWritersOptions<C, E, S>): StreamWriters<C, E, S> => {
  const { store, decider, streamName, onBatch, onChange } = options;
  const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxConflictRetries = options.maxConflictRetries ?? DEFAULT_MAX_CONFLICT_RETRIES;
  if (!(maxQueue >= 1) || !(maxBatch >= 1) || !(idleMs >= 0)) {
    throw new RangeError('stream writers: maxQueue and maxBatch must be at least 1 and idleMs at least 0');
  }

  const writers = new Map<string, Writer<C, E, S>>();
  let closed = false;

  const writerFor = (id: string): Writer<C, E, S> => {
    let w = writers.get(id);
    if (!w) {
      w = {
        id,
        stream: streamName(id),
        state: decider.initialState,
        version: -1,
        loaded: false,
        queue: [],
        readers: [],
        running: undefined,
        idleTimer: undefined,
      };
      writers.set(id, w);
    }
    if (w.idleTimer) {
      clearTimeout(w.idleTimer);
      w.idleTimer = undefined;
    }
    return w;
  };

  // What a listener does with a change is its own affair: a throw there must not turn a committed append into a failure.
  const tell = (id: string, change: WriterChange<E, S>): void => {
    try {
      onChange?.(id, change);
    } catch {
      // The listener reports its own errors (createLiveSeatMaps ends its maps and calls onError).
    }
  };

  const forget = (w: Writer<C, E, S>): void => {
    if (w.loaded || w.version >= 0) tell(w.id, { kind: 'forgotten' });
    w.loaded = false;
    w.state = decider.initialState;
    w.version = -1;
  };

  const applyRecorded = (w: Writer<C, E, S>, recorded: readonly RecordedEvent<E>[]): void => {
    let { state, version } = w;
    for (const r of recorded) {
      if (r.version !== version + 1) {
        throw new Error(`stream ${w.stream}: expected event version ${version + 1}, read ${r.version}`);
      }
      state = decider.evolve(state, r);
      version = r.version;
    }
    if (recorded.length > 0) tell(w.id, { kind: 'advanced', before: w.state, state, version, events: recorded });
    w.state = state;
    w.version = version;
  };

  /** Loads the whole stream, or only its tail when the writer already holds a state. */
  const catchUp = async (w: Writer<C, E, S>): Promise<void> => {
    if (!w.loaded) forget(w);
    const recorded = await store.readStream(w.stream, { fromVersion: w.version + 1 });
    applyRecorded(w, recorded);
    w.loaded = true;
  };

  const decideBatch = (w: Writer<C, E, S>, batch: readonly Pending<C, S, E>[]) => {
    let state = w.state;
    const outcomes: Outcome<S, E>[] = [];
    const toAppend: NewEvent<E>[] = [];
    for (const p of batch) {
      try {
        const events = decider.decide(p.command, state);
        let next = state;
        for (const e of events) next = decider.evolve(next, e);
        state = next;
        outcomes.push({ ok: true, state, events });
        for (const e of events) toAppend.push(p.metadata ? { ...e, metadata: p.metadata } : e);
      } catch (error) {
        // decide is pure: a throw (DomainError or a bug) concerns this command only.
        outcomes.push({ ok: false, error });
      }
    }
    return { state, outcomes, toAppend };
  };

  const commit = async (w: Writer<C, E, S>, batch: readonly Pending<C, S, E>[]): Promise<void> => {
    const started = performance.now();
    let conflicts = 0;
    const report = (events: number, rejected: number, ok: boolean): void => {
      onBatch?.({ stream: w.stream, commands: batch.length, rejected, events, conflicts, ms: performance.now() - started, ok });
    };
    const failAll = (err: unknown): void => {
      forget(w);
      for (const p of batch) p.reject(err);
      report(0, 0, false);
    };
    for (;;) {
      const { state, outcomes, toAppend } = decideBatch(w, batch);
      if (toAppend.length > 0) {
        try {
          const result = await store.append(w.stream, toAppend, { expectedVersion: w.version < 0 ? 'no_stream' : w.version });
          tell(w.id, { kind: 'advanced', before: w.state, state, version: result.nextExpectedVersion, events: toAppend });
          w.state = state;
          w.version = result.nextExpectedVersion;
        } catch (err) {
          if (err instanceof WrongExpectedVersionError && conflicts < maxConflictRetries) {
            conflicts += 1;
            try {
              const known = w.version;
              await catchUp(w);
              // Nothing newer to read means our cached version is not the stream's (e.g. it was reset): fold it again.
              if (w.version === known) {
                forget(w);
                await catchUp(w);
              }
            } catch (reloadErr) {
              failAll(reloadErr);
              return;
            }
            continue;
          }
          // The outcome of a failed append may be unknown: reload before deciding anything else.
          failAll(err);
          return;
        }
      }
      let rejected = 0;
      outcomes.forEach((o, i) => {
        const p = batch[i]!;
        if (o.ok) p.resolve({ state: o.state, version: w.version, events: o.events });
        else {
          rejected += 1;
          p.reject(o.error);
        }
      });
      report(toAppend.length, rejected, true);
      return;
    }
  };

  const pump = async (w: Writer<C, E, S>): Promise<void> => {
    // Let the commands sent in the same tick join the first batch.
    await Promise.resolve();
    for (;;) {
      const readers = w.readers.splice(0);
      const batch = w.queue.splice(0, maxBatch);
      if (readers.length === 0 && batch.length === 0) break;
      try {
        if (!w.loaded || readers.some((r) => r.refresh)) await catchUp(w);
      } catch (err) {
        forget(w);
        for (const r of readers) r.reject(err);
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const r of readers) r.resolve({ state: w.state, version: w.version });
      if (batch.length > 0) await commit(w, batch);
    }
    // Synchronously after the emptiness check, so no command can slip in unseen.
    w.running = undefined;
    armIdle(w);
  };

  const armIdle = (w: Writer<C, E, S>): void => {
    if (closed) return;
    if (w.idleTimer) clearTimeout(w.idleTimer);
    w.idleTimer = setTimeout(() => {
      w.idleTimer = undefined;
      if (!w.running && w.queue.length === 0 && w.readers.length === 0 && writers.get(w.id) === w) {
        writers.delete(w.id);
        forget(w);
      }
    }, idleMs);
    w.idleTimer.unref();
  };

  const kick = (w: Writer<C, E, S>): void => {
    if (w.running) return;
    w.running = pump(w).catch((err: unknown) => {
      // pump answers every caller itself; reaching here is a bug, so fail loudly but keep the process.
      w.running = undefined;
      forget(w);
      for (const p of w.queue.splice(0)) p.reject(err);
      for (const r of w.readers.splice(0)) r.reject(err);
    });
  };

  return {
    execute(id, command, metadata) {
      if (closed) return Promise.reject(new WriterClosedError());
      const w = writerFor(id);
      if (w.queue.length >= maxQueue) return Promise.reject(new OverloadedError(w.stream, maxQueue));
      return new Promise<CommandResult<S, E>>((resolve, reject) => {
        w.queue.push({ command, metadata, resolve, reject });
        kick(w);
      });
    },

    state(id, stateOptions) {
      if (closed) return Promise.reject(new WriterClosedError());
      const w = writerFor(id);
      const refresh = stateOptions?.refresh ?? false;
      // The cached state only ever holds durable events, so it can be read at any time.
      if (w.loaded && !refresh) {
        if (!w.running) armIdle(w);
        return Promise.resolve({ state: w.state, version: w.version });
      }
      return new Promise((resolve, reject) => {
        w.readers.push({ refresh, resolve, reject });
        kick(w);
      });
    },

    async close() {
      closed = true;
      for (;;) {
        const running = [...writers.values()].flatMap((w) => (w.running ? [w.running] : []));
        if (running.length === 0) break;
        await Promise.all(running);
      }
      for (const w of writers.values()) {
        if (w.idleTimer) clearTimeout(w.idleTimer);
        forget(w);
      }
      writers.clear();
    },

    get size() {
      return writers.size;
    },
  };
};
