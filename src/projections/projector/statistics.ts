import type pg from 'pg';
import type { Log } from '../../commands/platform/index.js';
import type { Projection } from './projection.js';

/**
 * The planner's statistics of a read model, kept fresh by the projector itself:
 * after a bulk load (a seed, an import, a rebuild) autovacuum may be off, or
 * minutes behind, and until it analyzes the tables the planner guesses their
 * size and spread and picks plans that are orders of magnitude slower. VACUUM
 * with it: it marks the new pages all-visible, so that counts and pages come
 * from index-only scans instead of a heap visit per row, and merges the GIN
 * indexes' pending entries, which every full-text search would read through.
 */

/** Fewer writes than this never trigger an ANALYZE: live traffic is autovacuum's to follow. */
export const MIN_EVENTS_TO_ANALYZE = 10_000;

export type AnalyzeState = {
  /** Events applied since the last ANALYZE (or since the process started). */
  readonly since: number;
  /** Events applied by this runner up to the last ANALYZE. */
  readonly before: number;
};

/**
 * Whether to analyze now: once caught up after at least MIN_EVENTS_TO_ANALYZE events that add a
 * tenth to what was there; and during a long catch-up each time the events written double, so
 * reads served meanwhile do not run on statistics of an empty table.
 */
export const shouldAnalyze = (s: AnalyzeState, caughtUp: boolean, min = MIN_EVENTS_TO_ANALYZE): boolean =>
  s.since >= min && s.since >= (caughtUp ? s.before / 10 : s.before);

export const analyzeTables = async (pool: pg.Pool, projection: Projection, log: Log, context: Record<string, unknown>): Promise<void> => {
  const tables = projection.tables ?? [];
  if (tables.length === 0) return;
  const started = Date.now();
  // One table per statement: each takes only its own table's lock, which blocks neither reads nor writes.
  for (const table of tables) await pool.query(`VACUUM (ANALYZE) ${table}`);
  log.info(
    { projection: projection.name, tables, ms: Date.now() - started, ...context },
    'read model vacuumed and analyzed after bulk writes',
  );
};

/** Counts what a runner applies and analyzes its tables when shouldAnalyze says so; a failure is logged, never thrown. */
export const statisticsKeeper = (pool: pg.Pool, projection: Projection, log: Log, min = MIN_EVENTS_TO_ANALYZE) => {
  let state: AnalyzeState = { since: 0, before: 0 };
  return {
    applied: async (events: number, caughtUp: boolean): Promise<void> => {
      state = { ...state, since: state.since + events };
      if (!projection.tables?.length || !shouldAnalyze(state, caughtUp, min)) return;
      const since = state.since;
      state = { since: 0, before: state.before + since };
      await analyzeTables(pool, projection, log, { events: since, caughtUp }).catch((err: unknown) =>
        log.warn({ projection: projection.name, err }, 'VACUUM ANALYZE of the read model failed; autovacuum will do it'),
      );
    },
  };
};
