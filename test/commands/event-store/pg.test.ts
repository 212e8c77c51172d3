import { randomUUID } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import type { Test } from 'tap';
import type { EventShape, EventStore, RecordedEvent } from '../../../src/commands/event-store/index.js';
import { WrongExpectedVersionError, anyEvent, comparePositions, openPgEventStore } from '../../../src/commands/event-store/index.js';
import { EVENT_WRITER_LOCK } from '../../../src/commands/event-store/pg-schema.js';
import { migrate } from '../../../src/commands/platform/index.js';
import { freshDatabase } from '../../support/services.js';
import { eventStoreContract } from './contract.js';

const url = await freshDatabase(t);
const open = (): Promise<EventStore<EventShape>> => openPgEventStore({ decode: anyEvent, connectionString: url, pollMs: 200 });

t.test('the event store contract', async (t) => {
  eventStoreContract(t, open);
});

const connect = async (t: Test, connectionString = url): Promise<pg.Client> => {
  const c = new pg.Client({ connectionString });
  await c.connect();
  t.teardown(() => c.end());
  return c;
};

const take = async (it: AsyncIterator<RecordedEvent<EventShape>>, n: number): Promise<RecordedEvent<EventShape>[]> => {
  const out: RecordedEvent<EventShape>[] = [];
  const deadline = Date.now() + 30_000;
  while (out.length < n) {
    if (Date.now() > deadline) throw new Error(`only ${out.length} of ${n} events arrived`);
    const r = await it.next();
    if (r.done) throw new Error('subscription ended');
    out.push(r.value);
  }
  return out;
};

t.test('a transaction that commits after later ones is still read, first, by readAll and a subscription', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const prefix = `late${randomUUID().slice(0, 8)}`;
  const sub = store.subscribeToAll({ streamPrefixes: [`${prefix}-`] });
  const it = sub[Symbol.asyncIterator]();
  await store.append(`${prefix}-early`, [{ type: 'Early', data: {} }], { expectedVersion: 'no_stream' });
  t.same(
    (await take(it, 1)).map((e) => e.type),
    ['Early'],
  );

  // The slow writer takes its transaction id first, then holds the transaction open.
  const slow = await connect(t);
  await slow.query('BEGIN');
  await slow.query(`SELECT * FROM event_store.append($1, 'no_stream', $2::jsonb, true)`, [
    `${prefix}-slow`,
    JSON.stringify([{ id: randomUUID(), type: 'Slow', data: {}, metadata: {} }]),
  ]);
  const later = [];
  for (let i = 0; i < 3; i++)
    later.push(await store.append(`${prefix}-fast${i}`, [{ type: `Fast${i}`, data: {} }], { expectedVersion: 'no_stream' }));
  t.equal((await store.readStream(`${prefix}-fast2`)).length, 1, 'the later appends are committed');

  const whileOpen = await store.readAll({ maxCount: 100, streamPrefixes: [`${prefix}-`] });
  t.same(
    whileOpen.map((e) => e.type),
    ['Early'],
    'readAll does not pass the transaction in flight',
  );
  const pending = it.next();
  const early = await Promise.race([pending.then(() => 'delivered'), new Promise((r) => setTimeout(() => r('waiting'), 800))]);
  t.equal(early, 'waiting', 'the subscription waits for the transaction in flight');

  await slow.query('COMMIT');
  // Other transactions on the server (other test files) may hold the horizon back a moment.
  let after = await store.readAll({ maxCount: 100, streamPrefixes: [`${prefix}-`] });
  for (let i = 0; i < 600 && after.length < 5; i++) {
    await new Promise((r) => setTimeout(r, 50));
    after = await store.readAll({ maxCount: 100, streamPrefixes: [`${prefix}-`] });
  }
  t.same(
    after.map((e) => e.type),
    ['Early', 'Slow', 'Fast0', 'Fast1', 'Fast2'],
    'the late event comes in its place',
  );
  const first = await pending;
  const delivered = [first.value as RecordedEvent<EventShape>, ...(await take(it, 3))];
  t.same(
    delivered.map((e) => e.type),
    ['Slow', 'Fast0', 'Fast1', 'Fast2'],
    'the subscription never skips it',
  );
  t.same(delivered.at(-1)?.position, later.at(-1)?.position);
  await sub.close();
});

t.test('migrations are applied once however many stores open, even at the same time', async (t) => {
  const dbUrl = await freshDatabase(t);
  const stores = await Promise.all([0, 1, 2].map(() => openPgEventStore({ decode: anyEvent, connectionString: dbUrl })));
  await Promise.all(stores.map((s) => s.close()));
  const again = await openPgEventStore({ decode: anyEvent, connectionString: dbUrl });
  await again.append('s', [{ type: 'E', data: 1 }], { expectedVersion: 'no_stream' });
  await again.close();
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  t.teardown(() => c.end());
  const rows = await c.query<{ namespace: string; version: number }>('SELECT namespace, version FROM schema_migrations ORDER BY version');
  t.same(rows.rows, [
    { namespace: 'event_store', version: 1 },
    { namespace: 'event_store', version: 2 },
    { namespace: 'event_store', version: 3 },
  ]);
  const reopened = await openPgEventStore({ decode: anyEvent, connectionString: dbUrl });
  t.equal((await reopened.readStream('s')).length, 1, 'data survives a reopen');
  await reopened.close();
});

t.test('the unique (stream, version) index rejects a write the streams table let through', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const stream = `dup${randomUUID().slice(0, 8)}`;
  await store.append(
    stream,
    [
      { type: 'A', data: 0 },
      { type: 'B', data: 1 },
    ],
    { expectedVersion: 'no_stream' },
  );
  const c = await connect(t);
  await c.query('UPDATE event_store.streams SET version = 0 WHERE stream = $1', [stream]);
  await t.rejects(store.append(stream, [{ type: 'C', data: 2 }], { expectedVersion: 0 }), WrongExpectedVersionError);
  t.same(
    (await store.readStream(stream)).map((e) => e.type),
    ['A', 'B'],
  );
});

t.test('a subscription keeps delivering when its LISTEN connection is dropped, and listens again', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const admin = await connect(t);
  const prefix = `drop${randomUUID().slice(0, 8)}`;
  const sub = store.subscribeToAll({ streamPrefixes: [`${prefix}-`] });
  const it = sub[Symbol.asyncIterator]();
  await store.append(`${prefix}-s`, [{ type: 'E', data: 0 }], { expectedVersion: 'no_stream' });
  await take(it, 1);
  const listeners = async (): Promise<number[]> =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'marquee-event-store-listener' AND datname = current_database()`,
      )
    ).rows.map((r) => r.pid);
  let before: number[] = [];
  for (let i = 0; i < 100 && before.length === 0; i++) {
    before = await listeners();
    if (before.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(before.length, 1, 'one LISTEN connection');
  await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);

  const next = take(it, 2);
  await store.append(`${prefix}-s`, [{ type: 'E', data: 1 }], { expectedVersion: 0 });
  await store.append(`${prefix}-s`, [{ type: 'E', data: 2 }], { expectedVersion: 1 });
  t.same(
    (await next).map((e) => e.version),
    [1, 2],
    'events keep coming in order',
  );

  let after: number[] = [];
  for (let i = 0; i < 100 && after.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = (await listeners()).filter((pid) => !before.includes(pid));
  }
  t.equal(after.length, 1, 'a new LISTEN connection replaced the dropped one');
  await sub.close();
});

t.test('a filtered subscription moves past many events of other streams', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const prefix = `flt${randomUUID().slice(0, 8)}`;
  const sub = store.subscribeToAll({ streamPrefixes: [`${prefix}-want`] });
  const it = sub[Symbol.asyncIterator]();
  const noise = Array.from({ length: 600 }, (_, i) => ({ type: 'Noise', data: i }));
  await store.append(`${prefix}-noise`, noise, { expectedVersion: 'no_stream' });
  await store.append(`${prefix}-want`, [{ type: 'Wanted', data: {} }], { expectedVersion: 'no_stream' });
  t.same(
    (await take(it, 1)).map((e) => e.type),
    ['Wanted'],
  );
  await sub.close();
});

t.test('bad input gets a clear error before touching the database', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  await t.rejects(store.append('s', [{ type: 'E', data: 0 }], { expectedVersion: -2 }), RangeError);
  await t.rejects(store.append('s', [{ type: 'E', data: 0 }], { expectedVersion: 1.5 }), RangeError);
  await t.rejects(store.append('s', [{ id: 'not-a-uuid', type: 'E', data: 0 }], { expectedVersion: 'any' }), /not a UUID/);
  await t.rejects(store.append('s', [{ type: '', data: 0 }], { expectedVersion: 'any' }), /no type/);
  await t.rejects(store.append('', [{ type: 'E', data: 0 }], { expectedVersion: 'any' }), /stream name/);
  await t.rejects(store.readAll({ maxCount: 0 }), RangeError);
  await t.rejects(store.readAll({ maxCount: 10, streamPrefixes: [] }), RangeError);
  await t.rejects(store.readStream('s', { fromVersion: -1 }), RangeError);
  t.same(await store.readStream('s'), [], 'nothing was written');
  t.equal((await store.append('s', [{ type: 'E', data: 0 }], { expectedVersion: -1 })).nextExpectedVersion, 0, '-1 means no stream');
});

t.test('an unreachable server is a clear error', async (t) => {
  await t.rejects(
    openPgEventStore({ decode: anyEvent, connectionString: 'postgres://postgres@127.0.0.1:1/nothing' }),
    /event store: cannot prepare PostgreSQL at 127\.0\.0\.1:1\/nothing/,
  );
});

t.test("a subscription rides out the server dropping the store's connections", async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const admin = await connect(t);
  const prefix = `kill${randomUUID().slice(0, 8)}`;
  const sub = store.subscribeToAll({ streamPrefixes: [`${prefix}-`] });
  const it = sub[Symbol.asyncIterator]();
  await store.append(`${prefix}-s`, [{ type: 'E', data: 0 }], { expectedVersion: 'no_stream' });
  await take(it, 1);
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE datname = current_database() AND application_name LIKE 'marquee-event-store%'`,
  );
  const writer = await open();
  t.teardown(() => writer.close());
  const next = take(it, 3);
  for (let v = 1; v <= 3; v++) await writer.append(`${prefix}-s`, [{ type: 'E', data: v }], { expectedVersion: v - 1 });
  t.same(
    (await next).map((e) => e.version),
    [1, 2, 3],
    'every later event arrives once, in order',
  );
  t.equal((await store.readStream(`${prefix}-s`)).length, 4, 'the store itself reconnects');
  await sub.close();
});

t.test('the migration runner applies each version once, rolls a failing one back, and refuses a renamed one', async (t) => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  t.teardown(() => pool.end());
  const v1 = { version: 1, name: 'first', sql: 'CREATE TABLE mig_a (x int); INSERT INTO mig_a VALUES (1)' };
  const v2 = { version: 2, name: 'second', sql: 'INSERT INTO mig_a VALUES (2)' };
  await migrate(pool, 'mig-test', [v2, v1]);
  await migrate(pool, 'mig-test', [v1, v2]);
  t.same((await pool.query('SELECT x FROM mig_a ORDER BY x')).rows, [{ x: 1 }, { x: 2 }], 'in version order, once');

  const bad = { version: 3, name: 'broken', sql: 'INSERT INTO mig_a VALUES (3); SELECT no_such_column FROM mig_a' };
  await t.rejects(migrate(pool, 'mig-test', [v1, v2, bad]), /mig-test: migration 3 \(broken\) failed/);
  t.same((await pool.query('SELECT count(*)::int AS n FROM mig_a')).rows, [{ n: 2 }], 'the failed migration left nothing');
  const versions = await pool.query("SELECT version FROM schema_migrations WHERE namespace = 'mig-test' ORDER BY version");
  t.same(versions.rows, [{ version: 1 }, { version: 2 }]);

  await t.rejects(migrate(pool, 'mig-test', [{ ...v1, name: 'renamed' }]), /applied as "first" but the code calls it "renamed"/);
  await t.rejects(migrate(pool, 'mig-test', [v1, { ...v2, version: 1 }]), /defined twice/);
  await t.rejects(migrate(pool, 'mig-test', [{ ...v1, version: 0 }]), /positive integer/);
  await t.rejects(migrate(pool, ' ', [v1]), /namespace/);
});

t.test('a transaction in flight that writes no events does not hold the log back, in this database or another', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const prefix = `busy${randomUUID().slice(0, 8)}`;
  // A read model's long batch here, and a long load in another database of the same server.
  const here = await connect(t);
  await here.query('BEGIN');
  await here.query('CREATE TEMP TABLE busy (x int) ON COMMIT DROP');
  await here.query('INSERT INTO busy VALUES (1)');
  const elsewhere = await connect(t, await freshDatabase(t));
  await elsewhere.query('BEGIN');
  await elsewhere.query('CREATE TABLE load (x int)');
  // Both stay open until their connections end with the test.

  const appended = await store.append(`${prefix}-a`, [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
  const read = await store.readAll({ maxCount: 10, streamPrefixes: [`${prefix}-`] });
  t.same(
    read.map((e) => e.type),
    ['A'],
    'the append is read while both transactions stay open',
  );
  const head = await store.headPosition();
  t.ok(head && comparePositions(head, appended.position) >= 0, 'the head reaches it too');
});

t.test('appending after another write in the same transaction is refused: its events could land behind readers', async (t) => {
  const store = await open();
  t.teardown(() => store.close());
  const c = await connect(t);
  await c.query('BEGIN');
  await c.query('CREATE TEMP TABLE earlier (x int) ON COMMIT DROP');
  await c.query('INSERT INTO earlier VALUES (1)');
  await t.rejects(
    c.query(`SELECT * FROM event_store.append($1, 'no_stream', $2::jsonb, false)`, [
      `late-writer-${randomUUID()}`,
      JSON.stringify([{ id: randomUUID(), type: 'X', data: {}, metadata: {} }]),
    ]),
    /appending must be the first write of a transaction/,
  );
  await c.query('ROLLBACK');

  await c.query('BEGIN');
  await c.query('CREATE TEMP TABLE earlier (x int) ON COMMIT DROP');
  await c.query('INSERT INTO earlier VALUES (1)');
  await t.rejects(
    c.query(`INSERT INTO event_store.streams (stream, version) VALUES ($1, -1)`, [`by-hand-${randomUUID()}`]),
    /appending must be the first write of a transaction/,
    'so is writing the log by hand',
  );
  await c.query('ROLLBACK');

  // A bulk load that starts with the log is a writer from its first statement.
  await c.query('BEGIN');
  const bulk = `bulk-${randomUUID()}`;
  await c.query(`INSERT INTO event_store.streams (stream, version) VALUES ($1, 0)`, [bulk]);
  await c.query(`INSERT INTO event_store.events (stream, version, id, type, data) VALUES ($1, 0, $2, 'X', '{}')`, [bulk, randomUUID()]);
  const declared = await c.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = $1 AND objid = $2`,
    [EVENT_WRITER_LOCK.classId, EVENT_WRITER_LOCK.objId],
  );
  t.equal(declared.rows[0]?.n, '1', 'it holds the writer lock');
  await c.query('COMMIT');

  await c.query('BEGIN');
  const stream = `first-writer-${randomUUID()}`;
  for (const v of ['no_stream', '0'])
    await c.query(`SELECT * FROM event_store.append($1, $2, $3::jsonb, false)`, [
      stream,
      v,
      JSON.stringify([{ id: randomUUID(), type: 'X', data: {}, metadata: {} }]),
    ]);
  await c.query('COMMIT');
  t.equal((await store.readStream(stream)).length, 2, 'two appends in one transaction that begins with them are fine');
});
