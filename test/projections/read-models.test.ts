import { randomUUID } from 'node:crypto';
import t from 'tap';
import { getBooking, listBookingsForUser, listTicketsForUser } from '../../src/projections/bookings/index.js';
import { getEvent, getVenue } from '../../src/projections/catalogue/index.js';
import { getPerformer, listEvents } from '../../src/projections/catalogue/index.js';
import { dueHolds } from '../../src/projections/hold-deadlines/index.js';
import { createMemoryBus } from '../../src/projections/bus/index.js';
import { startProjector } from '../../src/projections/projector/index.js';
import { readModelProjections } from '../../src/runtime/compose/index.js';
import { getSeatMap, type SeatMapChange } from '../../src/projections/seat-map/index.js';
import {
  catalogueCounts,
  appendEvent,
  cancelledEvent,
  caughtUp,
  checkoutStarted,
  confirmed,
  givenEvent,
  held,
  openEnv,
  paid,
  refundIssued,
  refundRequested,
  released,
  silentLog,
} from './helpers.js';

const env = await openEnv(t);
const bus = createMemoryBus();
const projections = readModelProjections({ bus, log: silentLog });
const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, lockRetryMs: 200 });
t.teardown(() => projector.stop());
const settled = () => caughtUp(projector, env.store, projections);

const rowsOf = async (eventId: string): Promise<string[]> => {
  const map = await getSeatMap(env.pool, eventId);
  const a = map?.sections.find((s) => s.id === 'A');
  return a && a.kind === 'seated' ? a.rows.map((r) => r.seats) : [];
};
const standingOf = async (eventId: string): Promise<number | undefined> => {
  const pit = (await getSeatMap(env.pool, eventId))?.sections.find((s) => s.id === 'PIT');
  return pit?.kind === 'standing' ? pit.available : undefined;
};

t.test('the catalogue shows a scheduled event with venue, prices, capacity and availability', async (t) => {
  const { venueId, eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    { type: 'EventDetailsChanged', data: { eventId, changes: { name: 'Aurora Live II', sectionPrices: { PIT: 3000 } } } },
    {
      type: 'WaitingRoomConfigured',
      data: { eventId, enabled: true, opensAt: '2026-12-01T10:00:00.000Z', admitPerMinute: 600, accessSeconds: 600 },
    },
    held(eventId, 'b-cat-1', { seats: ['A-1-1', 'A-1-2'], standing: [{ sectionId: 'PIT', quantity: 3 }] }),
  ]);
  await settled();
  const event = await getEvent(env.pool, eventId);
  t.match(event, {
    id: eventId,
    name: 'Aurora Live II',
    category: 'music',
    performers: [
      { id: 'aurora', name: 'Aurora' },
      { id: 'sigrid', name: 'Sigrid' },
    ],
    startsAt: '2027-03-01T19:30:00.000Z',
    venue: { id: venueId, name: 'Riverside Arena', city: 'Manchester', location: { lat: 53.4794, lng: -2.2453 } },
    priceFrom: 3000,
    currency: 'GBP',
    capacity: 17,
    available: 12,
    status: 'scheduled',
    description: 'An evening with Aurora',
    sections: [
      { id: 'A', kind: 'seated', price: 6500, capacity: 7 },
      { id: 'PIT', kind: 'standing', price: 3000, capacity: 10 },
    ],
    holdSeconds: 300,
    maxTicketsPerUser: 8,
    onSaleAt: '2026-01-01T10:00:00.000Z',
    waitingRoom: { enabled: true, admitPerMinute: 600 },
    version: 3,
  });
  t.match(await getVenue(env.pool, venueId), {
    id: venueId,
    city: 'Manchester',
    capacity: 17,
    layout: { sections: [{ id: 'A' }, { id: 'PIT' }] },
  });
  t.equal(await getEvent(env.pool, 'no-such-event'), undefined);
  const performer = await getPerformer(env.pool, 'sigrid', new Date('2026-11-27T00:00:00Z'));
  t.equal(performer?.name, 'Sigrid');
  t.ok(performer?.upcoming.some((e) => e.id === eventId));
  const listed = await listEvents(env.pool, { venue: venueId }, 1, 20);
  t.equal(listed.total, 1);
});

t.test('a cancelled event reads as cancelled', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [cancelledEvent(eventId)]);
  await settled();
  t.equal((await getEvent(env.pool, eventId))?.status, 'cancelled');
});

t.test('the seat map starts all available and follows holds, releases and sales', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await settled();
  t.same(await rowsOf(eventId), ['AAAA', 'AAA']);
  t.equal(await standingOf(eventId), 10);

  await appendEvent(env.store, eventId, [
    held(eventId, 'b1', { seats: ['A-1-1', 'A-1-2'], standing: [{ sectionId: 'PIT', quantity: 2 }] }),
    held(eventId, 'b2', { seats: ['A-2-3'] }),
  ]);
  await settled();
  t.same(await rowsOf(eventId), ['HHAA', 'AAH'], 'held seats are H');
  t.equal(await standingOf(eventId), 8);

  await appendEvent(env.store, eventId, [released(eventId, 'b2', 'cancelled', ['A-2-3'])]);
  await appendEvent(env.store, eventId, [
    checkoutStarted(eventId, 'b1'),
    paid(eventId, 'b1', 17_000),
    confirmed(eventId, 'b1', [
      { seat: 'A-1-1', sectionId: 'A' },
      { seat: 'A-1-2', sectionId: 'A' },
      { sectionId: 'PIT' },
      { sectionId: 'PIT' },
    ]),
  ]);
  await settled();
  t.same(await rowsOf(eventId), ['SSAA', 'AAA'], 'a released seat is A again, a confirmed one S');
  t.equal(await standingOf(eventId), 8, 'sold standing places stay taken');

  await appendEvent(env.store, eventId, [refundRequested(eventId, 'b1', 17_000), refundIssued(eventId, 'b1', 17_000)]);
  await settled();
  t.same(await rowsOf(eventId), ['AAAA', 'AAA'], 'a refunded booking frees its seats');
  t.equal(await standingOf(eventId), 10);
  const map = await getSeatMap(env.pool, eventId);
  t.equal(map?.version, 8, 'the map carries the stream version');
  t.match(map, {
    eventId,
    currency: 'GBP',
    sections: [
      { id: 'A', kind: 'seated', price: 6500 },
      { id: 'PIT', kind: 'standing', price: 4500, capacity: 10 },
    ],
  });
  t.equal(await getSeatMap(env.pool, 'nope'), undefined);
});

t.test('the release of a lapsed hold does not free a seat another booking has taken since', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 'lapsed', { seats: ['A-1-1'], expiresAt: '2026-11-27T12:05:00.000Z' }),
    held(eventId, 'later', { seats: ['A-1-1'], heldAt: '2026-11-27T12:05:01.000Z', expiresAt: '2026-11-27T12:10:00.000Z' }),
    released(eventId, 'lapsed', 'expired', ['A-1-1']),
  ]);
  await settled();
  t.same(await rowsOf(eventId), ['HAAA', 'AAA']);
  await appendEvent(env.store, eventId, [released(eventId, 'later', 'cancelled', ['A-1-1'])]);
  await settled();
  t.same(await rowsOf(eventId), ['AAAA', 'AAA']);
});

t.test('a late payment confirms a released hold and takes its places again', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 'late', { seats: ['A-2-1'], standing: [{ sectionId: 'PIT', quantity: 1 }] }),
    released(eventId, 'late', 'expired', ['A-2-1'], [{ sectionId: 'PIT', quantity: 1 }]),
  ]);
  await settled();
  t.equal(await standingOf(eventId), 10);
  await appendEvent(env.store, eventId, [
    paid(eventId, 'late', 11_000),
    confirmed(eventId, 'late', [{ seat: 'A-2-1', sectionId: 'A' }, { sectionId: 'PIT' }], 'user-1', true),
  ]);
  await settled();
  t.same(await rowsOf(eventId), ['AAAA', 'SAA']);
  t.equal(await standingOf(eventId), 9);
  t.same(await catalogueCounts(env.pool, eventId), { sold: 2, held: 0 });
  t.equal((await getEvent(env.pool, eventId))?.available, 15);
});

t.test('a seat-map message with the changed seats and the version is published after the commit', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await settled();
  const got: SeatMapChange[] = [];
  const off = bus.subscribe(`seatmap.${eventId}`, (m) => got.push(m as SeatMapChange));
  t.teardown(off);
  await appendEvent(env.store, eventId, [held(eventId, 'pub-1', { seats: ['A-1-3'], standing: [{ sectionId: 'PIT', quantity: 4 }] })]);
  await settled();
  const message = await (async () => {
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    return got[0];
  })();
  t.same(message, { eventId, version: 1, changes: { 'A-1-3': 'H' }, standing: { PIT: 6 } });
  const map = await getSeatMap(env.pool, eventId);
  t.equal(map?.version, message?.version, 'the message version matches the committed map');
});

t.test('bookings follow the lifecycle with the statuses of the API', async (t) => {
  const { eventId } = await givenEvent(env.store);
  const user = `user-${randomUUID()}`;
  const now = new Date('2026-11-27T12:03:00.000Z');
  await appendEvent(env.store, eventId, [held(eventId, 'bk-1', { userId: user, seats: ['A-1-1'], heldAt: '2026-11-27T12:00:00.000Z' })]);
  await settled();
  t.match(await getBooking(env.pool, 'bk-1', now), {
    id: 'bk-1',
    eventId,
    userId: user,
    status: 'held',
    seats: ['A-1-1'],
    standing: [],
    amount: 6500,
    currency: 'GBP',
    expiresAt: '2026-11-27T12:05:00.000Z',
    createdAt: '2026-11-27T12:00:00.000Z',
    tickets: [],
    event: { name: 'Aurora Live', venueName: 'Riverside Arena' },
  });
  t.equal(
    (await getBooking(env.pool, 'bk-1', new Date('2026-11-27T12:05:00.000Z')))?.status,
    'expired',
    'a lapsed hold reads as expired at once',
  );

  await appendEvent(env.store, eventId, [checkoutStarted(eventId, 'bk-1')]);
  await settled();
  t.match(await getBooking(env.pool, 'bk-1', now), { status: 'payment_pending', paymentId: 'cs_bk-1', checkout: { provider: 'local' } });

  await appendEvent(env.store, eventId, [
    paid(eventId, 'bk-1', 6500),
    confirmed(eventId, 'bk-1', [{ seat: 'A-1-1', sectionId: 'A' }], user),
  ]);
  await settled();
  const confirmedBooking = await getBooking(env.pool, 'bk-1', now);
  t.equal(confirmedBooking?.status, 'confirmed');
  t.match(confirmedBooking?.tickets, [{ seat: 'A-1-1', section: 'A' }]);

  await appendEvent(env.store, eventId, [
    held(eventId, 'bk-2', { userId: user, standing: [{ sectionId: 'PIT', quantity: 2 }], heldAt: '2026-11-27T12:01:00.000Z' }),
    held(eventId, 'bk-3', { userId: user, seats: ['A-2-1'], heldAt: '2026-11-27T12:02:00.000Z' }),
    released(eventId, 'bk-2', 'cancelled', [], [{ sectionId: 'PIT', quantity: 2 }]),
    released(eventId, 'bk-3', 'expired', ['A-2-1']),
  ]);
  await settled();
  t.equal((await getBooking(env.pool, 'bk-2', now))?.status, 'released');
  t.equal((await getBooking(env.pool, 'bk-3', now))?.status, 'expired');

  const page = await listBookingsForUser(env.pool, user, 1, 2, now);
  t.equal(page.total, 3);
  t.same(
    page.items.map((b) => b.id),
    ['bk-3', 'bk-2'],
    'newest first',
  );
  t.same(
    (await listBookingsForUser(env.pool, user, 2, 2, now)).items.map((b) => b.id),
    ['bk-1'],
  );
  const tickets = await listTicketsForUser(env.pool, user, 1, 20);
  t.equal(tickets.total, 1);
  t.match(tickets.items[0], { bookingId: 'bk-1', eventId, seat: 'A-1-1', section: 'A' });

  await appendEvent(env.store, eventId, [
    {
      type: 'TicketCheckedIn',
      data: { eventId, bookingId: 'bk-1', ticketId: confirmedBooking?.tickets[0]?.id ?? '', checkedInAt: '2026-11-27T20:00:00.000Z' },
    },
  ]);
  await settled();
  t.equal((await listTicketsForUser(env.pool, user, 1, 20)).items[0]?.checkedInAt, '2026-11-27T20:00:00.000Z');
  t.equal((await getBooking(env.pool, 'bk-1', now))?.tickets[0]?.checkedInAt, '2026-11-27T20:00:00.000Z');

  await appendEvent(env.store, eventId, [refundRequested(eventId, 'bk-1', 6500, 'event-cancelled'), refundIssued(eventId, 'bk-1', 6500)]);
  await settled();
  t.equal((await getBooking(env.pool, 'bk-1', now))?.status, 'refunded');
  t.equal((await listTicketsForUser(env.pool, user, 1, 20)).total, 0, 'a refunded booking has no valid tickets');
});

t.test('a hold released because its event was cancelled reads as cancelled', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 'bk-c', { seats: ['A-1-4'] }),
    cancelledEvent(eventId),
    released(eventId, 'bk-c', 'cancelled', ['A-1-4']),
  ]);
  await settled();
  t.equal((await getBooking(env.pool, 'bk-c', new Date('2026-11-27T12:01:00Z')))?.status, 'cancelled');
});

t.test('a duplicate payment refund leaves the confirmed booking and its seats alone', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 'dup', { seats: ['A-1-1'] }),
    paid(eventId, 'dup', 6500, 'cs_first'),
    confirmed(eventId, 'dup', [{ seat: 'A-1-1', sectionId: 'A' }]),
    paid(eventId, 'dup', 6500, 'cs_second'),
    refundRequested(eventId, 'dup', 6500, 'duplicate-payment', 'cs_second'),
    {
      type: 'RefundIssued',
      data: {
        eventId,
        bookingId: 'dup',
        refundId: 're_2',
        amount: 6500,
        paymentEventId: 'evt_r2',
        paymentId: 'cs_second',
        refundedAt: '2026-11-27T13:00:00.000Z',
      },
    },
  ]);
  await settled();
  t.equal((await getBooking(env.pool, 'dup', new Date('2026-11-27T12:01:00Z')))?.status, 'confirmed');
  t.same(await rowsOf(eventId), ['SAAA', 'AAA']);
  t.same(await catalogueCounts(env.pool, eventId), { sold: 1, held: 0 });
});

t.test('the catalogue counts held and sold places', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 's1', { seats: ['A-1-1', 'A-1-2'] }),
    held(eventId, 's2', { standing: [{ sectionId: 'PIT', quantity: 3 }] }),
    paid(eventId, 's1', 13_000),
    confirmed(eventId, 's1', [
      { seat: 'A-1-1', sectionId: 'A' },
      { seat: 'A-1-2', sectionId: 'A' },
    ]),
  ]);
  await settled();
  t.same(await catalogueCounts(env.pool, eventId), { sold: 2, held: 3 });
  t.equal((await getEvent(env.pool, eventId))?.available, 12);
  await appendEvent(env.store, eventId, [
    released(eventId, 's2', 'expired', [], [{ sectionId: 'PIT', quantity: 3 }]),
    refundRequested(eventId, 's1', 13_000),
  ]);
  await settled();
  t.same(await catalogueCounts(env.pool, eventId), { sold: 0, held: 0 });
  t.equal((await getEvent(env.pool, eventId))?.available, 17);
  t.equal(await catalogueCounts(env.pool, 'unknown'), undefined);
});

t.test('hold deadlines list live holds that are due, oldest first', async (t) => {
  const { eventId } = await givenEvent(env.store);
  await appendEvent(env.store, eventId, [
    held(eventId, 'd1', { seats: ['A-1-1'], expiresAt: '2030-01-01T00:00:10.000Z' }),
    held(eventId, 'd2', { seats: ['A-1-2'], expiresAt: '2030-01-01T00:00:05.000Z' }),
    held(eventId, 'd3', { seats: ['A-1-3'], expiresAt: '2030-01-01T00:00:01.000Z' }),
    held(eventId, 'd4', { seats: ['A-1-4'], expiresAt: '2030-01-01T00:00:02.000Z' }),
    released(eventId, 'd3', 'cancelled', ['A-1-3']),
    paid(eventId, 'd4', 6500),
    confirmed(eventId, 'd4', [{ seat: 'A-1-4', sectionId: 'A' }]),
  ]);
  await settled();
  const due = await dueHolds(env.pool, new Date('2030-01-01T00:00:07.000Z'), 10);
  t.same(
    due.filter((h) => h.eventId === eventId),
    [{ bookingId: 'd2', eventId, expiresAt: '2030-01-01T00:00:05.000Z' }],
  );
  const later = await dueHolds(env.pool, new Date('2030-01-01T00:00:10.000Z'), 10);
  t.same(
    later.filter((h) => h.eventId === eventId).map((h) => h.bookingId),
    ['d2', 'd1'],
  );
});
