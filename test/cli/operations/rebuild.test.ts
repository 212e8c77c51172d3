import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { getSeatMap } from '../../../src/projections/seat-map/index.js';
import { freshDatabase } from '../../support/services.js';
import { append, cliEnv, eventScheduled, openStore, runInProcess, venueRegistered } from '../helpers.js';

const url = await freshDatabase(t);
const dataDir = await mkdtemp(join(tmpdir(), 'marquee-rebuild-'));
t.teardown(() => rm(dataDir, { recursive: true, force: true }));
const env = cliEnv(url, { DATA_DIR: dataDir, DEMO_DATA: '0' });

const venueId = randomUUID();
const eventId = randomUUID();
const store = await openStore(url);
await append(store, `venue-${venueId}`, [venueRegistered(venueId)], 'no_stream');
await append(store, `event-${eventId}`, [eventScheduled(eventId, venueId, '2026-01-01T00:00:00.000Z')], 'no_stream');
const heldAt = new Date();
await append(
  store,
  `event-${eventId}`,
  [
    {
      type: 'SeatsHeld',
      data: {
        eventId,
        bookingId: randomUUID(),
        userId: 'user-1',
        seats: ['A-1-2', 'A-1-3'],
        standing: [],
        amount: 13_000,
        currency: 'GBP',
        heldAt: heldAt.toISOString(),
        expiresAt: new Date(heldAt.getTime() + 3_600_000).toISOString(),
      },
    },
  ],
  0,
);
await store.close();

const pool = new pg.Pool({ connectionString: url, max: 2 });
t.teardown(() => pool.end());
const firstRow = async (): Promise<string | undefined> => {
  const map = await getSeatMap(pool, eventId);
  const a = map?.sections.find((s) => s.id === 'A');
  return a?.kind === 'seated' ? a.rows[0]?.seats : undefined;
};

t.test('rebuild --list names the projections the projector runs', async (t) => {
  const r = await runInProcess(['rebuild', '--list'], env);
  t.equal(r.code, 0, r.stderr);
  const names = r.stdout.split('\n').filter(Boolean);
  t.ok(names.includes('seat-map'), `seat-map is one of ${names.join(', ')}`);
});

t.test('rebuild all builds the read models from the log', async (t) => {
  const r = await runInProcess(['rebuild', 'all'], env);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /^rebuilt .*seat-map.* in \d+\.\d s\n$/);
  t.equal(await firstRow(), 'AHHAAA', 'the seat map shows the hold');
});

t.test('rebuild of one projection replaces a damaged read model', async (t) => {
  await pool.query(`UPDATE seatmap_rows SET seats = 'SSSSSS' WHERE event_id = $1 AND label = '1'`, [eventId]);
  t.equal(await firstRow(), 'SSSSSS', 'damaged');
  const r = await runInProcess(['rebuild', 'seat-map'], env);
  t.equal(r.code, 0, r.stderr);
  t.equal(await firstRow(), 'AHHAAA', 'rebuilt from the log');
});

t.test('an unknown projection is a usage error naming the known ones', async (t) => {
  const r = await runInProcess(['rebuild', 'nope'], env);
  t.equal(r.code, 2);
  t.match(r.stderr, /^marquee rebuild: unknown projection "nope"; known: .*seat-map.*\n$/);
});
