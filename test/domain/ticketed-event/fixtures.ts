import type { Test } from 'tap';
import { fold, DomainError, type DomainErrorCode } from '../../../src/domain/shared/index.js';
import type { StandingRequest, Layout } from '../../../src/domain/venue/index.js';
import type { TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import {
  ticketedEvent,
  type HoldSeats,
  type ScheduleEvent,
  type TicketedEventCommand,
  type TicketedEventState,
} from '../../../src/domain/ticketed-event/index.js';

export const EVENT_ID = 'e1';
export const ON_SALE = '2027-01-01T10:00:00.000Z';
export const STARTS = '2027-03-01T19:30:00.000Z';

/** Minutes after the on-sale time, as an ISO string. */
export const at = (minutes: number, seconds = 0): string => new Date(Date.parse(ON_SALE) + minutes * 60_000 + seconds * 1000).toISOString();

export const layout: Layout = {
  sections: [
    {
      id: 'A',
      name: 'Block A',
      kind: 'seated',
      rows: [
        { label: '1', seats: 5 },
        { label: '2', seats: 5 },
      ],
    },
    { id: 'B', name: 'Block B', kind: 'seated', rows: [{ label: '1', seats: 3 }] },
    { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 10 },
  ],
};

export const venueDetails = {
  name: 'Riverside Arena',
  address: '1 Quay St',
  city: 'Manchester',
  country: 'GB',
  location: { lat: 53.4794, lng: -2.2453 },
  timezone: 'Europe/London',
};

export const scheduleCommand = (overrides: Partial<ScheduleEvent> = {}): ScheduleEvent => ({
  type: 'ScheduleEvent',
  now: '2026-11-01T09:00:00.000Z',
  eventId: EVENT_ID,
  organizerId: 'org1',
  venue: { id: 'v1', ...venueDetails },
  layout,
  name: 'Aurora Live',
  description: 'An evening with Aurora.',
  category: 'music',
  performers: ['Aurora'],
  startsAt: STARTS,
  onSaleAt: ON_SALE,
  currency: 'GBP',
  sectionPrices: { A: 5000, B: 3000, PIT: 2000 },
  holdSeconds: 300,
  maxTicketsPerUser: 6,
  ...overrides,
});

export const scheduled: TicketedEventEvent = {
  type: 'EventScheduled',
  data: {
    name: 'Aurora Live',
    description: 'An evening with Aurora.',
    category: 'music',
    performers: ['Aurora'],
    startsAt: STARTS,
    onSaleAt: ON_SALE,
    eventId: EVENT_ID,
    organizerId: 'org1',
    venue: { id: 'v1', ...venueDetails },
    layout,
    currency: 'GBP',
    sectionPrices: { A: 5000, B: 3000, PIT: 2000 },
    holdSeconds: 300,
    maxTicketsPerUser: 6,
  },
};

const PRICES: Record<string, number> = { A: 5000, B: 3000, PIT: 2000 };

export const hold = (
  o: {
    bookingId?: string;
    userId?: string;
    seats?: string[];
    standing?: StandingRequest[];
    now?: string;
    idempotencyKey?: string;
    requestHash?: string;
  } = {},
): HoldSeats => ({
  type: 'HoldSeats',
  bookingId: o.bookingId ?? 'b1',
  userId: o.userId ?? 'u1',
  seats: o.seats ?? ['A-1-1', 'A-1-2'],
  standing: o.standing ?? [],
  now: o.now ?? at(1),
  ...(o.idempotencyKey === undefined ? {} : { idempotencyKey: o.idempotencyKey }),
  ...(o.requestHash === undefined ? {} : { requestHash: o.requestHash }),
});

/** The SeatsHeld the decider records for `hold(o)`. */
export const held = (o: Parameters<typeof hold>[0] = {}): TicketedEventEvent => {
  const c = hold(o);
  const amount =
    c.seats.reduce((n, s) => n + (PRICES[s.split('-')[0] as string] ?? 0), 0) +
    c.standing.reduce((n, r) => n + (PRICES[r.sectionId] ?? 0) * r.quantity, 0);
  return {
    type: 'SeatsHeld',
    data: {
      eventId: EVENT_ID,
      bookingId: c.bookingId,
      userId: c.userId,
      seats: c.seats,
      standing: c.standing,
      amount,
      currency: 'GBP',
      heldAt: c.now,
      expiresAt: new Date(Date.parse(c.now) + 300_000).toISOString(),
      ...(c.idempotencyKey === undefined ? {} : { idempotencyKey: c.idempotencyKey }),
      ...(c.requestHash === undefined ? {} : { requestHash: c.requestHash }),
    },
  };
};

export const released = (
  bookingId: string,
  reason: 'cancelled' | 'expired',
  now: string,
  seats: string[] = ['A-1-1', 'A-1-2'],
  standing: StandingRequest[] = [],
): TicketedEventEvent => ({
  type: 'HoldReleased',
  data: { eventId: EVENT_ID, bookingId, reason, seats, standing, releasedAt: now },
});

export const paid = (bookingId: string, paymentId: string, paymentEventId: string, amount: number, now: string): TicketedEventEvent => ({
  type: 'PaymentSucceeded',
  data: { eventId: EVENT_ID, bookingId, paymentId, paymentEventId, amount, currency: 'GBP', paidAt: now },
});

export const confirmed = (
  bookingId: string,
  tickets: { ticketId: string; seat?: string; sectionId: string }[],
  now: string,
  late = false,
  userId = 'u1',
): TicketedEventEvent => ({
  type: 'BookingConfirmed',
  data: { eventId: EVENT_ID, bookingId, userId, tickets, late, confirmedAt: now },
});

export const checkoutStarted = (bookingId: string, paymentId: string, now: string): TicketedEventEvent => ({
  type: 'CheckoutStarted',
  data: {
    eventId: EVENT_ID,
    bookingId,
    provider: 'local',
    paymentId,
    url: `http://localhost/pay/${paymentId}`,
    expiresAt: at(30),
    startedAt: now,
  },
});

/** b1 held A-1-1 and A-1-2 at minute 1, paid (pay1/evt1) and confirmed with tickets t1, t2. */
export const confirmedBooking: TicketedEventEvent[] = [
  scheduled,
  held(),
  paid('b1', 'pay1', 'evt1', 10000, at(2)),
  confirmed(
    'b1',
    [
      { ticketId: 't1', seat: 'A-1-1', sectionId: 'A' },
      { ticketId: 't2', seat: 'A-1-2', sectionId: 'A' },
    ],
    at(2),
  ),
];

export const stateOf = (events: readonly TicketedEventEvent[]): TicketedEventState =>
  fold(ticketedEvent.evolve, ticketedEvent.initialState, events);

/** given(t, events).when(command).then(events) / .rejects(code, details?) */
export const given = (t: Test, events: readonly TicketedEventEvent[]) => ({
  when: (command: TicketedEventCommand) => ({
    then: (expected: readonly TicketedEventEvent[]): readonly TicketedEventEvent[] => {
      const actual = ticketedEvent.decide(command, stateOf(events));
      t.strictSame(actual, expected);
      return actual;
    },
    rejects: (code: DomainErrorCode, details?: Record<string, unknown>): void => {
      try {
        const actual = ticketedEvent.decide(command, stateOf(events));
        t.fail(`expected ${code}, got ${JSON.stringify(actual)}`);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        t.equal(e.code, code, e.message);
        if (details !== undefined) t.match(e.details, details);
      }
    },
  }),
});
