import type { PMap } from '../shared/index.js';
import { pget, pvalues } from '../shared/index.js';
import { idempotencyEntry, isLiveHold, standingFree } from './state.js';
import type {
  Booking,
  BookingPhase,
  BookingStatus,
  BookingView,
  EventSummary,
  HoldSeats,
  SeatStatus,
  TicketedEventState,
} from './types.js';

/** Read helpers over a folded `event-<eventId>` state, for the API and the CLI. */

const nowMsOf = (now: string): number => {
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new TypeError(`Not a time: ${now}`);
  return ms;
};

/** The status a reader sees: a hold past its deadline reads as expired before the sweeper records it (the read side uses it too). */
export const phaseStatus = (phase: BookingPhase, expiresAtMs: number, nowMs: number): BookingStatus => {
  switch (phase) {
    case 'held':
    case 'payment_pending':
      return expiresAtMs <= nowMs ? 'expired' : phase;
    case 'released':
    case 'expired':
    case 'cancelled':
    case 'confirmed':
      return phase;
    case 'refund_pending':
    case 'refunded':
      return 'refunded';
    default: {
      const _: never = phase;
      return _;
    }
  }
};

export const bookingStatus = (b: Booking, nowMs: number): BookingStatus => phaseStatus(b.phase, b.expiresAtMs, nowMs);

export const bookingView = (state: TicketedEventState, bookingId: string, now: string): BookingView | undefined => {
  if (state.status !== 'scheduled') return undefined;
  const b = pget(state.bookings, bookingId);
  if (b === undefined) return undefined;
  const paymentId = b.confirmedPaymentId ?? b.checkout?.paymentId;
  return {
    id: b.id,
    eventId: state.event.eventId,
    userId: b.userId,
    status: bookingStatus(b, nowMsOf(now)),
    seats: b.seats,
    standing: b.standing,
    amount: b.amount,
    currency: b.currency,
    expiresAt: b.expiresAt,
    createdAt: b.createdAt,
    ...(paymentId === undefined ? {} : { paymentId }),
    tickets: b.tickets,
  };
};

/** The booking a HoldSeats command answers with: the first one for an idempotency key seen before. */
export const resolveBookingId = (state: TicketedEventState, command: HoldSeats): string => {
  if (state.status !== 'scheduled' || command.idempotencyKey === undefined) return command.bookingId;
  return idempotencyEntry(state, command.userId, command.idempotencyKey)?.bookingId ?? command.bookingId;
};

/** 'A' also for a seat id the layout lacks. */
export const seatStatus = (state: TicketedEventState, seatId: string, now: string): SeatStatus => {
  if (state.status !== 'scheduled') return 'A';
  const owner = pget(state.seatOwners, seatId);
  if (owner === undefined) return 'A';
  const b = pget(state.bookings, owner);
  if (b === undefined) return 'A';
  if (b.phase === 'confirmed') return 'S';
  return isLiveHold(b, nowMsOf(now)) ? 'H' : 'A';
};

/** Free places in a standing section at `now`; 0 for a section that is not a standing section of this event. */
export const standingAvailable = (state: TicketedEventState, sectionId: string, now: string): number => {
  if (state.status !== 'scheduled') return 0;
  const inv = state.standing[sectionId];
  return inv === undefined ? 0 : Math.max(0, standingFree(inv, nowMsOf(now)));
};

const countValues = <V>(map: PMap<V>, f: (v: V) => boolean): number => {
  let n = 0;
  for (const v of pvalues(map)) if (f(v)) n++;
  return n;
};

/**
 * Counts for the CLI replay. `held` counts live holds at `now`; without `now`,
 * every hold not yet released by an event.
 */
export const eventSummary = (state: TicketedEventState, now?: string): EventSummary => {
  if (state.status !== 'scheduled') {
    return { scheduled: false, cancelled: false, capacity: 0, sold: 0, held: 0, available: 0, revenue: 0, bookings: 0, checkedIn: 0 };
  }
  const nowMs = now === undefined ? -Infinity : nowMsOf(now);
  let sold = 0;
  let held = 0;
  let revenue = 0;
  for (const b of pvalues(state.bookings)) {
    if (b.phase === 'confirmed') {
      sold += b.quantity;
      revenue += b.amount;
    } else if (isLiveHold(b, nowMs)) {
      held += b.quantity;
    }
  }
  const capacity = state.index.capacity;
  return {
    scheduled: true,
    cancelled: state.cancelled,
    eventId: state.event.eventId,
    name: state.event.name,
    capacity,
    sold,
    held,
    available: capacity - sold - held,
    revenue,
    currency: state.event.currency,
    bookings: state.bookings.size,
    checkedIn: countValues(state.tickets, (t) => t.checkedIn),
  };
};
