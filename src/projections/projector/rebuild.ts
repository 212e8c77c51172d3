import pg from 'pg';
import type { EventStore, LogPosition } from '../../commands/event-store/index.js';
import { createPgClient, withTransaction, type Log } from '../../commands/platform/index.js';
import type { Projection } from './projection.js';
import { applyBatch, runAfterCommit } from './batch.js';
import { prepareProjectorTables } from './projector.js';
import { analyzeTables } from './statistics.js';
import { readCheckpoint, resetProjection } from './tables.js';

export type RebuildDeps = {
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly projections: readonly Projection[];
  readonly names: readonly string[] | 'all';
  readonly log: Log;
  readonly batchSize?: number;
  /** How often to check on a rebuild that a running projector performs; default 500 ms. */
  readonly pollMs?: number;
};

const LOCK_CLASS = 0x4d51;

export const selectProjections = (projections: readonly Projection[], names: readonly string[] | 'all'): Projection[] => {
  if (names === 'all') return [...projections];
  const unknown = names.filter((n) => !projections.some((p) => p.name === n));
  if (unknown.length > 0)
    throw new Error(`unknown projection ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${projections.map((p) => p.name).join(', ')}`);
  return projections.filter((p) => names.includes(p.name));
};

/**
 * Empties the named read models and replays the whole log into them. When a
 * live projector holds a projection's lock, the reset alone makes it replay
 * from zero (its next batch sees the checkpoint moved) and this waits until it
 * has caught up; otherwise this process replays under the lock itself.
 */
export const rebuildProjections = async (deps: RebuildDeps): Promise<void> => {
  const { store, pool, log } = deps;
  const selected = selectProjections(deps.projections, deps.names);
  await prepareProjectorTables(pool, deps.projections);
  const batchSize = deps.batchSize ?? 500;
  // A lost lock connection fails the rebuild's next statement; nothing else to do here.
  const lockClient = createPgClient({ ...pool.options, application_name: 'marquee-rebuild' }, () => undefined);
  await lockClient.connect();
  try {
    for (const projection of selected) {
      const { name } = projection;
      const started = Date.now();
      const locked =
        (await lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, name])).rows[0]?.ok ===
        true;
      await withTransaction(pool, (client) => resetProjection(client, projection));
      if (!locked) {
        log.info({ projection: name }, 'rebuild: a running projector holds this projection and replays it; waiting for it');
        await waitUntilCaughtUp(store, pool, projection, deps.pollMs ?? 500);
        log.info({ projection: name, ms: Date.now() - started }, 'rebuild: done by the running projector');
        continue;
      }
      try {
        let position: LogPosition | undefined;
        let events = 0;
        for (;;) {
          const batch = await store.readAll({
            ...(position ? { after: position } : {}),
            maxCount: batchSize,
            streamPrefixes: projection.streamPrefixes,
          });
          if (batch.length === 0) break;
          const result = await applyBatch(pool, projection, batch, position, { log, maxAttempts: 3, retryBaseMs: 50 });
          if (result.kind === 'moved') throw new Error(`rebuild of "${name}": its checkpoint moved while this process held its lock`);
          await runAfterCommit(projection, result.applied, log);
          position = batch[batch.length - 1]?.position;
          events += batch.length;
        }
        log.info({ projection: name, events, ms: Date.now() - started }, 'rebuild: done');
        await analyzeTables(pool, projection, log, { events, after: 'rebuild' });
      } finally {
        await lockClient.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, name]);
      }
    }
  } finally {
    await lockClient.end().catch(() => undefined);
  }
};

const waitUntilCaughtUp = async (store: EventStore, pool: pg.Pool, projection: Projection, pollMs: number): Promise<void> => {
  for (;;) {
    const position = await readCheckpoint(pool, projection.name, false);
    const next = await store.readAll({ ...(position ? { after: position } : {}), maxCount: 1, streamPrefixes: projection.streamPrefixes });
    if (next.length === 0) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
};
