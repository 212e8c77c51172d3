import t from 'tap';
import { bookingView, resolveBookingId, seatStatus, standingAvailable, ticketedEvent } from '../../../src/domain/ticketed-event/index.js';
import type { TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import type { StartCheckout } from '../../../src/domain/ticketed-event/types.js';
import { at, checkoutStarted, confirmedBooking, EVENT_ID, given, held, hold, released, scheduled, stateOf } from './fixtures.js';

const cancelled: TicketedEventEvent = { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'r', cancelledAt: at(0) } };

t.test('holding seats and standing places records them with the amount and the hold deadline', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: ['A-1-1', 'B-1-3'], standing: [{ sectionId: 'PIT', quantity: 2 }] }))
    .then([
      {
        type: 'SeatsHeld',
        data: {
          eventId: EVENT_ID,
          bookingId: 'b1',
          userId: 'u1',
          seats: ['A-1-1', 'B-1-3'],
          standing: [{ sectionId: 'PIT', quantity: 2 }],
          amount: 5000 + 3000 + 2 * 2000,
          currency: 'GBP',
          heldAt: at(1),
          expiresAt: at(6),
        },
      },
    ]);
});

t.test('a hold records its idempotency key and request hash', async (t) => {
  given(t, [scheduled])
    .when(hold({ idempotencyKey: 'k1', requestHash: 'h1' }))
    .then([held({ idempotencyKey: 'k1', requestHash: 'h1' })]);
});

t.test('holding seats of an event never scheduled is not-found', async (t) => {
  given(t, []).when(hold()).rejects('not-found');
});

t.test('holding seats of a cancelled event is event-cancelled', async (t) => {
  given(t, [scheduled, cancelled]).when(hold()).rejects('event-cancelled');
});

t.test('holding seats before the on-sale time is not-on-sale', async (t) => {
  given(t, [scheduled])
    .when(hold({ now: at(0, -1) }))
    .rejects('not-on-sale', { onSaleAt: scheduled.type === 'EventScheduled' ? scheduled.data.onSaleAt : '' });
});

t.test('holding seats exactly at the on-sale time is allowed', async (t) => {
  given(t, [scheduled])
    .when(hold({ now: at(0) }))
    .then([held({ now: at(0) })]);
});

t.test('a request for nothing is invalid-input', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: [], standing: [] }))
    .rejects('invalid-input');
});

t.test('asking for the same seat twice is invalid-input', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: ['A-1-1', 'A-1-1'] }))
    .rejects('invalid-input', { duplicates: ['A-1-1'] });
});

t.test('a standing quantity below 1 or not whole is invalid-input', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: [], standing: [{ sectionId: 'PIT', quantity: 0 }] }))
    .rejects('invalid-input');
  given(t, [scheduled])
    .when(hold({ seats: [], standing: [{ sectionId: 'PIT', quantity: 1.5 }] }))
    .rejects('invalid-input');
});

t.test('the same standing section twice in one request is invalid-input', async (t) => {
  given(t, [scheduled])
    .when(
      hold({
        seats: [],
        standing: [
          { sectionId: 'PIT', quantity: 1 },
          { sectionId: 'PIT', quantity: 1 },
        ],
      }),
    )
    .rejects('invalid-input');
});

t.test('malformed seat and standing entries are invalid-input', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: [7 as never] }))
    .rejects('invalid-input');
  given(t, [scheduled])
    .when(hold({ seats: [], standing: [null as never] }))
    .rejects('invalid-input');
  given(t, [scheduled])
    .when({ ...hold(), seats: 'A-1-1' as never })
    .rejects('invalid-input');
  given(t, [scheduled])
    .when(hold({ seats: Array.from({ length: 1001 }, (_, i) => `A-1-${i}`) }))
    .rejects('invalid-input');
  given(t, [scheduled])
    .when(hold({ userId: '' }))
    .rejects('invalid-input', { field: 'userId' });
  given(t, [scheduled])
    .when(hold({ now: 'yesterday' }))
    .rejects('invalid-input', { field: 'now' });
});

t.test('seats and standing sections the layout lacks are unknown-seats, listed', async (t) => {
  given(t, [scheduled])
    .when(
      hold({
        seats: ['A-1-1', 'A-1-6', 'A-3-1', 'Z-1-1', 'PIT-1-1', 'garbage'],
        standing: [
          { sectionId: 'NOPE', quantity: 1 },
          { sectionId: 'A', quantity: 1 },
        ],
      }),
    )
    .rejects('unknown-seats', { unknown: ['A-1-6', 'A-3-1', 'Z-1-1', 'PIT-1-1', 'garbage', 'NOPE'] });
});

t.test('a seated section asked for as standing is section-seated, naming it', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: [], standing: [{ sectionId: 'A', quantity: 2 }] }))
    .rejects('section-seated', { seated: ['A'] });
});

t.test('a seat held by another live hold is seats-unavailable, listed', async (t) => {
  given(t, [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-2'] })])
    .when(hold({ now: at(2) }))
    .rejects('seats-unavailable', { unavailable: ['A-1-2'] });
});

t.test('a sold seat is seats-unavailable', async (t) => {
  given(t, confirmedBooking)
    .when(hold({ bookingId: 'b2', userId: 'u2', seats: ['A-1-2', 'A-1-3'], now: at(60) }))
    .rejects('seats-unavailable', { unavailable: ['A-1-2'] });
});

t.test('a seat whose hold lapsed is free again at the exact deadline, before any HoldReleased', async (t) => {
  const events = [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-2'] })];
  given(t, events)
    .when(hold({ now: at(6, -1) }))
    .rejects('seats-unavailable');
  given(t, events)
    .when(hold({ now: at(6) }))
    .then([held({ now: at(6) })]);
});

t.test('a seat released by its holder is free again', async (t) => {
  const events = [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-2'] }), released('b0', 'cancelled', at(2), ['A-1-2'])];
  given(t, events)
    .when(hold({ now: at(3) }))
    .then([held({ now: at(3) })]);
});

t.test('standing places beyond the free capacity are seats-unavailable naming the section', async (t) => {
  const events = [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: [], standing: [{ sectionId: 'PIT', quantity: 6 }] })];
  given(t, events)
    .when(hold({ seats: ['A-1-1'], standing: [{ sectionId: 'PIT', quantity: 5 }], now: at(2) }))
    .rejects('seats-unavailable', { unavailable: ['PIT'] });
  given(t, events)
    .when(hold({ seats: [], standing: [{ sectionId: 'PIT', quantity: 4 }], now: at(2) }))
    .then([held({ seats: [], standing: [{ sectionId: 'PIT', quantity: 4 }], now: at(2) })]);
});

t.test('standing places of a lapsed hold count as free before any HoldReleased', async (t) => {
  const events = [scheduled, held({ bookingId: 'b0', userId: 'u0', seats: [], standing: [{ sectionId: 'PIT', quantity: 6 }] })];
  given(t, events)
    .when(hold({ seats: [], standing: [{ sectionId: 'PIT', quantity: 6 }], now: at(6) }))
    .then([held({ seats: [], standing: [{ sectionId: 'PIT', quantity: 6 }], now: at(6) })]);
});

t.test('more than maxTicketsPerUser in one request is ticket-limit', async (t) => {
  given(t, [scheduled])
    .when(hold({ seats: ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2'] }))
    .rejects('ticket-limit', { limit: 6, current: 0, requested: 7 });
});

t.test('live holds and bought tickets count against the limit together', async (t) => {
  const events = [...confirmedBooking, held({ bookingId: 'b2', seats: ['A-2-1', 'A-2-2'], now: at(3) })];
  given(t, events)
    .when(hold({ bookingId: 'b3', seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }], now: at(4) }))
    .rejects('ticket-limit', { current: 4, requested: 3 });
  given(t, events)
    .when(hold({ bookingId: 'b3', seats: [], standing: [{ sectionId: 'PIT', quantity: 2 }], now: at(4) }))
    .then([held({ bookingId: 'b3', seats: [], standing: [{ sectionId: 'PIT', quantity: 2 }], now: at(4) })]);
});

t.test('a lapsed hold no longer counts against the limit', async (t) => {
  const events = [scheduled, held({ seats: ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1'] })];
  given(t, events)
    .when(hold({ bookingId: 'b2', seats: ['B-1-1'], now: at(5) }))
    .rejects('ticket-limit');
  given(t, events)
    .when(hold({ bookingId: 'b2', seats: ['B-1-1'], now: at(6) }))
    .then([held({ bookingId: 'b2', seats: ['B-1-1'], now: at(6) })]);
});

t.test('a hold released by its buyer no longer counts against the limit', async (t) => {
  const six = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1'];
  const events = [scheduled, held({ seats: six }), released('b1', 'cancelled', at(2), six)];
  given(t, events)
    .when(hold({ bookingId: 'b2', seats: ['B-1-1'], now: at(3) }))
    .then([held({ bookingId: 'b2', seats: ['B-1-1'], now: at(3) })]);
});

t.test('bought tickets keep counting against the limit after the hold they came from would have lapsed', async (t) => {
  // b1 (2 seats, held at minute 1) is confirmed at minute 2; its hold alone would have lapsed at minute 6
  const four = ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4'];
  given(t, confirmedBooking)
    .when(hold({ bookingId: 'b2', seats: four, now: at(7) }))
    .then([held({ bookingId: 'b2', seats: four, now: at(7) })]);
  given(t, confirmedBooking)
    .when(hold({ bookingId: 'b2', seats: [...four, 'A-2-5'], now: at(7) }))
    .rejects('ticket-limit', { current: 2, requested: 5 });
});

t.test('other buyers are not limited by one buyer', async (t) => {
  const events = [scheduled, held({ seats: ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1'] })];
  given(t, events)
    .when(hold({ bookingId: 'b2', userId: 'u2', seats: ['B-1-1'], now: at(2) }))
    .then([held({ bookingId: 'b2', userId: 'u2', seats: ['B-1-1'], now: at(2) })]);
});

t.test('repeating a hold with the same idempotency key and body records nothing and resolves to the first booking', async (t) => {
  const events = [scheduled, held({ idempotencyKey: 'k1', requestHash: 'h1' })];
  const repeat = hold({ bookingId: 'b9', now: at(2), idempotencyKey: 'k1', requestHash: 'h1' });
  given(t, events).when(repeat).then([]);
  t.equal(resolveBookingId(stateOf(events), repeat), 'b1');
});

t.test('an idempotent repeat answers the first result even after the event was cancelled', async (t) => {
  const events = [scheduled, held({ idempotencyKey: 'k1', requestHash: 'h1' }), cancelled];
  given(t, events)
    .when(hold({ bookingId: 'b9', now: at(2), idempotencyKey: 'k1', requestHash: 'h1' }))
    .then([]);
});

t.test('reusing an idempotency key with another body is idempotency-key-reused', async (t) => {
  given(t, [scheduled, held({ idempotencyKey: 'k1', requestHash: 'h1' })])
    .when(hold({ bookingId: 'b9', seats: ['B-1-1'], now: at(2), idempotencyKey: 'k1', requestHash: 'h2' }))
    .rejects('idempotency-key-reused', { bookingId: 'b1' });
});

t.test('the same idempotency key from another buyer is a new hold', async (t) => {
  const c = hold({ bookingId: 'b9', userId: 'u2', seats: ['B-1-1'], now: at(2), idempotencyKey: 'k1', requestHash: 'h1' });
  const events = [scheduled, held({ idempotencyKey: 'k1', requestHash: 'h1' })];
  given(t, events)
    .when(c)
    .then([held({ bookingId: 'b9', userId: 'u2', seats: ['B-1-1'], now: at(2), idempotencyKey: 'k1', requestHash: 'h1' })]);
  t.equal(resolveBookingId(stateOf(events), c), 'b9');
  t.equal(resolveBookingId(stateOf(events), hold({ bookingId: 'b8' })), 'b8');
  t.equal(resolveBookingId(stateOf([]), c), 'b9');
});

t.test('a booking id used before is already-exists', async (t) => {
  given(t, [scheduled, held()])
    .when(hold({ seats: ['B-1-1'], now: at(2) }))
    .rejects('already-exists');
});

t.test('the held seats read H until the deadline and A after it', async (t) => {
  const s = stateOf([scheduled, held()]);
  t.equal(seatStatus(s, 'A-1-1', at(5)), 'H');
  t.equal(seatStatus(s, 'A-1-1', at(6)), 'A');
  t.equal(seatStatus(s, 'A-1-3', at(5)), 'A');
  t.equal(seatStatus(stateOf(confirmedBooking), 'A-1-1', at(60)), 'S');
  t.equal(seatStatus(stateOf([]), 'A-1-1', at(60)), 'A');
});

t.test('standing availability counts live holds only', async (t) => {
  const s = stateOf([scheduled, held({ seats: [], standing: [{ sectionId: 'PIT', quantity: 4 }] })]);
  t.equal(standingAvailable(s, 'PIT', at(5)), 6);
  t.equal(standingAvailable(s, 'PIT', at(6)), 10);
  t.equal(standingAvailable(s, 'A', at(6)), 0);
  t.equal(standingAvailable(stateOf([]), 'PIT', at(6)), 0);
});

// ReleaseHold

const release = (o: { bookingId?: string; userId?: string; now?: string } = {}) =>
  ({ type: 'ReleaseHold', bookingId: o.bookingId ?? 'b1', userId: o.userId ?? 'u1', now: o.now ?? at(2) }) as const;

t.test('the buyer releasing a live hold records HoldReleased cancelled and frees the seats', async (t) => {
  const decided = given(t, [scheduled, held()])
    .when(release())
    .then([released('b1', 'cancelled', at(2))]);
  const s = stateOf([scheduled, held(), ...decided]);
  t.equal(seatStatus(s, 'A-1-1', at(2)), 'A');
  t.equal(bookingView(s, 'b1', at(2))?.status, 'released');
});

t.test('releasing a hold that was already released records nothing', async (t) => {
  given(t, [scheduled, held(), released('b1', 'cancelled', at(2))])
    .when(release({ now: at(3) }))
    .then([]);
  given(t, [scheduled, held(), released('b1', 'expired', at(7))])
    .when(release({ now: at(8) }))
    .then([]);
});

t.test('releasing a hold that already lapsed records nothing', async (t) => {
  given(t, [scheduled, held()])
    .when(release({ now: at(6) }))
    .then([]);
});

t.test("releasing another buyer's booking is not-found", async (t) => {
  given(t, [scheduled, held()])
    .when(release({ userId: 'u2' }))
    .rejects('not-found');
  given(t, [scheduled, held()])
    .when(release({ bookingId: 'nope' }))
    .rejects('not-found');
  given(t, []).when(release()).rejects('not-found');
});

t.test('releasing a paid booking is invalid-state', async (t) => {
  given(t, confirmedBooking)
    .when(release({ now: at(3) }))
    .rejects('invalid-state');
});

t.test('releasing a pending checkout frees the seats too', async (t) => {
  given(t, [scheduled, held(), checkoutStarted('b1', 'pay1', at(2))])
    .when(release({ now: at(3) }))
    .then([released('b1', 'cancelled', at(3))]);
});

// ExpireHold

t.test('the sweeper records the expiry of a lapsed hold', async (t) => {
  given(t, [scheduled, held()])
    .when({ type: 'ExpireHold', bookingId: 'b1', now: at(6) })
    .then([released('b1', 'expired', at(6))]);
  const s = stateOf([scheduled, held(), released('b1', 'expired', at(6))]);
  t.equal(bookingView(s, 'b1', at(6))?.status, 'expired');
});

t.test('the sweeper leaves a hold that is not yet due', async (t) => {
  given(t, [scheduled, held()])
    .when({ type: 'ExpireHold', bookingId: 'b1', now: at(6, -1) })
    .then([]);
});

t.test('the sweeper leaves paid and released bookings', async (t) => {
  given(t, confirmedBooking)
    .when({ type: 'ExpireHold', bookingId: 'b1', now: at(60) })
    .then([]);
  given(t, [scheduled, held(), released('b1', 'cancelled', at(2))])
    .when({ type: 'ExpireHold', bookingId: 'b1', now: at(60) })
    .then([]);
});

t.test('the sweeper naming an unknown booking is not-found', async (t) => {
  given(t, [scheduled])
    .when({ type: 'ExpireHold', bookingId: 'nope', now: at(60) })
    .rejects('not-found');
});

t.test('an expiry recorded for an older hold does not free a seat someone else holds now', async (t) => {
  const events = [
    scheduled,
    held(),
    held({ bookingId: 'b2', userId: 'u2', seats: ['A-1-1'], now: at(7) }),
    released('b1', 'expired', at(8)),
  ];
  t.equal(seatStatus(stateOf(events), 'A-1-1', at(8)), 'H');
  given(t, events)
    .when(hold({ bookingId: 'b3', userId: 'u3', seats: ['A-1-1'], now: at(9) }))
    .rejects('seats-unavailable');
});

// StartCheckout

const checkout = (o: Partial<StartCheckout> = {}): StartCheckout => ({
  type: 'StartCheckout',
  bookingId: 'b1',
  userId: 'u1',
  provider: 'local',
  paymentId: 'pay1',
  url: 'http://localhost/pay/pay1',
  expiresAt: at(30),
  now: at(2),
  ...o,
});

t.test('starting checkout on a live hold records it and the booking reads payment_pending', async (t) => {
  const decided = given(t, [scheduled, held()])
    .when(checkout())
    .then([checkoutStarted('b1', 'pay1', at(2))]);
  const view = bookingView(stateOf([scheduled, held(), ...decided]), 'b1', at(2));
  t.equal(view?.status, 'payment_pending');
  t.equal(view?.paymentId, 'pay1');
});

t.test('starting the same checkout again records nothing', async (t) => {
  given(t, [scheduled, held(), checkoutStarted('b1', 'pay1', at(2))])
    .when(checkout({ now: at(3) }))
    .then([]);
});

t.test('a new checkout replaces a previous one', async (t) => {
  given(t, [scheduled, held(), checkoutStarted('b1', 'pay1', at(2))])
    .when(checkout({ paymentId: 'pay2', url: 'http://localhost/pay/pay1', now: at(3) }))
    .then([
      {
        type: 'CheckoutStarted',
        data: {
          eventId: EVENT_ID,
          bookingId: 'b1',
          provider: 'local',
          paymentId: 'pay2',
          url: 'http://localhost/pay/pay1',
          expiresAt: at(30),
          startedAt: at(3),
        },
      },
    ]);
});

t.test('checkout on a lapsed hold is hold-expired, whether or not its seats were taken', async (t) => {
  given(t, [scheduled, held()])
    .when(checkout({ now: at(6) }))
    .rejects('hold-expired');
  given(t, [scheduled, held(), held({ bookingId: 'b2', userId: 'u2', now: at(7) })])
    .when(checkout({ now: at(8) }))
    .rejects('hold-expired');
  given(t, [scheduled, held(), released('b1', 'expired', at(6))])
    .when(checkout({ now: at(7) }))
    .rejects('hold-expired', { bookingStatus: 'expired' });
});

t.test('checkout on a booking its buyer released is booking-released', async (t) => {
  given(t, [scheduled, held(), released('b1', 'cancelled', at(2))])
    .when(checkout({ now: at(3) }))
    .rejects('booking-released', { bookingStatus: 'released' });
});

t.test("checkout on another buyer's booking is not-found", async (t) => {
  given(t, [scheduled, held()])
    .when(checkout({ userId: 'u2' }))
    .rejects('not-found');
});

t.test('checkout on a paid booking is booking-confirmed, on a refunded one booking-refunded', async (t) => {
  given(t, confirmedBooking)
    .when(checkout({ paymentId: 'pay2', now: at(3) }))
    .rejects('booking-confirmed', { bookingStatus: 'confirmed' });
  const refunded: TicketedEventEvent = {
    type: 'RefundRequested',
    data: {
      eventId: EVENT_ID,
      bookingId: 'b1',
      paymentId: 'pay1',
      amount: 10000,
      currency: 'GBP',
      reason: 'seats-taken',
      requestedAt: at(3),
    },
  };
  given(t, [...confirmedBooking, refunded])
    .when(checkout({ paymentId: 'pay2', now: at(3) }))
    .rejects('booking-refunded', { bookingStatus: 'refunded' });
});

t.test('checkout once the event was cancelled is event-cancelled', async (t) => {
  given(t, [scheduled, held(), cancelled]).when(checkout()).rejects('event-cancelled');
});

t.test('checkout with an unknown provider or a bad deadline is invalid-input', async (t) => {
  given(t, [scheduled, held()])
    .when(checkout({ provider: 'paypal' as never }))
    .rejects('invalid-input', { field: 'provider' });
  given(t, [scheduled, held()])
    .when(checkout({ expiresAt: 'soon' }))
    .rejects('invalid-input', { field: 'expiresAt' });
});

t.test('evolving returns a new state and leaves the one it was given unchanged', async (t) => {
  const s = stateOf([scheduled, held()]);
  const before = JSON.stringify(bookingView(s, 'b1', at(2)));
  const after = ticketedEvent.evolve(s, released('b1', 'cancelled', at(2)));
  t.equal(JSON.stringify(bookingView(s, 'b1', at(2))), before);
  t.equal(seatStatus(s, 'A-1-1', at(2)), 'H');
  t.equal(seatStatus(after, 'A-1-1', at(2)), 'A');
});

t.test("a command stamped earlier than the stream's latest decision is decided at that later time", async (t) => {
  const events = [
    scheduled,
    held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-2'] }),
    held({ bookingId: 'b1', userId: 'u1', seats: ['A-1-2'], now: at(7) }),
  ];
  // at minute 3 by a lagging clock b0 would look live again next to b1; the stream's clock (minute 7) says it lapsed
  given(t, events)
    .when(hold({ bookingId: 'b2', userId: 'u2', seats: ['A-1-3'], now: at(3) }))
    .then([held({ bookingId: 'b2', userId: 'u2', seats: ['A-1-3'], now: at(7) })]);
  given(t, events)
    .when(checkout({ bookingId: 'b0', userId: 'u0', now: at(3) }))
    .rejects('hold-expired');
});
