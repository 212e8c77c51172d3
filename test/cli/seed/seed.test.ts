import { PassThrough } from 'node:stream';
import pg from 'pg';
import t from 'tap';
import type { CliContext } from '../../../src/cli/program/index.js';
import { UsageError } from '../../../src/cli/program/index.js';
import { parseSeedArgs, run } from '../../../src/cli/seed/seed.js';
import { syntheticCatalogue } from '../../../src/cli/seed/index.js';
import { domainEvent, openPgEventStore } from '../../../src/commands/event-store/index.js';
import { pgSearchIndex, searchProjection } from '../../../src/projections/search/index.js';
import { freshDatabase } from '../../support/services.js';
import { openPool } from '../../projections/search/contract.js';

const start = new Date('2027-01-01T00:00:00Z');

t.test('the same seed gives the same catalogue, another seed another', async (t) => {
  const ids = (seed: number) =>
    [...syntheticCatalogue({ events: 30, seed, start, days: 365 }).events()].map((e) => `${e.event.data.eventId} ${e.event.data.name}`);
  t.same(ids(7), ids(7));
  t.notSame(ids(7), ids(8));
});

t.test('events are realistic: real cities, local currencies, future starts, prices for every section', { timeout: 120_000 }, async (t) => {
  const { venues, events } = syntheticCatalogue({ events: 2000, seed: 3, start, days: 365 });
  t.ok(venues.length >= 80);
  const cityCounts = new Map<string, number>();
  const problems: string[] = [];
  for (const { event } of events()) {
    const e = event.data;
    const at = Date.parse(e.startsAt);
    if (!(at > start.getTime() && at <= start.getTime() + 366 * 86_400_000)) problems.push(`${e.eventId} starts ${e.startsAt}`);
    if (Date.parse(e.onSaleAt) > at) problems.push(`${e.eventId} goes on sale after it starts`);
    if (
      Object.keys(e.sectionPrices).sort().join() !==
      e.layout.sections
        .map((s) => s.id)
        .sort()
        .join()
    )
      problems.push(`${e.eventId} prices`);
    if (e.performers.length === 0) problems.push(`${e.eventId} has no performer`);
    if (e.venue.country === 'GB' && e.currency !== 'GBP') problems.push(`${e.eventId}: GB event in ${e.currency}`);
    const city = `${e.venue.city}, ${e.venue.country}`;
    cityCounts.set(city, (cityCounts.get(city) ?? 0) + 1);
  }
  t.same(problems, []);
  const top = [...cityCounts.values()].sort((a, b) => b - a);
  t.ok((top[0] ?? 0) > 2000 / cityCounts.size, 'big cities get more events than the average city');
});

t.test('arguments are checked', async (t) => {
  t.throws(() => parseSeedArgs([]), UsageError);
  t.throws(() => parseSeedArgs(['--synthetic', 'many']), UsageError);
  t.throws(() => parseSeedArgs(['--synthetic', '10', '--start', 'soon']), UsageError);
  t.throws(() => parseSeedArgs(['--synthetic', '10', '--bogus']), UsageError);
  t.throws(() => parseSeedArgs(['--synthetic', '10', '--window', '-1']), UsageError);
  t.match(parseSeedArgs(['--synthetic', '10']), { window: 3000 }, 'the seed keeps pace with the read models by default');
  t.match(parseSeedArgs(['--synthetic', '10', '--window', '0']), { window: 0 });
  t.match(parseSeedArgs(['--synthetic', '10', '--seed', '5', '--start', '2027-02-03']), {
    events: 10,
    seed: 5,
    start: new Date('2027-02-03T00:00:00Z'),
  });
  t.equal(parseSeedArgs(['--help']), 'help');
});

t.test('seeding appends through the event store, is searchable, and a second run adds nothing', { timeout: 120_000 }, async (t) => {
  const url = await freshDatabase(t);
  const stderr = new PassThrough();
  let said = '';
  stderr.on('data', (b: Buffer) => (said += b.toString()));
  const ctx = {
    stdout: new PassThrough(),
    stderr,
    env: {},
    config: () => ({ EVENT_STORE: 'postgres' }),
    log: () => {
      throw new Error('not used');
    },
    // The seed keeps pace with the projector through this pool; no projector ever ran here, so it never waits.
    openStoreAndDatabase: async () => {
      const store = await openPgEventStore({ decode: domainEvent, connectionString: url, notify: false });
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      return { store, pool, close: () => Promise.all([store.close(), pool.end()]) };
    },
  } as unknown as CliContext;
  await run(['--synthetic', '60', '--seed', '9', '--start', '2027-01-01'], ctx);
  t.match(said, /seed: \d+ venues and 60 events/);
  const store = await openPgEventStore({ decode: domainEvent, connectionString: url, notify: false });
  t.teardown(() => store.close());
  // readAll never passes a transaction still in flight anywhere on the server, so it may trail for a moment.
  const readAllOf = async (atLeast: number) => {
    for (let i = 0; ; i++) {
      const events = await store.readAll({ maxCount: 1000 });
      if (events.length >= atLeast || i === 100) return events;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const venueCount = syntheticCatalogue({ events: 60, seed: 9, start, days: 365 }).venues.length;
  const all = await readAllOf(60 + venueCount);
  t.equal(all.filter((e) => e.type === 'EventScheduled').length, 60);
  t.ok(all.filter((e) => e.type === 'VenueRegistered').length >= 5);
  t.ok(
    all.every((e) => e.version === 0),
    'one fact per new stream',
  );

  said = '';
  await run(['--synthetic', '60', '--seed', '9', '--start', '2027-01-01'], ctx);
  t.match(said, /already existed/);
  t.match(said, new RegExp(`${60 + venueCount} streams already existed`), 'every stream was there already, so nothing was appended');

  const pool = openPool(t, url);
  const index = pgSearchIndex(pool);
  const projection = searchProjection(index.store);
  const db = await pool.connect();
  try {
    await projection.setup(db);
    await db.query('BEGIN');
    await projection.apply(db, all);
    await db.query('COMMIT');
  } finally {
    db.release();
  }
  const first = all.find((e) => e.type === 'EventScheduled')?.data as { name: string; eventId: string };
  const found = await index.search({ q: first.name, sort: 'relevance', page: 1, pageSize: 100 });
  t.ok(
    found.items.some((i) => i.id === first.eventId),
    `"${first.name}" is found`,
  );
  t.equal((await index.search({ sort: 'startsAt', page: 1, pageSize: 1 })).total, 60);
});
