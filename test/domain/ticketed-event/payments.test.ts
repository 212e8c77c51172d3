import t from 'tap';
import { bookingView, seatStatus, standingAvailable } from '../../../src/domain/ticketed-event/index.js';
import type { RefundReason, TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import type { RecordPaymentSucceeded, RecordRefundIssued } from '../../../src/domain/ticketed-event/types.js';
import { at, checkoutStarted, confirmed, confirmedBooking, EVENT_ID, given, held, paid, released, scheduled, stateOf } from './fixtures.js';

const cancelled: TicketedEventEvent = { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'r', cancelledAt: at(0) } };

const pay = (o: Partial<RecordPaymentSucceeded> = {}): RecordPaymentSucceeded => ({
  type: 'RecordPaymentSucceeded',
  bookingId: 'b1',
  paymentId: 'pay1',
  paymentEventId: 'evt1',
  amount: 10000,
  currency: 'GBP',
  ticketIds: ['t1', 't2', 't3', 't4'],
  now: at(2),
  ...o,
});

const refundRequested = (reason: RefundReason, now: string, paymentId = 'pay1', amount = 10000, bookingId = 'b1'): TicketedEventEvent => ({
  type: 'RefundRequested',
  data: { eventId: EVENT_ID, bookingId, paymentId, amount, currency: 'GBP', reason, requestedAt: now },
});

const twoSeatTickets = [
  { ticketId: 't1', seat: 'A-1-1', sectionId: 'A' },
  { ticketId: 't2', seat: 'A-1-2', sectionId: 'A' },
];

t.test('a payment while the hold is live confirms the booking with one ticket per place, ids taken in order', async (t) => {
  const events = [scheduled, held({ seats: ['A-1-1'], standing: [{ sectionId: 'PIT', quantity: 2 }] })];
  given(t, events)
    .when(pay({ amount: 9000 }))
    .then([
      paid('b1', 'pay1', 'evt1', 9000, at(2)),
      confirmed(
        'b1',
        [
          { ticketId: 't1', seat: 'A-1-1', sectionId: 'A' },
          { ticketId: 't2', sectionId: 'PIT' },
          { ticketId: 't3', sectionId: 'PIT' },
        ],
        at(2),
      ),
    ]);
});

t.test('a confirmed booking reads confirmed with its tickets and sells its places', async (t) => {
  const s = stateOf(confirmedBooking);
  const view = bookingView(s, 'b1', at(60));
  t.equal(view?.status, 'confirmed');
  t.equal(view?.paymentId, 'pay1');
  t.strictSame(view?.tickets, twoSeatTickets);
  t.equal(seatStatus(s, 'A-1-1', at(60)), 'S');
});

t.test('a payment event seen before records nothing', async (t) => {
  given(t, confirmedBooking)
    .when(pay({ now: at(3) }))
    .then([]);
});

t.test('the same payment reported by another provider event records nothing', async (t) => {
  given(t, confirmedBooking)
    .when(pay({ paymentEventId: 'evt1b', now: at(3) }))
    .then([]);
});

t.test('a payment after the hold lapsed confirms it late when every place is still free', async (t) => {
  given(t, [scheduled, held()])
    .when(pay({ now: at(10) }))
    .then([paid('b1', 'pay1', 'evt1', 10000, at(10)), confirmed('b1', twoSeatTickets, at(10), true)]);
});

t.test('a payment after the buyer released the hold confirms it late when the places are free', async (t) => {
  const events = [scheduled, held(), released('b1', 'cancelled', at(2))];
  given(t, events)
    .when(pay({ now: at(3) }))
    .then([paid('b1', 'pay1', 'evt1', 10000, at(3)), confirmed('b1', twoSeatTickets, at(3), true)]);
  const s = stateOf([...events, paid('b1', 'pay1', 'evt1', 10000, at(3)), confirmed('b1', twoSeatTickets, at(3), true)]);
  t.equal(seatStatus(s, 'A-1-2', at(3)), 'S');
  t.equal(bookingView(s, 'b1', at(3))?.status, 'confirmed');
});

t.test('a late payment whose seats were taken is recorded and refunded', async (t) => {
  const events = [scheduled, held(), held({ bookingId: 'b2', userId: 'u2', seats: ['A-1-2'], now: at(7) })];
  given(t, events)
    .when(pay({ now: at(8) }))
    .then([paid('b1', 'pay1', 'evt1', 10000, at(8)), refundRequested('seats-taken', at(8))]);
  const s = stateOf([...events, paid('b1', 'pay1', 'evt1', 10000, at(8)), refundRequested('seats-taken', at(8))]);
  t.equal(bookingView(s, 'b1', at(8))?.status, 'refunded');
  t.equal(seatStatus(s, 'A-1-2', at(8)), 'H');
});

t.test('a late payment whose standing places were taken is refunded', async (t) => {
  const events = [
    scheduled,
    held({ seats: [], standing: [{ sectionId: 'PIT', quantity: 2 }] }),
    held({ bookingId: 'b2', userId: 'u2', seats: [], standing: [{ sectionId: 'PIT', quantity: 6 }], now: at(7) }),
    held({ bookingId: 'b3', userId: 'u3', seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }], now: at(7) }),
  ];
  given(t, events)
    .when(pay({ amount: 4000, now: at(8) }))
    .then([paid('b1', 'pay1', 'evt1', 4000, at(8)), refundRequested('seats-taken', at(8), 'pay1', 4000)]);
  const s = stateOf([...events, paid('b1', 'pay1', 'evt1', 4000, at(8)), refundRequested('seats-taken', at(8), 'pay1', 4000)]);
  t.equal(standingAvailable(s, 'PIT', at(8)), 1);
});

t.test('a late payment that would take the buyer past the limit is refunded', async (t) => {
  const events = [scheduled, held(), held({ bookingId: 'b2', seats: ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4', 'A-2-5'], now: at(7) })];
  given(t, events)
    .when(pay({ now: at(8) }))
    .then([paid('b1', 'pay1', 'evt1', 10000, at(8)), refundRequested('ticket-limit', at(8))]);
});

t.test('a second, different payment for a confirmed booking is refunded as a duplicate', async (t) => {
  const decided = given(t, confirmedBooking)
    .when(pay({ paymentId: 'pay2', paymentEventId: 'evt2', now: at(3) }))
    .then([paid('b1', 'pay2', 'evt2', 10000, at(3)), refundRequested('duplicate-payment', at(3), 'pay2')]);
  const s = stateOf([...confirmedBooking, ...decided]);
  t.equal(bookingView(s, 'b1', at(3))?.status, 'confirmed');
  t.equal(seatStatus(s, 'A-1-1', at(3)), 'S');
});

t.test('a payment for a booking of a cancelled event is recorded and refunded', async (t) => {
  given(t, [scheduled, held(), cancelled])
    .when(pay())
    .then([paid('b1', 'pay1', 'evt1', 10000, at(2)), refundRequested('event-cancelled', at(2))]);
});

t.test('fewer ticket ids than places is invalid-input', async (t) => {
  given(t, [scheduled, held()])
    .when(pay({ ticketIds: ['t1'] }))
    .rejects('invalid-input', { field: 'ticketIds' });
  given(t, [scheduled, held()])
    .when(pay({ ticketIds: ['t1', 't1'] }))
    .rejects('invalid-input', { field: 'ticketIds' });
  given(t, [scheduled, held()])
    .when(pay({ ticketIds: 'x' as never }))
    .rejects('invalid-input', { field: 'ticketIds' });
});

t.test('a payment with a bad amount or currency is invalid-input', async (t) => {
  given(t, [scheduled, held()])
    .when(pay({ amount: -1 }))
    .rejects('invalid-input', { field: 'amount' });
  given(t, [scheduled, held()])
    .when(pay({ currency: 'gbp' }))
    .rejects('invalid-input', { field: 'currency' });
});

t.test('a payment for an unknown booking or event is not-found', async (t) => {
  given(t, [scheduled]).when(pay()).rejects('not-found');
  given(t, []).when(pay()).rejects('not-found');
});

// RecordPaymentFailed

const fail = (o: { paymentId?: string; paymentEventId?: string; now?: string } = {}) =>
  ({
    type: 'RecordPaymentFailed',
    bookingId: 'b1',
    paymentId: o.paymentId ?? 'pay1',
    paymentEventId: o.paymentEventId ?? 'evtF',
    reason: 'card declined',
    now: o.now ?? at(3),
  }) as const;

const failed: TicketedEventEvent = {
  type: 'PaymentFailed',
  data: { eventId: EVENT_ID, bookingId: 'b1', paymentId: 'pay1', paymentEventId: 'evtF', reason: 'card declined', failedAt: at(3) },
};

t.test('a failed payment of a pending checkout is recorded and the booking is held again', async (t) => {
  const events = [scheduled, held(), checkoutStarted('b1', 'pay1', at(2))];
  given(t, events).when(fail()).then([failed]);
  t.equal(bookingView(stateOf([...events, failed]), 'b1', at(3))?.status, 'held');
  t.equal(bookingView(stateOf([...events, failed]), 'b1', at(6))?.status, 'expired');
});

t.test('a failed payment event seen before records nothing', async (t) => {
  given(t, [scheduled, held(), checkoutStarted('b1', 'pay1', at(2)), failed, checkoutStarted('b1', 'pay1', at(4))])
    .when(fail({ now: at(4) }))
    .then([]);
});

t.test('a failure arriving after the booking was confirmed changes nothing', async (t) => {
  given(t, confirmedBooking).when(fail()).then([]);
});

t.test('a failure of a checkout that was replaced, or without a checkout, changes nothing', async (t) => {
  given(t, [scheduled, held(), checkoutStarted('b1', 'pay2', at(2))])
    .when(fail())
    .then([]);
  given(t, [scheduled, held()]).when(fail()).then([]);
});

t.test('a failure for an unknown booking is not-found', async (t) => {
  given(t, [scheduled]).when(fail()).rejects('not-found');
});

// RecordRefundIssued

const refund = (o: Partial<RecordRefundIssued> = {}): RecordRefundIssued => ({
  type: 'RecordRefundIssued',
  bookingId: 'b1',
  refundId: 're1',
  amount: 10000,
  paymentEventId: 'evtR',
  now: at(20),
  ...o,
});

const refundIssued = (o: { paymentId?: string; amount?: number } = {}): TicketedEventEvent => ({
  type: 'RefundIssued',
  data: {
    eventId: EVENT_ID,
    bookingId: 'b1',
    refundId: 're1',
    amount: o.amount ?? 10000,
    paymentEventId: 'evtR',
    ...(o.paymentId === undefined ? {} : { paymentId: o.paymentId }),
    refundedAt: at(20),
  },
});

t.test('a refund issued for a requested refund is recorded and the booking reads refunded', async (t) => {
  const events = [
    scheduled,
    held(),
    held({ bookingId: 'b2', userId: 'u2', now: at(7) }),
    paid('b1', 'pay1', 'evt1', 10000, at(8)),
    refundRequested('seats-taken', at(8)),
  ];
  given(t, events).when(refund()).then([refundIssued()]);
  t.equal(bookingView(stateOf([...events, refundIssued()]), 'b1', at(20))?.status, 'refunded');
});

t.test('a refund event seen before records nothing', async (t) => {
  given(t, [...confirmedBooking, refundIssued()])
    .when(refund({ now: at(21) }))
    .then([]);
});

t.test('a refund of a confirmed booking nobody asked for frees its seats and voids its tickets', async (t) => {
  given(t, confirmedBooking).when(refund()).then([refundIssued()]);
  const s = stateOf([...confirmedBooking, refundIssued()]);
  t.equal(bookingView(s, 'b1', at(20))?.status, 'refunded');
  t.equal(seatStatus(s, 'A-1-1', at(20)), 'A');
  given(t, [...confirmedBooking, refundIssued()])
    .when({ type: 'CheckInTicket', ticketId: 't1', now: at(30) })
    .rejects('invalid-code');
});

t.test('a refund of the duplicate payment keeps the booking confirmed', async (t) => {
  const events = [...confirmedBooking, paid('b1', 'pay2', 'evt2', 10000, at(3)), refundRequested('duplicate-payment', at(3), 'pay2')];
  given(t, events).when(refund()).then([refundIssued()]);
  const s = stateOf([...events, refundIssued()]);
  t.equal(bookingView(s, 'b1', at(20))?.status, 'confirmed');
  t.equal(seatStatus(s, 'A-1-1', at(20)), 'S');
  const named = stateOf([...events, refundIssued({ paymentId: 'pay2' })]);
  t.equal(bookingView(named, 'b1', at(20))?.status, 'confirmed');
});

t.test('a refund naming the confirming payment refunds the booking', async (t) => {
  given(t, confirmedBooking)
    .when(refund({ paymentId: 'pay1' }))
    .then([refundIssued({ paymentId: 'pay1' })]);
  t.equal(bookingView(stateOf([...confirmedBooking, refundIssued({ paymentId: 'pay1' })]), 'b1', at(20))?.status, 'refunded');
});

t.test('a refund for an unknown booking is not-found and a bad amount is invalid-input', async (t) => {
  given(t, [scheduled]).when(refund()).rejects('not-found');
  given(t, confirmedBooking)
    .when(refund({ amount: -3 }))
    .rejects('invalid-input', { field: 'amount' });
});

t.test('a refunded standing booking gives its places back', async (t) => {
  const events = [
    scheduled,
    held({ seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }] }),
    paid('b1', 'pay1', 'evt1', 6000, at(2)),
    confirmed(
      'b1',
      [
        { ticketId: 't1', sectionId: 'PIT' },
        { ticketId: 't2', sectionId: 'PIT' },
        { ticketId: 't3', sectionId: 'PIT' },
      ],
      at(2),
    ),
  ];
  t.equal(standingAvailable(stateOf(events), 'PIT', at(20)), 7);
  t.equal(standingAvailable(stateOf([...events, refundIssued({ amount: 6000 })]), 'PIT', at(20)), 10);
});

// CheckInTicket

t.test('checking in a ticket of a confirmed booking records it', async (t) => {
  given(t, confirmedBooking)
    .when({ type: 'CheckInTicket', ticketId: 't2', now: at(30) })
    .then([{ type: 'TicketCheckedIn', data: { eventId: EVENT_ID, bookingId: 'b1', ticketId: 't2', checkedInAt: at(30) } }]);
});

t.test('checking in a ticket twice is already-checked-in', async (t) => {
  const checkedIn: TicketedEventEvent = {
    type: 'TicketCheckedIn',
    data: { eventId: EVENT_ID, bookingId: 'b1', ticketId: 't2', checkedInAt: at(30) },
  };
  given(t, [...confirmedBooking, checkedIn])
    .when({ type: 'CheckInTicket', ticketId: 't2', now: at(31) })
    .rejects('already-checked-in');
  given(t, [...confirmedBooking, checkedIn])
    .when({ type: 'CheckInTicket', ticketId: 't1', now: at(31) })
    .then([{ type: 'TicketCheckedIn', data: { eventId: EVENT_ID, bookingId: 'b1', ticketId: 't1', checkedInAt: at(31) } }]);
});

t.test('checking in an unknown ticket is invalid-code', async (t) => {
  given(t, confirmedBooking)
    .when({ type: 'CheckInTicket', ticketId: 'forged', now: at(30) })
    .rejects('invalid-code');
  given(t, [])
    .when({ type: 'CheckInTicket', ticketId: 't1', now: at(30) })
    .rejects('not-found');
});

t.test('checking in a ticket whose booking is being refunded is invalid-code', async (t) => {
  given(t, [...confirmedBooking, refundRequested('event-cancelled', at(5))])
    .when({ type: 'CheckInTicket', ticketId: 't1', now: at(30) })
    .rejects('invalid-code');
});

t.test('a refund of money the booking never took is recorded but changes the booking in no way', async (t) => {
  given(t, [scheduled, held()]).when(refund()).then([refundIssued()]);
  const s = stateOf([scheduled, held(), refundIssued()]);
  t.equal(bookingView(s, 'b1', at(2))?.status, 'held');
  t.equal(bookingView(stateOf([...confirmedBooking, refundIssued({ paymentId: 'other' })]), 'b1', at(20))?.status, 'confirmed');
  given(t, [scheduled, held(), refundIssued()])
    .when(refund({ now: at(21) }))
    .then([]);
});
