import t from 'tap';
import { bookingStatus, bookingView, eventSummary } from '../../../src/domain/ticketed-event/index.js';
import type { TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import { at, checkoutStarted, confirmedBooking, EVENT_ID, held, released, scheduled, stateOf } from './fixtures.js';

t.test('a booking view shows what the buyer holds, its price and deadline', async (t) => {
  t.strictSame(bookingView(stateOf([scheduled, held()]), 'b1', at(2)), {
    id: 'b1',
    eventId: EVENT_ID,
    userId: 'u1',
    status: 'held',
    seats: ['A-1-1', 'A-1-2'],
    standing: [],
    amount: 10000,
    currency: 'GBP',
    expiresAt: at(6),
    createdAt: at(1),
    tickets: [],
  });
});

t.test('an unknown booking or event has no view', async (t) => {
  t.equal(bookingView(stateOf([scheduled]), 'b1', at(2)), undefined);
  t.equal(bookingView(stateOf([]), 'b1', at(2)), undefined);
});

t.test('a pending checkout past its hold deadline reads expired', async (t) => {
  const s = stateOf([scheduled, held(), checkoutStarted('b1', 'pay1', at(2))]);
  t.equal(bookingView(s, 'b1', at(5))?.status, 'payment_pending');
  t.equal(bookingView(s, 'b1', at(6))?.status, 'expired');
});

t.test('a booking view with a time that is not a time is a TypeError', async (t) => {
  t.throws(() => bookingView(stateOf([scheduled, held()]), 'b1', 'noon'), TypeError);
});

t.test('every recorded phase maps to an API status', async (t) => {
  const base = {
    id: 'x',
    userId: 'u',
    seats: [],
    standing: [],
    quantity: 1,
    amount: 0,
    currency: 'GBP',
    createdAt: at(0),
    expiresAt: at(5),
    expiresAtMs: Date.parse(at(5)),
    payments: [],
    tickets: [],
  };
  const cases = [
    ['held', 'held'],
    ['payment_pending', 'payment_pending'],
    ['released', 'released'],
    ['expired', 'expired'],
    ['cancelled', 'cancelled'],
    ['confirmed', 'confirmed'],
    ['refund_pending', 'refunded'],
    ['refunded', 'refunded'],
  ] as const;
  for (const [phase, status] of cases) t.equal(bookingStatus({ ...base, phase }, Date.parse(at(1))), status, phase);
});

t.test('the event summary counts sold, live-held and available places', async (t) => {
  const events: TicketedEventEvent[] = [
    ...confirmedBooking,
    held({ bookingId: 'b2', userId: 'u2', seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }], now: at(3) }),
    held({ bookingId: 'b3', userId: 'u3', seats: ['B-1-1'], now: at(3) }),
    released('b3', 'cancelled', at(4), ['B-1-1']),
    { type: 'TicketCheckedIn', data: { eventId: EVENT_ID, bookingId: 'b1', ticketId: 't1', checkedInAt: at(5) } },
  ];
  const s = stateOf(events);
  t.strictSame(eventSummary(s, at(5)), {
    scheduled: true,
    cancelled: false,
    eventId: EVENT_ID,
    name: 'Aurora Live',
    capacity: 23,
    sold: 2,
    held: 3,
    available: 18,
    revenue: 10000,
    currency: 'GBP',
    bookings: 3,
    checkedIn: 1,
  });
  t.equal(eventSummary(s, at(60)).held, 0);
  t.equal(eventSummary(s).held, 3);
});

t.test('the summary of an unscheduled stream says so', async (t) => {
  t.match(eventSummary(stateOf([])), { scheduled: false, capacity: 0 });
});
