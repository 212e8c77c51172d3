import t from 'tap';
import {
  MIN_EVENTS_TO_ANALYZE,
  rebuildProjections,
  shouldAnalyze,
  startProjector,
  type Projection,
} from '../../../src/projections/projector/index.js';
import { appendEvent, caughtUp, givenEvent, held, openEnv, recordingLog, waitFor } from '../helpers.js';

t.test('shouldAnalyze: after a bulk catch-up, not after a trickle of live traffic', async (t) => {
  const min = MIN_EVENTS_TO_ANALYZE;
  t.notOk(shouldAnalyze({ since: min - 1, before: 0 }, true), 'fewer events than the minimum: autovacuum follows live traffic');
  t.ok(shouldAnalyze({ since: min, before: 0 }, true), 'caught up after a bulk load into a fresh table');
  t.ok(shouldAnalyze({ since: min, before: 0 }, false), 'during the first catch-up, once the minimum is written');
  t.notOk(shouldAnalyze({ since: 2 * min, before: 4 * min }, false), 'mid catch-up: not until what was written doubles');
  t.ok(shouldAnalyze({ since: 4 * min, before: 4 * min }, false), 'mid catch-up, doubled');
  t.ok(shouldAnalyze({ since: min, before: 9 * min }, true), 'caught up after adding more than a tenth');
  t.notOk(shouldAnalyze({ since: min, before: 20 * min }, true), 'caught up after adding less than a tenth of a large table');
  t.ok(shouldAnalyze({ since: 5, before: 0 }, true, 5), 'the minimum is a parameter');
});

/** A projection writing one row per event into its own table, which it declares for ANALYZE. */
const rows: Projection = {
  name: 'analyzed-rows',
  streamPrefixes: ['event-'],
  tables: ['analyzed_rows'],
  setup: async (db) => {
    await db.query('CREATE TABLE IF NOT EXISTS analyzed_rows (id text PRIMARY KEY)');
  },
  reset: async (db) => {
    await db.query('TRUNCATE analyzed_rows');
  },
  apply: async (db, events) => {
    await db.query('INSERT INTO analyzed_rows SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [events.map((e) => e.id)]);
  },
};

t.test('the projector analyzes the tables it wrote after a catch-up, and says so in the log', async (t) => {
  const env = await openEnv(t);
  const { eventId } = await givenEvent(env.store);
  await appendEvent(
    env.store,
    eventId,
    Array.from({ length: 60 }, (_, i) => held(eventId, `${eventId}-b${i}`, { standing: [{ sectionId: 'PIT', quantity: 1 }] })),
  );
  const { log, lines } = recordingLog();
  const projector = await startProjector({ store: env.store, pool: env.pool, projections: [rows], log, analyzeAfter: 50, batchSize: 20 });
  t.teardown(() => projector.stop());
  await caughtUp(projector, env.store, [rows]);
  // The ANALYZE follows the batch's commit, which is what caughtUp sees.
  const logged = await waitFor('the ANALYZE in the log', async () => {
    const found = lines.filter((l) => l.msg === 'read model vacuumed and analyzed after bulk writes');
    return found.length > 0 && found;
  });
  t.match(logged[0]?.obj, { projection: 'analyzed-rows', tables: ['analyzed_rows'] });
  const stats = await env.pool.query<{ analyzed: boolean; vacuumed: boolean }>(
    `SELECT (last_analyze IS NOT NULL) AS analyzed, (last_vacuum IS NOT NULL) AS vacuumed FROM pg_stat_user_tables WHERE relname = 'analyzed_rows'`,
  );
  t.same(stats.rows[0]?.analyzed, true, 'PostgreSQL records an ANALYZE of the table');
  t.same(stats.rows[0]?.vacuumed, true, 'and a VACUUM');
  const planned = await env.pool.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE relname = 'analyzed_rows'`);
  t.ok((planned.rows[0]?.reltuples ?? 0) >= 50, 'and the planner knows how many rows it has');
});

t.test('a rebuild analyzes the tables once it has replayed the log', async (t) => {
  const env = await openEnv(t);
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [held(eventId, `${eventId}-b`, { standing: [{ sectionId: 'PIT', quantity: 1 }] })]);
  // A log reader never passes a transaction still open anywhere on the server: wait until both show.
  await waitFor('the events in the log', async () => (await env.store.readAll({ maxCount: 10, streamPrefixes: ['event-'] })).length >= 2);
  const { log, lines } = recordingLog();
  await rebuildProjections({ store: env.store, pool: env.pool, projections: [rows], names: 'all', log });
  t.match(
    lines.filter((l) => l.msg === 'read model vacuumed and analyzed after bulk writes'),
    [{ obj: { projection: 'analyzed-rows', after: 'rebuild', events: 2 } }],
    'logged, with the events replayed',
  );
  const stats = await env.pool.query<{ analyzed: boolean }>(
    `SELECT (last_analyze IS NOT NULL) AS analyzed FROM pg_stat_user_tables WHERE relname = 'analyzed_rows'`,
  );
  t.same(stats.rows[0]?.analyzed, true);
});
