import pg from 'pg';
import t, { type Test } from 'tap';
import { readModelPace } from '../../../src/cli/seed/pace.js';
import { prepareProjectorTables } from '../../../src/projections/projector/index.js';
import { freshDatabase } from '../../support/services.js';

const openPool = async (t: Test): Promise<pg.Pool> => {
  const pool = new pg.Pool({ connectionString: await freshDatabase(t), max: 2 });
  t.teardown(() => pool.end());
  return pool;
};

const checkpointAt = (pool: pg.Pool, name: string, prepare: number) =>
  pool.query(
    `INSERT INTO projection_checkpoints (name, commit, prepare) VALUES ($1, 1, $2)
     ON CONFLICT (name) DO UPDATE SET prepare = EXCLUDED.prepare`,
    [name, prepare],
  );

const settledWithin = async (p: Promise<void>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

t.test('given no projector ever ran on the database, the seed never waits', async (t) => {
  const pool = await openPool(t);
  const pace = readModelPace(pool, { window: 10 });
  t.ok(await settledWithin(pace(1_000_000n), 1_000));
});

t.test('given every read model within the window, the seed goes on at once', async (t) => {
  const pool = await openPool(t);
  await prepareProjectorTables(pool, []);
  await checkpointAt(pool, 'catalogue', 900);
  await checkpointAt(pool, 'search', 995);
  t.ok(await settledWithin(readModelPace(pool, { window: 100 })(1_000n), 1_000));
});

t.test('given a read model further behind, the seed waits until it catches up to the window', async (t) => {
  const pool = await openPool(t);
  await prepareProjectorTables(pool, []);
  await checkpointAt(pool, 'search', 100);
  const pace = readModelPace(pool, { window: 100, pollMs: 10, stallMs: 5_000 });
  const waiting = pace(1_000n);
  t.notOk(await settledWithin(waiting, 300), 'held back while search is 900 events behind');
  await checkpointAt(pool, 'search', 600);
  t.notOk(await settledWithin(waiting, 200), 'still 400 behind');
  await checkpointAt(pool, 'search', 900);
  t.ok(await settledWithin(waiting, 1_000), 'on its way once search is within 100');
});

t.test('given a read model whose checkpoint stopped moving, the seed stops waiting for it', async (t) => {
  const pool = await openPool(t);
  await prepareProjectorTables(pool, []);
  await checkpointAt(pool, 'search-typesense', 1);
  const started = Date.now();
  t.ok(await settledWithin(readModelPace(pool, { window: 100, pollMs: 10, stallMs: 300 })(1_000n), 3_000));
  t.ok(Date.now() - started >= 250, 'after it was still for stallMs');
});

t.test('a window of 0 never waits', async (t) => {
  const pool = await openPool(t);
  await prepareProjectorTables(pool, []);
  await checkpointAt(pool, 'search', 0);
  t.ok(await settledWithin(readModelPace(pool, { window: 0 })(1_000_000n), 500));
});
