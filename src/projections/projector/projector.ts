import type pg from 'pg';
import type { EventStore, LogPosition, RecordedEvent } from '../../commands/event-store/index.js';
import { isConnectionFailure, migrate } from '../../commands/platform/index.js';
import type { Log } from '../../commands/platform/index.js';
import { applyBatch, runAfterCommit, type ProjectorHooks } from './batch.js';
import { openLockConnection, type LockConnection } from './locks.js';
import type { Projection } from './projection.js';
import { sleep } from './sleep.js';
import { statisticsKeeper } from './statistics.js';
import { PROJECTOR_NAMESPACE, projectorMigrations, readCheckpoint, setupProjections } from './tables.js';

export type ProjectionState = 'starting' | 'standby' | 'active' | 'stopped';

export type ProjectionStatus = {
  readonly name: string;
  readonly state: ProjectionState;
  /** The committed checkpoint: the last event of the log this projection has dealt with. */
  readonly position: LogPosition | undefined;
  /** Events already read from the log but not yet committed to the read model (bounded by the read-ahead). */
  readonly eventsBehind: number;
  /** How long the oldest of those has been in the log; 0 when caught up. */
  readonly msBehind: number;
  /** Rows of projection_dead_letters for this projection. */
  readonly deadLetters: number;
  readonly lastError?: string;
};

export type ProjectorDeps = {
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly projections: readonly Projection[];
  readonly log: Log;
  /** Most events applied in one transaction; default 500. */
  readonly batchSize?: number;
  /** Called after every committed batch (and on state changes) with that projection's status. */
  readonly onLag?: (status: ProjectionStatus) => void;
  /** Attempts of a failing event before it is parked; default 3. */
  readonly maxAttempts?: number;
  /** First retry delay, doubled each attempt; default 50 ms. */
  readonly retryBaseMs?: number;
  /** How often a standby asks for the lock; default 1000 ms. */
  readonly lockRetryMs?: number;
  readonly hooks?: ProjectorHooks;
  /** Fewest events applied before the projector analyzes a projection's tables; default MIN_EVENTS_TO_ANALYZE. */
  readonly analyzeAfter?: number;
  /**
   * Projections that `gather` start a batch at most this often (default 0: as soon as events arrive).
   * Under a hot on-sale that turns many small transactions into fewer big ones: the same rows, a fraction
   * of the round trips and statements, so the seat map and the writer get more of PostgreSQL and the CPUs.
   */
  readonly gatherMs?: number;
  /**
   * A projection with `handles` commits no transaction for batches it has nothing to do in; their checkpoint is
   * written with its next working batch, or at the latest this long after its last commit; default 1000 ms.
   */
  readonly checkpointEveryMs?: number;
  /** Whether the write side of this process is under pressure (see yieldMs); omitted, never. */
  readonly pressure?: WritePressure;
  /**
   * While `pressure` says busy, each projection starts a batch at most this often (default 1000 ms), until its
   * oldest unapplied event is `maxYieldLagMs` old (default 30 s): during an on-sale's burst the read side leaves
   * the cores to the writer and catches up after it, and a burst longer than that finds it keeping pace again.
   */
  readonly yieldMs?: number;
  readonly maxYieldLagMs?: number;
};

/** The write side's load as the projector sees it: `busy()` while its appends follow one another. */
export type WritePressure = { readonly busy: () => boolean };

export type Projector = {
  stop(): Promise<void>;
  status(): ProjectionStatus[];
};

/** How often a yielding projection looks whether the pressure is over. */
const YIELD_CHECK_MS = 50;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const checkProjections = (projections: readonly Projection[]): void => {
  const names = new Set<string>();
  for (const p of projections) {
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(p.name)) throw new Error(`projection name "${p.name}" must be lower-case kebab-case`);
    if (names.has(p.name)) throw new Error(`projection "${p.name}" is listed twice`);
    if (p.streamPrefixes.length === 0) throw new Error(`projection "${p.name}" must name at least one stream prefix`);
    names.add(p.name);
  }
};

export const prepareProjectorTables = async (pool: pg.Pool, projections: readonly Projection[]): Promise<void> => {
  checkProjections(projections);
  await migrate(pool, PROJECTOR_NAMESPACE, projectorMigrations);
  await setupProjections(pool, projections);
};

/**
 * Runs every projection from its checkpoint, live. Each projection is active in
 * one process at a time (a PostgreSQL advisory lock); in the others it waits as
 * a hot standby and takes over when the active one dies.
 */
export const startProjector = async (deps: ProjectorDeps): Promise<Projector> => {
  const { store, pool, projections, log } = deps;
  await prepareProjectorTables(pool, projections);
  const options = {
    batchSize: deps.batchSize ?? 500,
    maxAttempts: deps.maxAttempts ?? 3,
    retryBaseMs: deps.retryBaseMs ?? 50,
    lockRetryMs: deps.lockRetryMs ?? 1_000,
    gatherMs: deps.gatherMs ?? 0,
    checkpointEveryMs: deps.checkpointEveryMs ?? 1_000,
    yieldMs: deps.yieldMs ?? 1_000,
    maxYieldLagMs: deps.maxYieldLagMs ?? 30_000,
  };
  const stopping = new AbortController();
  const locks = openLockConnection(pool, log);
  const runners = projections.map((p) => runProjection(p, { store, pool, log, locks, stopping: stopping.signal, deps, ...options }));
  return {
    status: () => runners.map((r) => r.status()),
    stop: async () => {
      stopping.abort();
      await Promise.all(runners.map((r) => r.done));
      await locks.close();
    },
  };
};

type RunnerContext = {
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly log: Log;
  readonly locks: LockConnection;
  readonly stopping: AbortSignal;
  readonly deps: ProjectorDeps;
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly lockRetryMs: number;
  readonly gatherMs: number;
  readonly checkpointEveryMs: number;
  readonly yieldMs: number;
  readonly maxYieldLagMs: number;
};

const runProjection = (projection: Projection, ctx: RunnerContext) => {
  const { name } = projection;
  let state: ProjectionState = 'starting';
  let position: LogPosition | undefined;
  let deadLetters = 0;
  let lastError: string | undefined;
  let buffer: RecordedEvent[] = [];
  // Events passed over (none of the types it handles): dealt with, their checkpoint not yet written.
  let passed: RecordedEvent[] = [];
  const statistics = statisticsKeeper(ctx.pool, projection, ctx.log, ctx.deps.analyzeAfter);

  const status = (): ProjectionStatus => {
    const oldest = buffer[0];
    return {
      name,
      state,
      position: passed.at(-1)?.position ?? position,
      eventsBehind: state === 'active' ? buffer.length : 0,
      msBehind: state === 'active' && oldest ? Math.max(0, Date.now() - oldest.recordedAt.getTime()) : 0,
      deadLetters,
      ...(lastError === undefined ? {} : { lastError }),
    };
  };
  const report = (): void => {
    try {
      ctx.deps.onLag?.(status());
    } catch (err) {
      ctx.log.warn({ err, projection: name }, 'onLag callback threw');
    }
  };
  const setState = (s: ProjectionState): void => {
    if (s === state) return;
    state = s;
    ctx.log.info({ projection: name, state: s }, 'projection state');
    report();
  };

  /** Active until stopped, the lock is lost, or the checkpoint moved under us ('restart'). */
  const runActive = async (): Promise<void> => {
    const lost = new AbortController();
    const offLost = ctx.locks.onLost(() => lost.abort());
    const offReset = ctx.locks.onReset(name, () => lost.abort());
    const onStop = (): void => lost.abort();
    ctx.stopping.addEventListener('abort', onStop, { once: true });
    // stop() may have come while the lock was being taken: an aborted signal fires no more listeners.
    if (ctx.stopping.aborted) lost.abort();
    const readAhead = ctx.batchSize * 4;
    const r = await ctx.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM projection_dead_letters WHERE name = $1', [name]);
    deadLetters = Number(r.rows[0]?.n ?? 0);
    position = await readCheckpoint(ctx.pool, name, false);
    buffer = [];
    passed = [];
    let committedAt = Date.now();
    const subscription = ctx.store.subscribeToAll({
      ...(position ? { after: position } : {}),
      streamPrefixes: projection.streamPrefixes,
    });
    let wake: (() => void) | undefined;
    let space: (() => void) | undefined;
    let pumpError: unknown;
    let pumpDone = false;
    const pump = (async () => {
      try {
        for await (const event of subscription) {
          buffer.push(event);
          wake?.();
          if (buffer.length >= readAhead) await new Promise<void>((r) => (space = r));
          if (lost.signal.aborted) break;
        }
      } catch (e) {
        pumpError = e;
      } finally {
        pumpDone = true;
        wake?.();
      }
    })();
    /** Until events arrive, or at most `timeoutMs` when given. */
    const waitForEvents = (timeoutMs?: number): Promise<void> =>
      new Promise((resolve) => {
        if (buffer.length > 0 || pumpDone || lost.signal.aborted) {
          resolve();
          return;
        }
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(), timeoutMs);
        const done = (): void => {
          if (timer) clearTimeout(timer);
          wake = undefined;
          lost.signal.removeEventListener('abort', done);
          resolve();
        };
        wake = done;
        lost.signal.addEventListener('abort', done, { once: true });
      });
    /** Commits the events passed over and then `batch`; false when the checkpoint moved under us. */
    const commit = async (batch: readonly RecordedEvent[]): Promise<boolean> => {
      const events = passed.length > 0 ? [...passed, ...batch] : batch;
      const result = await applyBatch(ctx.pool, projection, events, position, {
        log: ctx.log,
        maxAttempts: ctx.maxAttempts,
        retryBaseMs: ctx.retryBaseMs,
        ...(ctx.deps.hooks ? { hooks: ctx.deps.hooks } : {}),
        signal: lost.signal,
      });
      if (result.kind === 'moved') {
        ctx.log.info({ projection: name }, 'checkpoint moved (reset or another instance); resuming from the stored checkpoint');
        return false;
      }
      buffer = buffer.slice(batch.length);
      space?.();
      space = undefined;
      position = events[events.length - 1]?.position ?? position;
      passed = [];
      committedAt = Date.now();
      deadLetters += result.parked;
      lastError = undefined;
      await runAfterCommit(projection, result.applied, ctx.log);
      await statistics.applied(result.applied.length, buffer.length === 0);
      report();
      return true;
    };
    /** Waits while the writer is busy, up to yieldMs after the last batch began and while the lag is in bounds. */
    const yieldToWriter = async (since: number, signal: AbortSignal): Promise<void> => {
      const pressure = ctx.deps.pressure;
      if (!pressure) return;
      while (!signal.aborted && pressure.busy()) {
        const oldest = buffer[0];
        if (oldest && Date.now() - oldest.recordedAt.getTime() >= ctx.maxYieldLagMs) return;
        const left = since + ctx.yieldMs - Date.now();
        if (left <= 0) return;
        await sleep(Math.min(left, YIELD_CHECK_MS), signal);
      }
    };
    const { handles } = projection;
    const gatherMs = projection.gather ? ctx.gatherMs : 0;
    let batchStarted = 0;
    try {
      for (;;) {
        await waitForEvents(passed.length > 0 ? Math.max(0, committedAt + ctx.checkpointEveryMs - Date.now()) : undefined);
        if (lost.signal.aborted) return;
        if (buffer.length === 0 && passed.length > 0 && !pumpDone) {
          if (!(await commit([]))) return;
          continue;
        }
        const early = gatherMs - (Date.now() - batchStarted);
        if (early > 0 && buffer.length < ctx.batchSize) await sleep(early, lost.signal);
        await yieldToWriter(batchStarted, lost.signal);
        if (lost.signal.aborted) return;
        batchStarted = Date.now();
        if (buffer.length === 0) {
          if (pumpError !== undefined)
            throw pumpError instanceof Error ? pumpError : new Error('the subscription failed', { cause: pumpError });
          throw new Error('subscription ended unexpectedly');
        }
        const batch = buffer.slice(0, ctx.batchSize);
        const nothingToDo = handles !== undefined && !batch.some((e) => handles.has(e.type));
        if (nothingToDo && passed.length < ctx.batchSize && Date.now() - committedAt < ctx.checkpointEveryMs) {
          passed.push(...batch);
          buffer = buffer.slice(batch.length);
          space?.();
          space = undefined;
          continue;
        }
        if (!(await commit(batch))) return;
      }
    } finally {
      offLost();
      offReset();
      ctx.stopping.removeEventListener('abort', onStop);
      space?.();
      await subscription.close().catch(() => undefined);
      await pump;
      buffer = [];
      passed = [];
    }
  };

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!ctx.stopping.aborted) {
      let locked = false;
      try {
        locked = await ctx.locks.tryLock(name);
      } catch (err) {
        lastError = message(err);
        ctx.log.warn({ projection: name, err }, 'cannot reach PostgreSQL for the projection lock; retrying');
      }
      if (!locked) {
        setState('standby');
        await sleep(ctx.lockRetryMs, ctx.stopping);
        continue;
      }
      setState('active');
      try {
        await runActive();
        failures = 0;
      } catch (err) {
        failures += 1;
        lastError = message(err);
        // PostgreSQL restarting is an outage to wait out, not a fault of the projection.
        if (isConnectionFailure(err))
          ctx.log.warn(
            { projection: name, reason: lastError },
            'PostgreSQL unreachable; the projection resumes from its checkpoint when it is back',
          );
        else ctx.log.error({ projection: name, err }, 'projection failed; resuming from its checkpoint');
        await sleep(Math.min(10_000, ctx.retryBaseMs * 2 ** Math.min(failures, 8)), ctx.stopping);
      }
    }
    await ctx.locks.unlock(name);
    setState('stopped');
  };

  const done = loop();
  return { status, done };
};
