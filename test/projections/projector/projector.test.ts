import t, { type Test } from 'tap';
import type { RecordedEvent } from '../../../src/commands/event-store/index.js';
import { createMemoryBus } from '../../../src/projections/bus/index.js';
import type { Projection } from '../../../src/projections/projector/index.js';
import { startProjector, rebuildProjections } from '../../../src/projections/projector/index.js';
import type { ProjectionStatus } from '../../../src/projections/projector/projector.js';
import { listDeadLetters } from '../../../src/projections/projector/tables.js';
import { readModelProjections } from '../../../src/runtime/compose/index.js';
import {
  catalogueCounts,
  appendEvent,
  caughtUp,
  confirmed,
  dumpTables,
  givenEvent,
  held,
  openEnv,
  paid,
  READ_MODEL_TABLES,
  readEverything,
  recordingLog,
  released,
  silentLog,
  waitFor,
  type Env,
} from '../helpers.js';

/** A projection counting what it sees per stream (and failing on demand), in a table of its own. */
const counting = (name: string, poison: (e: RecordedEvent) => boolean = () => false): Projection => ({
  name,
  streamPrefixes: ['event-'],
  setup: async (db) => {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${name.replace(/-/g, '_')} (stream text PRIMARY KEY, n int NOT NULL, versions int[] NOT NULL)`,
    );
  },
  reset: async (db) => {
    await db.query(`TRUNCATE ${name.replace(/-/g, '_')}`);
  },
  apply: async (db, events) => {
    for (const e of events) {
      if (poison(e)) throw new Error(`poisoned ${e.id}`);
      await db.query(
        `INSERT INTO ${name.replace(/-/g, '_')} (stream, n, versions) VALUES ($1, 1, ARRAY[$2::int])
         ON CONFLICT (stream) DO UPDATE SET n = ${name.replace(/-/g, '_')}.n + 1, versions = ${name.replace(/-/g, '_')}.versions || $2::int`,
        [e.stream, e.version],
      );
    }
  },
});

const countsOf = async (env: Env, name: string, stream: string): Promise<{ n: number; versions: number[] } | undefined> =>
  (
    await env.pool.query<{ n: number; versions: number[] }>(`SELECT n, versions FROM ${name.replace(/-/g, '_')} WHERE stream = $1`, [
      stream,
    ])
  ).rows[0];

const someHolds = async (env: Env, eventId: string, n: number): Promise<void> => {
  const events = Array.from({ length: n }, (_, i) => held(eventId, `${eventId}-b${i}`, { standing: [{ sectionId: 'PIT', quantity: 1 }] }));
  await appendEvent(env.store, eventId, events);
};

t.test('a batch and its checkpoint commit together, and a restart applies nothing twice', async (t) => {
  const env = await openEnv(t);
  const projections = [counting('count-a')];
  const { eventId } = await givenEvent(env.store);
  await someHolds(env, eventId, 5);
  const first = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  await caughtUp(first, env.store, projections);
  await first.stop();
  const last = (await readEverything(env.store, ['event-'])).at(-1);
  const cp = await env.pool.query<{ commit: string; prepare: string }>(
    `SELECT commit::text, prepare::text FROM projection_checkpoints WHERE name = 'count-a'`,
  );
  t.same(
    cp.rows[0],
    { commit: String(last?.position.commit), prepare: String(last?.position.prepare) },
    'the checkpoint is the last event applied',
  );
  t.same(await countsOf(env, 'count-a', `event-${eventId}`), { n: 6, versions: [0, 1, 2, 3, 4, 5] });

  await someHolds(env, eventId, 2);
  const second = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  t.teardown(() => second.stop());
  await caughtUp(second, env.store, projections);
  t.same(await countsOf(env, 'count-a', `event-${eventId}`), { n: 8, versions: [0, 1, 2, 3, 4, 5, 6, 7] }, 'resumes after its checkpoint');
  await second.stop();

  // The checkpoint lowered by hand, the read model kept: the log comes again and nothing is applied twice.
  await env.pool.query(`UPDATE projection_checkpoints SET commit = NULL, prepare = NULL WHERE name = 'count-a'`);
  await someHolds(env, eventId, 1);
  const third = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  t.teardown(() => third.stop());
  await caughtUp(third, env.store, projections);
  t.same(
    await countsOf(env, 'count-a', `event-${eventId}`),
    { n: 9, versions: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
    'only the new event is applied',
  );
});

t.test('replaying events already applied is a no-op, by the high-water position', async (t) => {
  const env = await openEnv(t);
  const projections = readModelProjections({ bus: createMemoryBus(), log: silentLog });
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 'r1', { seats: ['A-1-1'] }),
    paid(eventId, 'r1', 6500),
    confirmed(eventId, 'r1', [{ seat: 'A-1-1', sectionId: 'A' }]),
  ]);
  const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  await caughtUp(projector, env.store, projections);
  await projector.stop();
  const before = await dumpTables(env.pool, READ_MODEL_TABLES);
  // Lose every checkpoint but keep the read models: the whole log comes again.
  await env.pool.query('UPDATE projection_checkpoints SET commit = NULL, prepare = NULL');
  const again = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  t.teardown(() => again.stop());
  await caughtUp(again, env.store, projections);
  t.same(await dumpTables(env.pool, READ_MODEL_TABLES), before);
  t.same(await catalogueCounts(env.pool, eventId), { sold: 1, held: 0 });
});

t.test('a poisoned event is parked after retries while later events and other projections go on', async (t) => {
  const env = await openEnv(t);
  const { eventId } = await givenEvent(env.store);
  await someHolds(env, eventId, 3);
  const poisonedVersion = 2;
  let attempts = 0;
  const victim = counting('victim', (e) => {
    if (e.stream === `event-${eventId}` && e.version === poisonedVersion) {
      attempts++;
      return true;
    }
    return false;
  });
  const bystander = counting('bystander');
  const projections = [victim, bystander];
  const { log, lines } = recordingLog();
  const statuses: ProjectionStatus[] = [];
  const projector = await startProjector({
    store: env.store,
    pool: env.pool,
    projections,
    log,
    maxAttempts: 3,
    retryBaseMs: 10,
    onLag: (s) => statuses.push(s),
  });
  t.teardown(() => projector.stop());
  await caughtUp(projector, env.store, projections);
  await someHolds(env, eventId, 2);
  await caughtUp(projector, env.store, projections);

  t.same(await countsOf(env, 'victim', `event-${eventId}`), { n: 5, versions: [0, 1, 3, 4, 5] }, 'everything but the poisoned event');
  t.same(await countsOf(env, 'bystander', `event-${eventId}`), { n: 6, versions: [0, 1, 2, 3, 4, 5] }, 'the other projection saw it all');
  t.ok(attempts >= 4, `the whole batch once, then the event 3 times (${attempts})`);
  const parked = await listDeadLetters(env.pool, 'victim');
  t.equal(parked.length, 1);
  t.match(parked[0], {
    name: 'victim',
    stream: `event-${eventId}`,
    version: poisonedVersion,
    type: 'SeatsHeld',
    attempts: 3,
    error: /poisoned/,
  });
  t.equal(projector.status().find((s) => s.name === 'victim')?.deadLetters, 1);
  t.ok(
    lines.some((l) => l.level === 'error' && /parked/.test(l.msg)),
    'parking is logged as an error',
  );
  t.ok(
    statuses.some((s) => s.name === 'bystander' && s.state === 'active'),
    'onLag reports status',
  );
});

t.test('a rebuild from zero equals the live read model', async (t) => {
  const env = await openEnv(t);
  const projections = readModelProjections({ bus: createMemoryBus(), log: silentLog });
  const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, batchSize: 7 });
  for (let k = 0; k < 3; k++) {
    const { eventId } = await givenEvent(env.store);
    for (let i = 0; i < 6; i++) {
      const id = `${eventId}-${i}`;
      await appendEvent(env.store, eventId, [
        held(eventId, id, { seats: [`A-1-${(i % 4) + 1}`], standing: [{ sectionId: 'PIT', quantity: 1 }], userId: `u${i % 2}` }),
      ]);
      if (i % 3 === 0)
        await appendEvent(env.store, eventId, [
          released(eventId, id, 'expired', [`A-1-${(i % 4) + 1}`], [{ sectionId: 'PIT', quantity: 1 }]),
        ]);
      else if (i % 3 === 1)
        await appendEvent(env.store, eventId, [
          paid(eventId, id, 11_000),
          confirmed(eventId, id, [{ seat: `A-1-${(i % 4) + 1}`, sectionId: 'A' }, { sectionId: 'PIT' }], `u${i % 2}`),
        ]);
    }
  }
  await caughtUp(projector, env.store, projections);
  await projector.stop();
  const live = await dumpTables(env.pool, READ_MODEL_TABLES);
  await rebuildProjections({ store: env.store, pool: env.pool, projections, names: 'all', log: silentLog, batchSize: 11 });
  t.same(await dumpTables(env.pool, READ_MODEL_TABLES), live);
  await t.rejects(
    rebuildProjections({ store: env.store, pool: env.pool, projections, names: ['nope'], log: silentLog }),
    /unknown projection "nope"; known: catalogue/,
  );
});

t.test('a rebuild while a projector runs makes that projector replay, and waits for it', async (t) => {
  const env = await openEnv(t);
  const projections = [counting('live-count')];
  const { eventId } = await givenEvent(env.store);
  await someHolds(env, eventId, 4);
  const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  t.teardown(() => projector.stop());
  await caughtUp(projector, env.store, projections);
  const { log, lines } = recordingLog();
  await rebuildProjections({ store: env.store, pool: env.pool, projections, names: ['live-count'], log, pollMs: 50 });
  t.ok(lines.some((l) => /running projector/.test(l.msg)));
  t.same(await countsOf(env, 'live-count', `event-${eventId}`), { n: 5, versions: [0, 1, 2, 3, 4] });
  await someHolds(env, eventId, 1);
  await caughtUp(projector, env.store, projections);
  t.equal((await countsOf(env, 'live-count', `event-${eventId}`))?.n, 6, 'and carries on live');
});

t.test('a second projector waits as a hot standby and takes over when the first stops', async (t) => {
  const env = await openEnv(t);
  const projections = [counting('ha')];
  const { eventId } = await givenEvent(env.store);
  const first = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, lockRetryMs: 100 });
  t.teardown(() => first.stop());
  await waitFor('first active', async () => first.status()[0]?.state === 'active');
  const second = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, lockRetryMs: 100 });
  t.teardown(() => second.stop());
  await waitFor('second standby', async () => second.status()[0]?.state === 'standby');
  await someHolds(env, eventId, 3);
  await caughtUp(first, env.store, projections);
  t.equal(second.status()[0]?.state, 'standby', 'only one instance is active');
  await first.stop();
  await waitFor('second active', async () => second.status()[0]?.state === 'active');
  await someHolds(env, eventId, 2);
  await caughtUp(second, env.store, projections);
  t.same(
    await countsOf(env, 'ha', `event-${eventId}`),
    { n: 6, versions: [0, 1, 2, 3, 4, 5] },
    'every event exactly once across the handover',
  );
});

t.test('an instance whose lock connection dies steps down and one instance carries on', async (t) => {
  const env = await openEnv(t);
  const projections = [counting('ha2')];
  const { eventId } = await givenEvent(env.store);
  const { log, lines } = recordingLog();
  const first = await startProjector({ store: env.store, pool: env.pool, projections, log, lockRetryMs: 100 });
  t.teardown(() => first.stop());
  await waitFor('first active', async () => first.status()[0]?.state === 'active');
  const second = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, lockRetryMs: 100 });
  t.teardown(() => second.stop());
  await waitFor('second standby', async () => second.status()[0]?.state === 'standby');
  await someHolds(env, eventId, 3);
  await caughtUp(first, env.store, projections);
  const killed = await env.pool.query(
    `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND d.datname = current_database()`,
    [0x4d51],
  );
  t.equal(killed.rowCount, 1, 'one lock holder');
  await waitFor('the first to notice', async () => lines.some((l) => /lock connection lost/.test(l.msg)));
  await someHolds(env, eventId, 2);
  await waitFor('one instance active', async () => [first, second].filter((p) => p.status()[0]?.state === 'active').length === 1);
  const active = [first, second].find((p) => p.status()[0]?.state === 'active');
  if (active) await caughtUp(active, env.store, projections);
  t.same(await countsOf(env, 'ha2', `event-${eventId}`), { n: 6, versions: [0, 1, 2, 3, 4, 5] }, 'every event exactly once');
});

t.test('status reports each projection with its checkpoint and lag', async (t) => {
  const env = await openEnv(t);
  const projections = [counting('lag-a'), counting('lag-b')];
  const { eventId } = await givenEvent(env.store);
  await someHolds(env, eventId, 3);
  const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog });
  t.teardown(() => projector.stop());
  await caughtUp(projector, env.store, projections);
  const status = projector.status();
  t.same(
    status.map((s) => s.name),
    ['lag-a', 'lag-b'],
  );
  for (const s of status) t.match(s, { state: 'active', eventsBehind: 0, msBehind: 0, deadLetters: 0, position: { commit: BigInt } });
  await projector.stop();
  t.same(
    projector.status().map((s) => s.state),
    ['stopped', 'stopped'],
  );
});

const storedCheckpoint = async (env: Env, name: string): Promise<string | undefined> =>
  (await env.pool.query<{ p: string | null }>(`SELECT prepare::text AS p FROM projection_checkpoints WHERE name = $1`, [name])).rows[0]
    ?.p ?? undefined;

t.test('a projection that handles some event types commits nothing for batches without them, and its checkpoint follows', async (t) => {
  const env = await openEnv(t);
  const releases: Projection = { ...counting('releases-only'), handles: new Set(['HoldReleased']) };
  const projections = [releases];
  const committed: string[][] = [];
  const hooks = { beforeCheckpoint: async (_: string, events: readonly RecordedEvent[]) => void committed.push(events.map((e) => e.type)) };
  const { eventId } = await givenEvent(env.store);
  await someHolds(env, eventId, 4);
  const projector = await startProjector({
    store: env.store,
    pool: env.pool,
    projections,
    log: silentLog,
    hooks,
    checkpointEveryMs: 60_000,
  });
  t.teardown(() => projector.stop());
  await caughtUp(projector, env.store, projections);
  t.same(committed, [], 'no transaction for the schedule and the holds');
  t.equal(await countsOf(env, 'releases-only', `event-${eventId}`), undefined, 'apply saw none of them');

  await appendEvent(env.store, eventId, [released(eventId, `${eventId}-b0`, 'cancelled')]);
  await caughtUp(projector, env.store, projections);
  t.same(
    committed,
    [['EventScheduled', 'SeatsHeld', 'SeatsHeld', 'SeatsHeld', 'SeatsHeld', 'HoldReleased']],
    'the release commits with the checkpoint of everything passed over before it',
  );
  t.same(await countsOf(env, 'releases-only', `event-${eventId}`), { n: 1, versions: [5] }, 'apply got the release alone');
  const last = (await readEverything(env.store, ['event-'])).at(-1);
  t.equal(await storedCheckpoint(env, 'releases-only'), String(last?.position.prepare));
});

t.test('events a projection passes over are checkpointed within checkpointEveryMs', async (t) => {
  const env = await openEnv(t);
  const projections: Projection[] = [{ ...counting('releases-late'), handles: new Set(['HoldReleased']) }];
  const { eventId } = await givenEvent(env.store);
  const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, checkpointEveryMs: 100 });
  t.teardown(() => projector.stop());
  await someHolds(env, eventId, 3);
  const last = String((await readEverything(env.store, ['event-'])).at(-1)?.position.prepare);
  await waitFor('the passed-over holds to be checkpointed', async () => (await storedCheckpoint(env, 'releases-late')) === last);
  t.equal(await countsOf(env, 'releases-late', `event-${eventId}`), undefined, 'and never applied');
  const [status] = projector.status();
  t.match(status, { eventsBehind: 0, position: { prepare: BigInt(last) } });
});

t.test('projections are checked at start', async (t) => {
  const env = await openEnv(t);
  await t.rejects(
    startProjector({ store: env.store, pool: env.pool, projections: [counting('dup'), counting('dup')], log: silentLog }),
    /listed twice/,
  );
  await t.rejects(startProjector({ store: env.store, pool: env.pool, projections: [counting('Bad Name')], log: silentLog }), /kebab-case/);
});

/** A counting projection under write pressure, its batches two events long, a minute between them while busy. */
const underPressure = async (t: Test, name: string, busy: () => boolean, maxYieldLagMs?: number) => {
  const env = await openEnv(t);
  const projections = [counting(name)];
  const { eventId } = await givenEvent(env.store);
  const projector = await startProjector({
    store: env.store,
    pool: env.pool,
    projections,
    log: silentLog,
    batchSize: 2,
    pressure: { busy },
    yieldMs: 60_000,
    ...(maxYieldLagMs === undefined ? {} : { maxYieldLagMs }),
  });
  t.teardown(() => projector.stop());
  await someHolds(env, eventId, 6);
  // The EventScheduled and six holds.
  return { applied: async () => (await countsOf(env, name, `event-${eventId}`))?.n ?? 0, total: 7 };
};

t.test('under write pressure a projection steps back: a batch per yieldMs, all at once when the pressure ends', async (t) => {
  let busy = true;
  const { applied, total } = await underPressure(t, 'count-yield', () => busy);
  // A first batch goes at once (the EventScheduled, perhaps a hold with it); the next one waits for the minute.
  await waitFor('the first batch', async () => (await applied()) > 0);
  await new Promise((r) => setTimeout(r, 300));
  t.ok((await applied()) <= 2, 'one batch of at most two events while the writer is busy');
  busy = false;
  await waitFor('the rest once the pressure is over', async () => (await applied()) === total, 10_000);
  t.equal(await applied(), total, 'caught up long before the minute it would have waited');
});

t.test('a projection stops yielding once its oldest event is maxYieldLagMs old', async (t) => {
  const { applied, total } = await underPressure(t, 'count-lag', () => true, 200);
  await waitFor('every event despite the pressure', async () => (await applied()) === total, 15_000);
  t.equal(await applied(), total, 'the lag bound let every batch go while still busy');
});
