import t from 'tap';
import { ticketedEvent } from '../../../src/domain/ticketed-event/index.js';
import type { JoinWaitlist, TicketedEventCommand, TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import { activeEntry } from '../../../src/domain/ticketed-event/index.js';
import { pget } from '../../../src/domain/shared/index.js';
import { at, confirmed, EVENT_ID, given, held, hold, paid, released, scheduleCommand, stateOf } from './fixtures.js';

/** A small house: section A, one row of 4 seats at 5000. Sold out by b0 (u0) at minute 1. */
const small = ticketedEvent.decide(
  scheduleCommand({
    layout: { sections: [{ id: 'A', name: 'Block A', kind: 'seated', rows: [{ label: '1', seats: 4 }] }] },
    sectionPrices: { A: 5000 },
  }),
  stateOf([]),
)[0] as TicketedEventEvent;
const ALL = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4'];
const soldOut = [small, held({ bookingId: 'b0', userId: 'u0', seats: ALL })];

const join = (userId: string, quantity: number, now = at(2), extra: { sectionId?: string; maxPrice?: number } = {}): JoinWaitlist => ({
  type: 'JoinWaitlist',
  now,
  entryId: `w-${userId}`,
  offerBookingId: `offer-${userId}`,
  userId,
  quantity,
  ...extra,
});

const joined = (userId: string, quantity: number, now = at(2)): TicketedEventEvent => ({
  type: 'WaitlistJoined',
  data: { eventId: EVENT_ID, entryId: `w-${userId}`, userId, quantity, offerBookingId: `offer-${userId}`, joinedAt: now },
});

/** The two events of an offer: the booking's hold, then the entry's change. */
const offered = (userId: string, seats: string[], now: string): TicketedEventEvent[] => [
  held({ bookingId: `offer-${userId}`, userId, seats, now }),
  {
    type: 'WaitlistOffered',
    data: {
      eventId: EVENT_ID,
      entryId: `w-${userId}`,
      userId,
      bookingId: `offer-${userId}`,
      seats,
      standing: [],
      offeredAt: now,
      expiresAt: new Date(Date.parse(now) + 300_000).toISOString(),
    },
  },
];

const lapsed = (userId: string, reason: 'expired' | 'cancelled', now: string): TicketedEventEvent => ({
  type: 'WaitlistOfferLapsed',
  data: { eventId: EVENT_ID, entryId: `w-${userId}`, userId, bookingId: `offer-${userId}`, reason, lapsedAt: now },
});

const release = (bookingId: string, userId: string, now: string): TicketedEventCommand => ({ type: 'ReleaseHold', now, bookingId, userId });

t.test('a buyer joins the waitlist of a sold-out event; joining again changes nothing', async (t) => {
  given(t, soldOut)
    .when(join('u1', 2))
    .then([joined('u1', 2)]);
  given(t, [...soldOut, joined('u1', 2)])
    .when({ ...join('u1', 3), entryId: 'w-other' })
    .then([]);
});

t.test('joining before the on-sale or after a cancellation is not-on-sale; a quantity over the limit is invalid-input', async (t) => {
  given(t, [small])
    .when(join('u1', 2, '2026-12-01T00:00:00.000Z'))
    .rejects('not-on-sale');
  given(t, [small, { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'rain', cancelledAt: at(1) } }])
    .when(join('u1', 2))
    .rejects('not-on-sale');
  given(t, soldOut).when(join('u1', 7)).rejects('invalid-input', { field: 'quantity' });
  given(t, soldOut)
    .when(join('u1', 2, at(2), { sectionId: 'Z' }))
    .rejects('unknown-seats', { unknown: ['Z'] });
});

t.test('seats a release frees are held for the first waiting entry in the same decision', async (t) => {
  given(t, [...soldOut, joined('u1', 2), joined('u2', 2)])
    .when(release('b0', 'u0', at(3)))
    .then([
      released('b0', 'cancelled', at(3), ALL),
      ...offered('u1', ['A-1-2', 'A-1-3'], at(3)),
      ...offered('u2', ['A-1-1', 'A-1-4'], at(3)),
    ]);
});

t.test('an entry nothing fits keeps its place and the next one is offered', async (t) => {
  const partly = [
    small,
    held({ bookingId: 'b0', userId: 'u0', seats: ['A-1-1', 'A-1-2'] }),
    held({ bookingId: 'b9', userId: 'u9', seats: ['A-1-3', 'A-1-4'] }),
  ];
  const events = given(t, [...partly, joined('u1', 3), joined('u2', 2)])
    .when(release('b0', 'u0', at(3)))
    .then([released('b0', 'cancelled', at(3), ['A-1-1', 'A-1-2']), ...offered('u2', ['A-1-1', 'A-1-2'], at(3))]);
  const s = stateOf([...partly, joined('u1', 3), joined('u2', 2), ...events]);
  if (s.status !== 'scheduled') throw new Error('not scheduled');
  t.equal(activeEntry(s, 'u1')?.status, 'waiting');
  t.equal(activeEntry(s, 'u2')?.status, 'offered');
});

t.test('an offer that lapses unpaid passes its seats to the next entry', async (t) => {
  const history = [...soldOut, joined('u1', 4), joined('u2', 4), released('b0', 'expired', at(6), ALL), ...offered('u1', ALL, at(6))];
  given(t, history)
    .when({ type: 'ExpireHold', now: at(11, 30), bookingId: 'offer-u1' })
    .then([released('offer-u1', 'expired', at(11, 30), ALL), lapsed('u1', 'expired', at(11, 30)), ...offered('u2', ALL, at(11, 30))]);
});

t.test('a public hold decided after the release cannot take the offered seats', async (t) => {
  const history = [...soldOut, joined('u1', 4), released('b0', 'expired', at(6), ALL), ...offered('u1', ALL, at(6))];
  given(t, history)
    .when(hold({ bookingId: 'b5', userId: 'u5', seats: ['A-1-1'], now: at(7) }))
    .rejects('seats-unavailable', { unavailable: ['A-1-1'] });
  given(t, history)
    .when({ ...hold({ bookingId: 'b5', userId: 'u5', seats: [], now: at(7) }), best: { quantity: 1 } })
    .rejects('seats-unavailable', { unavailable: [] });
});

t.test('joining while seats are free is offered at once', async (t) => {
  given(t, [small])
    .when(join('u1', 2))
    .then([joined('u1', 2), ...offered('u1', ['A-1-2', 'A-1-3'], at(2))]);
});

t.test('leaving while offered lets go of the hold, which goes to the next entry', async (t) => {
  const history = [...soldOut, joined('u1', 4), joined('u2', 4), released('b0', 'expired', at(6), ALL), ...offered('u1', ALL, at(6))];
  given(t, history)
    .when({ type: 'LeaveWaitlist', now: at(7), userId: 'u1' })
    .then([
      released('offer-u1', 'cancelled', at(7), ALL),
      { type: 'WaitlistLeft', data: { eventId: EVENT_ID, entryId: 'w-u1', userId: 'u1', leftAt: at(7) } },
      ...offered('u2', ALL, at(7)),
    ]);
  given(t, soldOut)
    .when({ type: 'LeaveWaitlist', now: at(7), userId: 'u1' })
    .then([]);
});

t.test('paying for the offer fulfils the entry; the buyer may then join again', async (t) => {
  const history = [...soldOut, joined('u1', 2), released('b0', 'expired', at(6), ALL), ...offered('u1', ['A-1-2', 'A-1-3'], at(6))];
  const events = ticketedEvent.decide(
    {
      type: 'RecordPaymentSucceeded',
      now: at(7),
      bookingId: 'offer-u1',
      paymentId: 'pay1',
      paymentEventId: 'evt1',
      amount: 10_000,
      currency: 'GBP',
      ticketIds: ['t1', 't2'],
    },
    stateOf(history),
  );
  t.strictSame(
    events.map((e) => e.type),
    ['PaymentSucceeded', 'BookingConfirmed'],
  );
  const s = stateOf([...history, ...events]);
  if (s.status !== 'scheduled') throw new Error('not scheduled');
  t.equal(pget(s.waitlist.entries, 'w-u1')?.status, 'fulfilled');
  t.equal(activeEntry(s, 'u1'), undefined, 'no active entry once fulfilled');
  // A-1-1 and A-1-4 are still free, so the new entry is offered one of them at once
  const again = ticketedEvent.decide({ ...join('u1', 1, at(8)), entryId: 'w2', offerBookingId: 'o2' }, s);
  t.strictSame(
    again.map((e) => e.type),
    ['WaitlistJoined', 'SeatsHeld', 'WaitlistOffered'],
  );
  t.match(again[2], { data: { entryId: 'w2', bookingId: 'o2', seats: ['A-1-1'] } });
});

t.test('a cancelled event lapses live offers and offers nothing more', async (t) => {
  const history = [
    ...soldOut,
    joined('u1', 2),
    joined('u2', 2),
    released('b0', 'expired', at(6), ALL),
    ...offered('u1', ['A-1-2', 'A-1-3'], at(6)),
    ...offered('u2', ['A-1-1', 'A-1-4'], at(6)),
  ];
  const events = ticketedEvent.decide({ type: 'CancelEvent', now: at(7), reason: 'rain' }, stateOf(history));
  t.strictSame(
    events.map((e) => e.type),
    ['EventCancelled', 'HoldReleased', 'HoldReleased', 'WaitlistOfferLapsed', 'WaitlistOfferLapsed'],
  );
});

t.test('an entry over the buyer ticket limit is skipped', async (t) => {
  const strict = ticketedEvent.decide(
    scheduleCommand({
      layout: { sections: [{ id: 'A', name: 'Block A', kind: 'seated', rows: [{ label: '1', seats: 4 }] }] },
      sectionPrices: { A: 5000 },
      maxTicketsPerUser: 3,
    }),
    stateOf([]),
  )[0] as TicketedEventEvent;
  // u0 already holds 2 of the 3 tickets a buyer may have, so an offer of 2 more would pass the limit
  const history = [
    strict,
    held({ bookingId: 'b8', userId: 'u8', seats: ['A-1-1', 'A-1-2'] }),
    held({ bookingId: 'b9', userId: 'u0', seats: ['A-1-3', 'A-1-4'] }),
    joined('u0', 2),
    joined('u1', 2),
  ];
  given(t, history)
    .when(release('b8', 'u8', at(3)))
    .then([released('b8', 'cancelled', at(3), ['A-1-1', 'A-1-2']), ...offered('u1', ['A-1-1', 'A-1-2'], at(3))]);
});

t.test('a refund of a sold booking frees its seats for the waitlist too', async (t) => {
  const sold = [
    ...soldOut,
    paid('b0', 'pay0', 'evt0', 20_000, at(2)),
    confirmed(
      'b0',
      ALL.map((seat, i) => ({ ticketId: `t${i}`, seat, sectionId: 'A' })),
      at(2),
      false,
      'u0',
    ),
    joined('u1', 2, at(3)),
  ];
  const events = ticketedEvent.decide(
    {
      type: 'RecordRefundIssued',
      now: at(4),
      bookingId: 'b0',
      refundId: 're1',
      amount: 20_000,
      paymentEventId: 'evt-refund',
      paymentId: 'pay0',
    },
    stateOf(sold),
  );
  t.strictSame(
    events.map((e) => e.type),
    ['RefundIssued', 'SeatsHeld', 'WaitlistOffered'],
  );
  t.match(events[2], { data: { entryId: 'w-u1', seats: ['A-1-2', 'A-1-3'] } });
});
