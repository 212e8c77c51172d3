import fc from 'fast-check';
import {
  ticketedEvent,
  type TicketedEventCommand,
  type TicketedEventEvent,
  type TicketedEventState,
} from '../../../src/domain/ticketed-event/index.js';
import { DomainError, pget } from '../../../src/domain/shared/index.js';
import type { Layout } from '../../../src/domain/venue/index.js';

/**
 * Random histories of one small, contended ticketed event: plans of steps
 * (holds, releases, expiries, checkouts, payments, failures, refunds,
 * check-ins, clock ticks and lagging clocks, a cancellation) turned into
 * commands and decided by the real decider. Shared by the domain's own
 * property test and the read side's agreement test.
 */

export const ON_SALE = Date.parse('2027-01-01T10:00:00Z');
export const HOLD_SECONDS = 60;
export const MAX_PER_USER = 4;
export const PIT_CAPACITY = 6;
export const iso = (ms: number): string => new Date(ms).toISOString();

export const layout: Layout = {
  sections: [
    {
      id: 'A',
      name: 'A',
      kind: 'seated',
      rows: [
        { label: '1', seats: 4 },
        { label: '2', seats: 3 },
      ],
    },
    { id: 'PIT', name: 'Pit', kind: 'standing', capacity: PIT_CAPACITY },
  ],
};
export const SEATS = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-2-1', 'A-2-2', 'A-2-3'];

export const schedule: TicketedEventCommand = {
  type: 'ScheduleEvent',
  now: iso(ON_SALE - 86_400_000),
  eventId: 'e1',
  organizerId: 'o1',
  venue: {
    id: 'v1',
    name: 'Hall',
    address: '1 St',
    city: 'Leeds',
    country: 'GB',
    location: { lat: 53.8, lng: -1.55 },
    timezone: 'Europe/London',
  },
  layout,
  name: 'Gig',
  description: '',
  category: 'music',
  performers: ['Band'],
  startsAt: iso(ON_SALE + 30 * 86_400_000),
  onSaleAt: iso(ON_SALE),
  currency: 'EUR',
  sectionPrices: { A: 1000, PIT: 500 },
  holdSeconds: HOLD_SECONDS,
  maxTicketsPerUser: MAX_PER_USER,
};

export type Step =
  | { k: 'hold'; user: number; seats: string[]; pit: number; key: string | null; variant: number }
  | { k: 'release'; b: number; user: number }
  | { k: 'expire'; b: number }
  | { k: 'checkout'; b: number; attempt: number }
  | { k: 'pay'; b: number; payment: number; evt: number }
  | { k: 'fail'; b: number; payment: number; evt: number }
  | { k: 'refund'; b: number; evt: number; named: boolean; payment: number }
  | { k: 'checkin'; b: number; ticket: number }
  | { k: 'tick'; seconds: number }
  | { k: 'lag'; seconds: number }
  | { k: 'cancel'; dice: number };

const b = fc.nat(40);
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('hold' as const),
      user: fc.nat(4),
      seats: fc.subarray(SEATS, { maxLength: 3 }),
      pit: fc.nat(3),
      key: fc.option(fc.constantFrom('k1', 'k2'), { nil: null }),
      variant: fc.nat(1),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('release' as const), b, user: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('expire' as const), b }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('checkout' as const), b, attempt: fc.nat(1) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('pay' as const), b, payment: fc.nat(1), evt: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('fail' as const), b, payment: fc.nat(1), evt: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('refund' as const), b, evt: fc.nat(2), named: fc.boolean(), payment: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('checkin' as const), b, ticket: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('tick' as const), seconds: fc.integer({ min: 0, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('lag' as const), seconds: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), dice: fc.nat(4) }) },
);

export const toCommand = (step: Step, clockMs: number, bookingIds: readonly string[], holds: number): TicketedEventCommand | undefined => {
  const now = iso(clockMs);
  const pick = (i: number): string | undefined => (bookingIds.length === 0 ? undefined : bookingIds[i % bookingIds.length]);
  switch (step.k) {
    case 'hold':
      return {
        type: 'HoldSeats',
        bookingId: `b${holds}`,
        userId: `u${step.user}`,
        seats: step.seats,
        standing: step.pit > 0 ? [{ sectionId: 'PIT', quantity: step.pit }] : [],
        now,
        ...(step.key === null ? {} : { idempotencyKey: step.key, requestHash: `h${step.variant}` }),
      };
    case 'release': {
      const id = pick(step.b);
      return id === undefined ? undefined : { type: 'ReleaseHold', bookingId: id, userId: `u${step.user}`, now };
    }
    case 'expire': {
      const id = pick(step.b);
      return id === undefined ? undefined : { type: 'ExpireHold', bookingId: id, now };
    }
    case 'checkout': {
      const id = pick(step.b);
      return id === undefined
        ? undefined
        : {
            type: 'StartCheckout',
            bookingId: id,
            userId: 'owner',
            provider: 'local',
            paymentId: `${id}-p${step.attempt}`,
            url: 'http://x/pay',
            expiresAt: iso(clockMs + 1_800_000),
            now,
          };
    }
    case 'pay': {
      const id = pick(step.b);
      return id === undefined
        ? undefined
        : {
            type: 'RecordPaymentSucceeded',
            bookingId: id,
            paymentId: `${id}-p${step.payment}`,
            paymentEventId: `ok-${id}-${step.payment}-${step.evt}`,
            amount: 1000,
            currency: 'EUR',
            ticketIds: Array.from({ length: 10 }, (_, i) => `${id}-p${step.payment}-t${i}`),
            now,
          };
    }
    case 'fail': {
      const id = pick(step.b);
      return id === undefined
        ? undefined
        : {
            type: 'RecordPaymentFailed',
            bookingId: id,
            paymentId: `${id}-p${step.payment}`,
            paymentEventId: `no-${id}-${step.payment}-${step.evt}`,
            reason: 'declined',
            now,
          };
    }
    case 'refund': {
      const id = pick(step.b);
      return id === undefined
        ? undefined
        : {
            type: 'RecordRefundIssued',
            bookingId: id,
            refundId: `re-${id}-${step.evt}`,
            amount: 1000,
            paymentEventId: `re-${id}-${step.evt}`,
            ...(step.named ? { paymentId: `${id}-p${step.payment}` } : {}),
            now,
          };
    }
    case 'checkin': {
      const id = pick(step.b);
      return id === undefined ? undefined : { type: 'CheckInTicket', ticketId: `${id}-p0-t${step.ticket}`, now };
    }
    case 'cancel':
      return step.dice === 0 ? { type: 'CancelEvent', reason: 'test', now } : undefined;
    case 'tick':
    case 'lag':
      return undefined;
    default: {
      const _: never = step;
      return _;
    }
  }
};

export const planArb = fc.array(stepArb, { minLength: 1, maxLength: 150, size: 'max' });

/** The events a plan records when every command goes through the decider (rejected ones append nothing). */
export const decideHistory = (plan: readonly Step[]): { readonly events: TicketedEventEvent[]; readonly state: TicketedEventState } => {
  let state = ticketedEvent.initialState;
  const events: TicketedEventEvent[] = [];
  const record = (decided: readonly TicketedEventEvent[]) => {
    for (const e of decided) {
      state = ticketedEvent.evolve(state, e);
      events.push(e);
    }
  };
  record(ticketedEvent.decide(schedule, state));
  let clockMs = ON_SALE;
  let holds = 0;
  const bookingIds: string[] = [];
  for (const step of plan) {
    if (step.k === 'tick') clockMs += step.seconds * 1000;
    const lag = step.k === 'lag' ? step.seconds * 1000 : 0;
    let command = toCommand(step, clockMs - lag, bookingIds, holds);
    if (command === undefined) continue;
    if (command.type === 'HoldSeats') holds++;
    if ((command.type === 'StartCheckout' || command.type === 'ReleaseHold') && command.userId === 'owner') {
      const owner = state.status === 'scheduled' ? pget(state.bookings, command.bookingId)?.userId : undefined;
      command = { ...command, userId: owner ?? 'nobody' };
    }
    try {
      const decided = ticketedEvent.decide(command, state);
      for (const e of decided) if (e.type === 'SeatsHeld') bookingIds.push(e.data.bookingId);
      record(decided);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }
  return { events, state };
};
