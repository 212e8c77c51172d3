import pg from 'pg';
import type { Test } from 'tap';
import type { EventStore, RecordedEvent } from '../../../src/commands/event-store/index.js';
import { domainEvent, openPgEventStore } from '../../../src/commands/event-store/index.js';
import { eventStream, type TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import type { Projection } from '../../../src/projections/projector/index.js';
import type { SearchIndex, SearchQuery } from '../../../src/projections/search/index.js';
import type { SearchPage } from '../../../src/projections/search/port.js';
import { CATALOGUE_SCHEDULED, catalogue, distanceKm, scheduled, venues } from './fixtures.js';

/** What an adapter's test file hands the contract: its index and the projection that feeds it. */
export type SearchSubject = {
  readonly index: SearchIndex;
  readonly projection: Projection;
  readonly pool: pg.Pool;
};

export type Harness = SearchSubject & {
  readonly store: EventStore;
  /** Appends to the real event store, then runs the projection over what was appended, as the projector would. */
  readonly append: (eventId: string, events: readonly TicketedEventEvent[]) => Promise<RecordedEvent[]>;
  readonly project: (events: readonly RecordedEvent[]) => Promise<void>;
  readonly search: (q: Partial<SearchQuery>) => Promise<SearchPage>;
};

export const harness = async (t: Test, databaseUrl: string, subject: SearchSubject): Promise<Harness> => {
  const store = await openPgEventStore({ decode: domainEvent, connectionString: databaseUrl, notify: false });
  t.teardown(() => store.close());
  const { pool, projection } = subject;
  const db = await pool.connect();
  try {
    await projection.setup(db);
  } finally {
    db.release();
  }
  const project = async (events: readonly RecordedEvent[]): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await projection.apply(
        client,
        events.filter((e) => projection.streamPrefixes.some((p) => e.stream.startsWith(p))),
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    await projection.afterCommit?.(events);
  };
  const append = async (eventId: string, events: readonly TicketedEventEvent[]): Promise<RecordedEvent[]> => {
    const stream = eventStream(eventId);
    const before = (await store.readStream(stream)).length;
    await store.append(stream, events, { expectedVersion: before === 0 ? 'no_stream' : before - 1 });
    const recorded = await store.readStream(stream, { fromVersion: before });
    await project(recorded);
    return recorded;
  };
  const search = (q: Partial<SearchQuery>) =>
    subject.index.search({ sort: q.q ? 'relevance' : q.near ? 'distance' : 'startsAt', page: 1, pageSize: 20, ...q });
  return { ...subject, store, append, project, search };
};

const ids = (p: SearchPage): string[] => p.items.map((i) => i.id);

/** The one suite every search adapter passes. */
export const searchContract = async (t: Test, open: (t: Test) => Promise<Harness>): Promise<void> => {
  const h = await open(t);
  for (const [id, events] of catalogue()) await h.append(id, events);

  t.test('typo queries find the right event', async (t) => {
    t.equal((await h.search({ q: 'tayler swfit' })).items[0]?.id, 'taylor', 'tayler swfit -> Taylor Swift');
    t.equal((await h.search({ q: 'coldpaly' })).items[0]?.id, 'coldplay', 'coldpaly -> Coldplay');
    t.equal((await h.search({ q: 'hamletv' })).items[0]?.id, 'hamlet', 'hamletv -> Hamlet');
  });

  t.test('multi-word queries need every word', async (t) => {
    t.same(ids(await h.search({ q: 'eras tour london' })), ['taylor']);
    t.same(ids(await h.search({ q: 'manchester liverpool' })), ['derby']);
  });

  t.test('matches by performer, venue and city', async (t) => {
    t.same(ids(await h.search({ q: 'Taylor Swift' })), ['taylor'], 'performer');
    t.same(ids(await h.search({ q: 'wembley' })), ['taylor'], 'venue');
    t.same(ids(await h.search({ q: 'stratford' })), ['hamlet'], 'city');
    t.same(ids(await h.search({ q: 'beyonce' })), ['beyonce'], 'accents do not matter');
    t.same(ids(await h.search({ q: 'denmark' })), ['hamlet'], 'description');
    const manchester = await h.search({ q: 'Manchester' });
    t.same(ids(manchester).sort(), ['coldplay', 'derby'], 'city and name');
    t.equal(manchester.items[0]?.id, 'derby', 'a match in the name ranks above a match in the city');
  });

  t.test('the last word matches as a prefix while typing', async (t) => {
    t.same(ids(await h.search({ q: 'taylor sw' })), ['taylor']);
    t.same(ids(await h.search({ q: 'cold' })), ['coldplay']);
  });

  t.test('filters by performer and venue ids', async (t) => {
    t.same(ids(await h.search({ performer: 'taylor-swift' })), ['taylor']);
    t.same(ids(await h.search({ performer: 'liverpool-fc' })), ['derby']);
    t.same(ids(await h.search({ venue: 'rst' })), ['hamlet']);
    const item = (await h.search({ performer: 'beyonce' })).items[0];
    t.same(item?.performers, [{ id: 'beyonce', name: 'Beyoncé' }]);
  });

  t.test('a radius includes what is inside and excludes what is just outside', async (t) => {
    const origin = venues.odeon.location;
    const d = distanceKm(origin, venues.wembley.location);
    const inside = await h.search({ near: origin, radiusKm: d + 0.3, sort: 'distance' });
    t.same(ids(inside), ['dune', 'taylor'], 'sorted by distance');
    t.ok(Math.abs((inside.items[1]?.distanceKm ?? 0) - d) < 0.2, `distanceKm ${inside.items[1]?.distanceKm} ~ ${d.toFixed(2)}`);
    t.equal(inside.items[0]?.distanceKm, 0);
    const outside = await h.search({ near: origin, radiusKm: d - 0.3, sort: 'distance' });
    t.same(ids(outside), ['dune']);
    const manchester = await h.search({ near: { lat: 53.4808, lng: -2.2426 }, sort: 'distance' });
    t.same(ids(manchester), ['coldplay', 'derby'], 'default radius 50 km');
  });

  t.test('date windows include from and exclude to', async (t) => {
    t.same(ids(await h.search({ from: '2030-04-01T20:00:00Z', to: '2030-06-01T18:00:00Z' })), ['dune', 'hamlet']);
    t.same(ids(await h.search({ from: '2030-08-01T00:00:00Z', to: '2030-09-30T00:00:00Z' })), ['beyonce']);
  });

  t.test('filters by category', async (t) => {
    t.same(ids(await h.search({ category: 'theatre' })), ['hamlet']);
    t.same(ids(await h.search({ category: 'sports', q: 'manchester' })), ['derby']);
    t.same(ids(await h.search({ category: 'opera' })), []);
  });

  t.test('pages are stable and totals exact', async (t) => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const p = await h.search({ venue: 'colston-hall', page, pageSize: 10 });
      t.equal(p.total, 25, `page ${page} total`);
      t.equal(p.items.length, page === 3 ? 5 : 10);
      seen.push(...ids(p));
    }
    t.equal(new Set(seen).size, 25, 'no item twice, none missing');
    const again = await h.search({ venue: 'colston-hall', page: 1, pageSize: 10 });
    t.same(ids(again), seen.slice(0, 10), 'the same page twice is the same');
    t.same(ids(again).slice(0, 2), ['jazz-00', 'jazz-24'], 'ties on start time break by id');
    const past = await h.search({ venue: 'colston-hall', page: 4, pageSize: 10 });
    t.same(past.items, []);
    t.equal(past.total, 25, 'a page past the end still tells the total');
    const all = await h.search({ pageSize: 100 });
    t.equal(all.total, CATALOGUE_SCHEDULED);
    const byWord = await h.search({ q: 'jazz', pageSize: 7, page: 2 });
    t.equal(byWord.total, 25);
    t.equal(byWord.items.length, 7);
  });

  t.test("distance-sorted pages over one venue's many dates concatenate to the list by start time then id", async (t) => {
    const near = venues.colston.location;
    const whole = await h.search({ near, radiusKm: 5, sort: 'distance', pageSize: 100 });
    const expected = ['jazz-00', 'jazz-24', ...Array.from({ length: 23 }, (_, i) => `jazz-${String(i + 1).padStart(2, '0')}`)];
    t.same(ids(whole), expected, 'equal distances: start time, then id');
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const p = await h.search({ near, radiusKm: 5, sort: 'distance', page, pageSize: 7 });
      t.equal(p.total, 25, `page ${page} total`);
      t.ok(
        p.items.every((i) => i.distanceKm === 0),
        `page ${page}: every item is at the venue`,
      );
      seen.push(...ids(p));
    }
    t.same(seen, expected, 'pages of 7 concatenate to the whole list: no duplicates, no gaps');
  });

  t.test('empty or punctuation-only q browses everything', async (t) => {
    t.equal((await h.search({ q: '' })).total, CATALOGUE_SCHEDULED);
    t.equal((await h.search({ q: '  !!! ... ?? ' })).total, CATALOGUE_SCHEDULED);
  });

  t.test('words nothing resembles find nothing, and are dropped beside words that match', async (t) => {
    t.same(ids(await h.search({ q: 'xqzvvk' })), []);
    t.same(ids(await h.search({ q: 'coldplay xqzvvk' })), ['coldplay']);
  });

  t.test('SQL-looking input is harmless', async (t) => {
    t.same(ids(await h.search({ q: "'; DROP TABLE search_events; --" })), []);
    t.same(ids(await h.search({ q: "hamlet' OR 'x'='x" })), ['hamlet']);
    t.same(ids(await h.search({ q: "\\' & | ! :* () <-> hamlet" })), ['hamlet']);
    t.same(ids(await h.search({ category: "music' OR 1=1 --" })), []);
    t.equal((await h.search({})).total, CATALOGUE_SCHEDULED, 'the index is intact');
  });

  t.test('cancelled events leave results', async (t) => {
    t.same(ids(await h.search({ q: 'arctic monkeys' })), []);
    t.notOk(ids(await h.search({ near: venues.o2.location, radiusKm: 5 })).includes('monkeys'));
    await h.append('coldplay', [
      { type: 'EventCancelled', data: { eventId: 'coldplay', reason: 'weather', cancelledAt: '2029-03-01T00:00:00Z' } },
    ]);
    t.same(ids(await h.search({ q: 'coldplay' })), []);
    t.same(ids(await h.search({ status: 'cancelled', q: 'coldplay' })), ['coldplay'], 'still indexed as cancelled');
  });

  t.test('catalogue changes are searchable at once and old names stop matching', async (t) => {
    await h.append('dune', [
      {
        type: 'EventDetailsChanged',
        data: { eventId: 'dune', changes: { name: 'Dune Messiah', performers: ['Denis Villeneuve', 'Zendaya'] } },
      },
    ]);
    t.same(ids(await h.search({ q: 'messiah' })), ['dune']);
    t.same(ids(await h.search({ q: 'zendaya' })), ['dune']);
    t.same(ids(await h.search({ q: 'part three' })), []);
  });

  t.test('availability and price-from follow holds, sales and releases', async (t) => {
    const id = 'stock';
    await h.append(id, [
      scheduled(id, 'colston', {
        name: 'Stock Check Gala',
        performers: ['Inventory Quartet'],
        category: 'music',
        startsAt: '2031-01-01T20:00:00Z',
        prices: { A: 3000, PIT: 4500 },
      }),
    ]);
    const item = async () => (await h.search({ q: 'stock check gala' })).items[0];
    t.match(await item(), { available: 110, capacity: 110, priceFrom: 3000, currency: 'GBP', status: 'scheduled' });
    const seatsA = Array.from({ length: 10 }, (_, i) => `A-${i < 5 ? 1 : 2}-${(i % 5) + 1}`);
    const held = {
      type: 'SeatsHeld',
      data: {
        eventId: id,
        bookingId: 'b1',
        userId: 'u1',
        seats: seatsA,
        standing: [{ sectionId: 'PIT', quantity: 2 }],
        amount: 39000,
        currency: 'GBP',
        heldAt: '2029-05-01T10:00:00Z',
        expiresAt: '2029-05-01T10:05:00Z',
      },
    } as const;
    const recorded = await h.append(id, [held]);
    t.match(await item(), { available: 98, priceFrom: 4500 }, 'section A is gone, so the price from is the pit');
    await h.project(recorded);
    t.match(await item(), { available: 98 }, 'a replayed batch changes nothing');
    await h.append(id, [
      {
        type: 'HoldReleased',
        data: {
          eventId: id,
          bookingId: 'b1',
          reason: 'expired',
          seats: seatsA,
          standing: [{ sectionId: 'PIT', quantity: 2 }],
          releasedAt: '2029-05-01T10:05:00Z',
        },
      },
      { ...held, data: { ...held.data, bookingId: 'b2', seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }] } },
      {
        type: 'BookingConfirmed',
        data: {
          eventId: id,
          bookingId: 'b2',
          userId: 'u1',
          late: false,
          confirmedAt: '2029-05-01T10:02:00Z',
          tickets: [1, 2, 3].map((n) => ({ ticketId: `t${n}`, sectionId: 'PIT' })),
        },
      },
    ]);
    t.match(await item(), { available: 107, priceFrom: 3000 });
    await h.append(id, [
      {
        type: 'BookingConfirmed',
        data: {
          eventId: id,
          bookingId: 'b1',
          userId: 'u1',
          late: true,
          confirmedAt: '2029-05-01T10:06:00Z',
          tickets: [{ ticketId: 't9', seat: 'A-1-1', sectionId: 'A' }],
        },
      },
    ]);
    t.match(await item(), { available: 106 }, 'a late confirmation sells what it confirms');
  });
};

export const openPool = (t: Test, url: string): pg.Pool => {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // The database may be dropped before the pool ends: its idle connections then fail, harmlessly.
  pool.on('error', () => undefined);
  t.teardown(() => pool.end());
  return pool;
};
