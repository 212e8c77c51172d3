import t from 'tap';
import { pickBest, ticketedEvent } from '../../../src/domain/ticketed-event/index.js';
import type { BestRequest, HoldSeats, TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import { at, given, held, hold, released, scheduled, scheduleCommand, stateOf } from './fixtures.js';

/** A best-available hold: the fixture's hold command with no named seats. */
const best = (request: BestRequest, o: Parameters<typeof hold>[0] = {}): HoldSeats => ({ ...hold({ ...o, seats: [] }), best: request });

/** Layout of the fixtures: A rows 1 and 2 of 5 seats (5000), B row 1 of 3 seats (3000), PIT standing (2000). */

t.test('best available picks one block in the front row, nearest the centre', async (t) => {
  given(t, [scheduled])
    .when(best({ quantity: 3, sectionId: 'A' }))
    .then([held({ seats: ['A-1-2', 'A-1-3', 'A-1-4'] })]);
});

t.test('equally near the front and the centre, the cheaper section wins', async (t) => {
  // A-1-2..3 and B-1-1..2 are both front row, both one half-seat off centre; B costs 3000 against A's 5000
  given(t, [scheduled])
    .when(best({ quantity: 2 }))
    .then([held({ seats: ['B-1-1', 'B-1-2'] })]);
});

t.test('a block that does not fit the front row goes to the next row', async (t) => {
  given(t, [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-3'] })])
    .when(best({ quantity: 4, sectionId: 'A' }))
    .then([held({ seats: ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4'] })]);
});

t.test('around a taken centre seat, the block nearer the centre wins, then the lower numbers', async (t) => {
  given(t, [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-3'] })])
    .when(best({ quantity: 2, sectionId: 'A' }))
    .then([held({ seats: ['A-1-1', 'A-1-2'] })]);
  given(t, [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-2'] })])
    .when(best({ quantity: 2, sectionId: 'A' }))
    .then([held({ seats: ['A-1-3', 'A-1-4'] })]);
});

t.test('maxPrice leaves out dearer sections', async (t) => {
  given(t, [scheduled])
    .when(best({ quantity: 3, maxPrice: 4000 }))
    .then([held({ seats: ['B-1-1', 'B-1-2', 'B-1-3'] })]);
  given(t, [scheduled])
    .when(best({ quantity: 4, maxPrice: 4000 }))
    .rejects('seats-unavailable', { unavailable: [] });
});

t.test('when no block fits, the answer is seats-unavailable with an empty list', async (t) => {
  given(t, [scheduled])
    .when(best({ quantity: 6, sectionId: 'A' }))
    .rejects('seats-unavailable', { unavailable: [] });
});

t.test('together: false takes the best single seats when no block fits', async (t) => {
  given(t, [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-3', 'A-2-3'] })])
    .when(best({ quantity: 5, sectionId: 'A', together: false }))
    .then([held({ seats: ['A-1-2', 'A-1-4', 'A-1-1', 'A-1-5', 'A-2-2'] })]);
});

t.test('two best-available holds decided one after the other never share a seat', async (t) => {
  const first = ticketedEvent.decide(best({ quantity: 3, sectionId: 'A' }), stateOf([scheduled]));
  const second = ticketedEvent.decide(
    best({ quantity: 3, sectionId: 'A' }, { bookingId: 'b2', userId: 'u2' }),
    stateOf([scheduled, ...first]),
  );
  const seats = (events: readonly TicketedEventEvent[]) => (events[0]?.type === 'SeatsHeld' ? events[0].data.seats : []);
  t.strictSame(seats(first), ['A-1-2', 'A-1-3', 'A-1-4']);
  t.strictSame(seats(second), ['A-2-2', 'A-2-3', 'A-2-4']);
});

t.test('released seats are picked again; a lapsed hold keeps its seats until its release is recorded', async (t) => {
  const front = held({ bookingId: 'b0', userId: 'u0', seats: ['B-1-1', 'B-1-2', 'B-1-3'] });
  // at minute 7 the hold made at minute 1 has lapsed, but only its release gives the seats back to best available
  given(t, [scheduled, front])
    .when(best({ quantity: 3, sectionId: 'B' }, { now: at(7) }))
    .rejects('seats-unavailable', { unavailable: [] });
  given(t, [scheduled, front, released('b0', 'expired', at(6), ['B-1-1', 'B-1-2', 'B-1-3'])])
    .when(best({ quantity: 3, sectionId: 'B' }, { now: at(7) }))
    .then([held({ seats: ['B-1-1', 'B-1-2', 'B-1-3'], now: at(7) })]);
});

t.test('best available in a standing section holds standing places', async (t) => {
  given(t, [scheduled])
    .when(best({ quantity: 4, sectionId: 'PIT' }))
    .then([held({ seats: [], standing: [{ sectionId: 'PIT', quantity: 4 }] })]);
});

t.test('best available still keeps to the ticket limit', async (t) => {
  given(t, [scheduled, held({ seats: ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4'], bookingId: 'b0' })])
    .when(best({ quantity: 3 }))
    .rejects('ticket-limit', { current: 4, requested: 3 });
});

t.test('naming seats and asking for the best at once is invalid-input; an unknown section is unknown-seats', async (t) => {
  given(t, [scheduled])
    .when({ ...hold(), best: { quantity: 2 } })
    .rejects('invalid-input', { field: 'best' });
  given(t, [scheduled])
    .when(best({ quantity: 0 }))
    .rejects('invalid-input', { field: 'best.quantity' });
  given(t, [scheduled])
    .when(best({ quantity: 2, sectionId: 'Z' }))
    .rejects('unknown-seats', { unknown: ['Z'] });
});

t.test('a 100,000-seat event: picks stay fast as the house fills', async (t) => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ label: String(i + 1), seats: 100 }));
  const sections = Array.from({ length: 10 }, (_, i) => ({ id: `S${i}`, name: `Section ${i}`, kind: 'seated' as const, rows }));
  const prices = Object.fromEntries(sections.map((s, i) => [s.id, 1000 + i]));
  const [event] = ticketedEvent.decide(
    scheduleCommand({ layout: { sections }, sectionPrices: prices, maxTicketsPerUser: 50 }),
    stateOf([]),
  );
  let state = stateOf([event as TicketedEventEvent]);
  const started = performance.now();
  let holds = 0;
  for (;;) {
    if (state.status !== 'scheduled') throw new Error('not scheduled');
    const seats = pickBest(state.freeSeats, prices, { quantity: 4 });
    if (seats === undefined) break;
    state = ticketedEvent.evolve(state, held({ bookingId: `b${holds}`, userId: `u${holds}`, seats }));
    holds++;
  }
  const ms = performance.now() - started;
  t.equal(holds, 25_000, 'every seat went, four at a time');
  t.equal(state.status === 'scheduled' ? state.freeSeats.free : -1, 0);
  t.ok(ms < 20_000, `25,000 picks and holds took ${Math.round(ms)} ms`);
});
