import type pg from 'pg';
import { sleep } from './sleep.js';
import type { LogPosition } from '../../commands/event-store/index.js';
import { withTransaction, type Migration } from '../../commands/platform/index.js';
import type { Projection } from './projection.js';

/** A pool or a checked-out client: query functions take either. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export const PROJECTOR_NAMESPACE = 'projector';
/** NOTIFY channel telling the active instance of a projection (payload: its name) that it was reset. */
export const RESET_CHANNEL = 'marquee_projection_reset';

export const projectorMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'checkpoints, stream versions and dead letters',
    sql: `
CREATE TABLE projection_checkpoints (
  name text PRIMARY KEY,
  commit numeric(20),
  prepare numeric(20),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE projection_stream_versions (
  name text NOT NULL,
  stream text NOT NULL,
  version int NOT NULL,
  PRIMARY KEY (name, stream)
);
CREATE TABLE projection_dead_letters (
  name text NOT NULL,
  event_id text NOT NULL,
  stream text NOT NULL,
  version int NOT NULL,
  type text NOT NULL,
  error text NOT NULL,
  attempts int NOT NULL,
  commit numeric(20) NOT NULL,
  prepare numeric(20) NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, event_id)
);`,
  },
  {
    version: 2,
    name: 'high-water position instead of stream versions',
    // The furthest position a projection has committed: a replay below it (its checkpoint lowered by hand while the
    // read model stayed) applies nothing twice. Everything applied so far is at or below the checkpoint. The old
    // per-stream table is no longer written; it stays while instances of the earlier version may still be running.
    sql: `
ALTER TABLE projection_checkpoints ADD COLUMN high_commit numeric(20), ADD COLUMN high_prepare numeric(20);
UPDATE projection_checkpoints SET high_commit = commit, high_prepare = prepare;`,
  },
];

/** Serializes projection setup across processes starting at once. */
const SETUP_LOCK_KEY = 7_160_731_466_204_112n;

export const readCheckpoint = async (db: Queryable, name: string, forUpdate: boolean): Promise<LogPosition | undefined> => {
  const r = await db.query<{ commit: string | null; prepare: string | null }>(
    `SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [name],
  );
  const row = r.rows[0];
  if (!row) throw new Error(`projection "${name}" has no checkpoint row: its setup did not run`);
  return row.commit === null || row.prepare === null ? undefined : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
};

/** Runs each projection's setup and makes sure it has a checkpoint row (starting from the beginning of the log). */
export const setupProjections = async (pool: pg.Pool, projections: readonly Projection[]): Promise<void> => {
  // A process that starts while another one's projector writes can meet it in a deadlock: CREATE INDEX IF NOT
  // EXISTS locks its table before it finds the index there. PostgreSQL aborts one side; setup is idempotent, so
  // the setup tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      await withTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [SETUP_LOCK_KEY.toString()]);
        for (const p of projections) {
          await p.setup(client);
          await client.query('INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [p.name]);
        }
      });
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== DEADLOCK_DETECTED || attempt >= SETUP_ATTEMPTS) throw err;
      await sleep(50 * attempt);
    }
  }
};

const DEADLOCK_DETECTED = '40P01';
const SETUP_ATTEMPTS = 5;

/** Empties a projection's read model, dead letters and checkpoint (with its high-water position), in the caller's transaction. */
export const resetProjection = async (client: pg.PoolClient, projection: Projection): Promise<void> => {
  await readCheckpoint(client, projection.name, true);
  await projection.reset(client);
  await client.query('DELETE FROM projection_dead_letters WHERE name = $1', [projection.name]);
  await client.query(
    `UPDATE projection_checkpoints SET commit = NULL, prepare = NULL, high_commit = NULL, high_prepare = NULL, updated_at = now()
     WHERE name = $1`,
    [projection.name],
  );
  await client.query('SELECT pg_notify($1, $2)', [RESET_CHANNEL, projection.name]);
};

export type DeadLetter = {
  readonly name: string;
  readonly eventId: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly error: string;
  readonly attempts: number;
  readonly at: string;
};

export const listDeadLetters = async (db: Queryable, name?: string): Promise<DeadLetter[]> => {
  const r = await db.query<{
    name: string;
    event_id: string;
    stream: string;
    version: number;
    type: string;
    error: string;
    attempts: number;
    at: Date;
  }>(
    `SELECT name, event_id, stream, version, type, error, attempts, at FROM projection_dead_letters
     WHERE $1::text IS NULL OR name = $1 ORDER BY commit, prepare`,
    [name ?? null],
  );
  return r.rows.map((row) => ({
    name: row.name,
    eventId: row.event_id,
    stream: row.stream,
    version: row.version,
    type: row.type,
    error: row.error,
    attempts: row.attempts,
    at: row.at.toISOString(),
  }));
};
