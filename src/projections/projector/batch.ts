import type pg from 'pg';
import type { LogPosition, RecordedEvent } from '../../commands/event-store/index.js';
import { comparePositions } from '../../commands/event-store/index.js';
import type { Log } from '../../commands/platform/index.js';
import type { Projection } from './projection.js';
import { sleep } from './sleep.js';

/**
 * One batch of one projection: the read model's writes and the checkpoint in
 * one transaction, with a slow path that retries events one by one and parks
 * those that keep failing in projection_dead_letters.
 */

export type ProjectorHooks = {
  /** Runs inside the batch transaction after the read model was written, before the checkpoint (fault tests). */
  readonly beforeCheckpoint?: (name: string, events: readonly RecordedEvent[]) => Promise<void>;
};

/** Outcome of one batch transaction. */
export type BatchResult =
  { readonly kind: 'committed'; readonly applied: readonly RecordedEvent[]; readonly parked: number } | { readonly kind: 'moved' };

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
 * One transaction: lock and compare the checkpoint, drop events at or below the
 * high-water position (already applied) and those the projection does not
 * handle, run `work`, move the checkpoint and the high-water position.
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
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One round trip (a simple query of three statements, values inlined as literals): under load every round
    // trip to a busy PostgreSQL costs far more than the statement itself.
    // Not waiting for the WAL flush is safe here: the read model and its checkpoint commit together, so a crash loses
    // both and the projection re-applies those events from the durable log. It keeps projector commits off the
    // flush queue the writer's appends wait in.
    const opened = (await client.query(
      `BEGIN; SET LOCAL synchronous_commit = off;
       SELECT commit::text AS commit, prepare::text AS prepare, high_commit::text AS high_commit, high_prepare::text AS high_prepare
       FROM projection_checkpoints WHERE name = ${client.escapeLiteral(name)} FOR UPDATE`,
    )) as unknown as pg.QueryResult<CheckpointRow>[];
    const row = opened.at(-1)?.rows[0];
    if (!row) throw new Error(`projection "${name}" has no checkpoint row: its setup did not run`);
    const current = positionOf(row.commit, row.prepare);
    if (!sameCheckpoint(current, expected)) {
      await client.query('ROLLBACK');
      return { kind: 'moved' };
    }
    // Positions only grow, so everything at or below the furthest one ever committed was dealt with already.
    const high = positionOf(row.high_commit, row.high_prepare);
    const fresh = high === undefined ? [...batch] : batch.filter((e) => comparePositions(e.position, high) > 0);
    const { handles } = projection;
    const acting = handles ? fresh.filter((e) => handles.has(e.type)) : fresh;
    let result: { applied: RecordedEvent[]; parked: number } = { applied: [], parked: 0 };
    if (acting.length > 0) {
      try {
        result = await work(client, acting);
      } catch (error) {
        await client.query('ROLLBACK');
        return { kind: 'failed', error };
      }
    }
    await options.hooks?.beforeCheckpoint?.(name, batch);
    const c = `${last.position.commit.toString()}::numeric`;
    const p = `${last.position.prepare.toString()}::numeric`;
    const raise = `high_commit IS NULL OR (high_commit, high_prepare) < (${c}, ${p})`;
    // The checkpoint and COMMIT in one round trip; an error in the first statement skips the COMMIT (rolled back below).
    await client.query(
      `UPDATE projection_checkpoints SET commit = ${c}, prepare = ${p},
         high_commit = CASE WHEN ${raise} THEN ${c} ELSE high_commit END,
         high_prepare = CASE WHEN ${raise} THEN ${p} ELSE high_prepare END,
         updated_at = now() WHERE name = ${client.escapeLiteral(name)};
       COMMIT`,
    );
    return { kind: 'committed', ...result };
  } catch (e) {
    broken = e instanceof Error ? e : new Error(String(e));
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release(broken);
  }
};

type CheckpointRow = { commit: string | null; prepare: string | null; high_commit: string | null; high_prepare: string | null };

const positionOf = (commit: string | null, prepare: string | null): LogPosition | undefined =>
  commit === null || prepare === null ? undefined : { commit: BigInt(commit), prepare: BigInt(prepare) };

/** Retries one event with backoff; parks it in projection_dead_letters when it keeps failing. */
const applyOne = async (client: pg.PoolClient, projection: Projection, event: RecordedEvent, options: BatchOptions): Promise<boolean> => {
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
