import pg from 'pg';
import type { EventStore, LogPosition, RecordedEvent } from '../commands/event-store.js';
import { comparePositions } from '../commands/event-store.js';
import { migrate } from '../runtime/migrate.js';
import { createPgClient, isConnectionFailure } from '../runtime/pg-connections.js';
import type { Log } from './log.js';
import type { Projection } from './projection.js';
import {
  PROJECTOR_NAMESPACE,
  projectorMigrations,
  readCheckpoint,
  RESET_CHANNEL,
  setupProjections,
} from './projector-tables.js';

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

export type ProjectorHooks = {
  /** Runs inside the batch transaction after the read model was written, before the checkpoint (fault tests). */
  readonly beforeCheckpoint?: (name: string, events: readonly RecordedEvent[]) => Promise<void>;
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
};

export type Projector = {
  stop(): Promise<void>;
  status(): ProjectionStatus[];
};

const LOCK_CLASS = 0x4d51; // "MQ": the first key of every projection lock

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

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

/** Outcome of one batch transaction. */
type BatchResult =
  | { readonly kind: 'committed'; readonly applied: readonly RecordedEvent[]; readonly parked: number }
  | { readonly kind: 'moved' };

export type BatchOptions = {
  readonly log: Log;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly hooks?: ProjectorHooks;
  readonly signal?: AbortSignal;
};

const sameCheckpoint = (a: LogPosition | undefined, b: LogPosition | undefined): boolean =>
  a === undefined || b === undefined ? a === b : comparePositions(a, b) === 0;

/**
 * Applies one batch and moves the checkpoint, in one transaction. The checkpoint
 * row is locked and compared first, so a stale instance (one that lost its lock,
 * or whose projection was reset for a rebuild) commits nothing and starts over.
 */
export const applyBatch = async (
  pool: pg.Pool,
  projection: Projection,
  batch: readonly RecordedEvent[],
  expected: LogPosition | undefined,
  options: BatchOptions,
): Promise<BatchResult> => {
  if (batch.length === 0) return { kind: 'committed', applied: [], parked: 0 };
  const fast = await inBatchTransaction(pool, projection, batch, expected, options, async (client, fresh) => {
    await projection.apply(client, fresh);
    return { applied: fresh, parked: 0 };
  });
  if (fast.kind !== 'failed') return fast;
  options.log.warn({ projection: projection.name, err: fast.error }, 'batch failed; applying its events one by one');
  const slow = await inBatchTransaction(pool, projection, batch, expected, options, async (client, fresh) => {
    const applied: RecordedEvent[] = [];
    let parked = 0;
    for (const event of fresh) {
      if (await applyOne(client, projection, event, options)) applied.push(event);
      else parked += 1;
    }
    return { applied, parked };
  });
  if (slow.kind === 'failed') throw slow.error;
  return slow;
};

/**
 * One transaction: lock and compare the checkpoint, drop events already applied
 * (by stream version), run `work`, record stream versions and the checkpoint.
 * A failure inside `work` rolls back and is returned; any other failure
 * (connection lost, commit refused) is thrown.
 */
const inBatchTransaction = async (
  pool: pg.Pool,
  projection: Projection,
  batch: readonly RecordedEvent[],
  expected: LogPosition | undefined,
  options: BatchOptions,
  work: (client: pg.PoolClient, fresh: RecordedEvent[]) => Promise<{ applied: RecordedEvent[]; parked: number }>,
): Promise<BatchResult | { readonly kind: 'failed'; readonly error: unknown }> => {
  const { name } = projection;
  const last = batch[batch.length - 1];
  if (!last) return { kind: 'committed', applied: [], parked: 0 };
  const streams = [...new Set(batch.map((e) => e.stream))];
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const head = await client.query<{ commit: string | null; prepare: string | null; versions: Record<string, number> }>(
      `SELECT commit::text AS commit, prepare::text AS prepare,
         (SELECT coalesce(jsonb_object_agg(stream, version), '{}') FROM projection_stream_versions
           WHERE name = $1 AND stream = ANY($2::text[])) AS versions
       FROM projection_checkpoints WHERE name = $1 FOR UPDATE`,
      [name, streams],
    );
    const row = head.rows[0];
    if (!row) throw new Error(`projection "${name}" has no checkpoint row: its setup did not run`);
    const current = row.commit === null || row.prepare === null ? undefined : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
    if (!sameCheckpoint(current, expected)) {
      await client.query('ROLLBACK');
      return { kind: 'moved' };
    }
    const seen = new Map(Object.entries(row.versions));
    const fresh = batch.filter((e) => {
      if (e.version <= (seen.get(e.stream) ?? -1)) return false;
      seen.set(e.stream, e.version);
      return true;
    });
    let result: { applied: RecordedEvent[]; parked: number } = { applied: [], parked: 0 };
    if (fresh.length > 0) {
      try {
        result = await work(client, fresh);
      } catch (error) {
        await client.query('ROLLBACK');
        return { kind: 'failed', error };
      }
    }
    await options.hooks?.beforeCheckpoint?.(name, batch);
    const top = new Map<string, number>();
    for (const e of batch) top.set(e.stream, Math.max(e.version, top.get(e.stream) ?? -1));
    await client.query(
      `WITH versions AS (
         INSERT INTO projection_stream_versions (name, stream, version)
         SELECT $1, s, v FROM unnest($4::text[], $5::int[]) AS x(s, v)
         ON CONFLICT (name, stream) DO UPDATE SET version = GREATEST(projection_stream_versions.version, EXCLUDED.version)
       )
       UPDATE projection_checkpoints SET commit = $2::numeric, prepare = $3::numeric, updated_at = now() WHERE name = $1`,
      [name, last.position.commit.toString(), last.position.prepare.toString(), [...top.keys()], [...top.values()]],
    );
    await client.query('COMMIT');
    return { kind: 'committed', ...result };
  } catch (e) {
    broken = e instanceof Error ? e : new Error(String(e));
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release(broken);
  }
};

/** Retries one event with backoff; parks it in projection_dead_letters when it keeps failing. */
const applyOne = async (
  client: pg.PoolClient,
  projection: Projection,
  event: RecordedEvent,
  options: BatchOptions,
): Promise<boolean> => {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    await client.query('SAVEPOINT one');
    try {
      await projection.apply(client, [event]);
      await client.query('RELEASE SAVEPOINT one');
      return true;
    } catch (e) {
      lastError = e;
      await client.query('ROLLBACK TO SAVEPOINT one');
      if (attempt < options.maxAttempts) await sleep(options.retryBaseMs * 2 ** (attempt - 1), options.signal);
    }
  }
  options.log.error(
    { projection: projection.name, eventId: event.id, stream: event.stream, version: event.version, type: event.type, err: lastError },
    'event parked in projection_dead_letters after repeated failures',
  );
  await client.query(
    `INSERT INTO projection_dead_letters (name, event_id, stream, version, type, error, attempts, commit, prepare)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $9::numeric)
     ON CONFLICT (name, event_id) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, at = now()`,
    [
      projection.name,
      event.id,
      event.stream,
      event.version,
      event.type,
      lastError instanceof Error ? (lastError.stack ?? lastError.message) : String(lastError),
      options.maxAttempts,
      event.position.commit.toString(),
      event.position.prepare.toString(),
    ],
  );
  return false;
};

/** Runs a projection's afterCommit; a failure is logged, never blocks the projection (it is at-least-once). */
export const runAfterCommit = async (projection: Projection, events: readonly RecordedEvent[], log: Log): Promise<void> => {
  if (!projection.afterCommit || events.length === 0) return;
  try {
    await projection.afterCommit(events);
  } catch (err) {
    log.warn({ projection: projection.name, err }, 'afterCommit failed');
  }
};

export const prepareProjectorTables = async (pool: pg.Pool, projections: readonly Projection[]): Promise<void> => {
  checkProjections(projections);
  await migrate(pool, PROJECTOR_NAMESPACE, projectorMigrations);
  await setupProjections(pool, projections);
};

/** A connection of its own that holds the advisory locks; losing it means losing every lock. */
const openLockConnection = (pool: pg.Pool, log: Log) => {
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  const held = new Set<string>();
  const lostListeners = new Set<() => void>();
  // One query at a time on the shared connection.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const resetListeners = new Map<string, Set<() => void>>();

  const drop = (c: pg.Client, err?: unknown): void => {
    if (client !== c) return;
    client = undefined;
    if (held.size > 0) log.warn({ err, projections: [...held] }, 'projection lock connection lost; stepping down');
    held.clear();
    lostListeners.forEach((l) => l());
    c.end().catch(() => undefined);
  };
  const get = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const c: pg.Client = createPgClient({ ...pool.options, application_name: 'marquee-projector-lock' } as pg.ClientConfig, (err) =>
        drop(c, err),
      );
      c.on('end', () => drop(c));
      c.on('notification', (n) => resetListeners.get(n.payload ?? '')?.forEach((l) => l()));
      try {
        await c.connect();
        await c.query(`LISTEN ${RESET_CHANNEL}`);
      } catch (e) {
        c.end().catch(() => undefined);
        throw e;
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    tryLock: (name: string): Promise<boolean> =>
      serial(async () => {
        if (held.has(name) && client) return true;
        const c = await get();
        const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, name]);
        const ok = r.rows[0]?.ok === true;
        if (ok) held.add(name);
        return ok;
      }),
    unlock: (name: string): Promise<void> =>
      serial(async () => {
        const c = client;
        if (!held.delete(name) || !c) return;
        await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, name]).catch(() => undefined);
      }),
    holds: (name: string): boolean => held.has(name),
    /** A rebuild reset this projection: the active instance must resume from the stored checkpoint. */
    onReset: (name: string, listener: () => void): (() => void) => {
      const set = resetListeners.get(name) ?? new Set<() => void>();
      resetListeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onLost: (listener: () => void): (() => void) => {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    close: async (): Promise<void> => {
      const c = client;
      client = undefined;
      held.clear();
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => undefined);
      }
    },
  };
};

type LockConnection = ReturnType<typeof openLockConnection>;

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
};

const runProjection = (projection: Projection, ctx: RunnerContext) => {
  const { name } = projection;
  let state: ProjectionState = 'starting';
  let position: LogPosition | undefined;
  let deadLetters = 0;
  let lastError: string | undefined;
  let buffer: RecordedEvent[] = [];

  const status = (): ProjectionStatus => {
    const oldest = buffer[0];
    return {
      name,
      state,
      position,
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
    const waitForEvents = (): Promise<void> =>
      new Promise((resolve) => {
        if (buffer.length > 0 || pumpDone || lost.signal.aborted) return resolve();
        const done = (): void => {
          wake = undefined;
          lost.signal.removeEventListener('abort', done);
          resolve();
        };
        wake = done;
        lost.signal.addEventListener('abort', done, { once: true });
      });
    try {
      for (;;) {
        await waitForEvents();
        if (lost.signal.aborted) return;
        if (buffer.length === 0) {
          if (pumpError !== undefined) throw pumpError;
          throw new Error('subscription ended unexpectedly');
        }
        const batch = buffer.slice(0, ctx.batchSize);
        const result = await applyBatch(ctx.pool, projection, batch, position, {
          log: ctx.log,
          maxAttempts: ctx.maxAttempts,
          retryBaseMs: ctx.retryBaseMs,
          ...(ctx.deps.hooks ? { hooks: ctx.deps.hooks } : {}),
          signal: lost.signal,
        });
        if (result.kind === 'moved') {
          ctx.log.info({ projection: name }, 'checkpoint moved (reset or another instance); resuming from the stored checkpoint');
          return;
        }
        buffer = buffer.slice(batch.length);
        space?.();
        space = undefined;
        position = batch[batch.length - 1]?.position ?? position;
        deadLetters += result.parked;
        lastError = undefined;
        await runAfterCommit(projection, result.applied, ctx.log);
        report();
      }
    } finally {
      offLost();
      offReset();
      ctx.stopping.removeEventListener('abort', onStop);
      space?.();
      await subscription.close().catch(() => undefined);
      await pump;
      buffer = [];
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
          ctx.log.warn({ projection: name, reason: lastError }, 'PostgreSQL unreachable; the projection resumes from its checkpoint when it is back');
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
