import type { TicketedEventEvent } from './events.js';
import { addExpiry, lapsedQuantity, removeExpiry, totalQuantity } from './hold-expiries.js';
import type { StandingRequest } from '../venue/index.js';
import { emptyPMap, pget, premove, pset } from '../shared/index.js';
import type { Booking, BookingPayment, BookingPhase, ScheduledState, StandingInventory, TicketedEventState, UserBooking } from './types.js';
import { indexLayout } from '../venue/index.js';
import { freeSeats, indexFreeSeats, takeSeats } from './free-seats.js';
import { emptyWaitlist, evolveWaitlist } from './waitlist-state.js';

export const initialTicketedEventState: TicketedEventState = { status: 'none' };

export const isUnreleasedHold = (phase: BookingPhase): boolean => phase === 'held' || phase === 'payment_pending';

/** A hold blocks its places only while expiresAt > now: expiry is lazy and exact. */
export const isLiveHold = (b: Booking, nowMs: number): boolean => isUnreleasedHold(b.phase) && b.expiresAtMs > nowMs;

/** Places the booking takes at `nowMs` (sold or live-held). */
export const placesTaken = (b: Booking, nowMs: number): number => (b.phase === 'confirmed' || isLiveHold(b, nowMs) ? b.quantity : 0);

export const userTicketCount = (s: ScheduledState, userId: string, nowMs: number): number => {
  const entries = pget(s.userBookings, userId);
  if (entries === undefined) return 0;
  let n = 0;
  for (const e of entries) if (e.untilMs > nowMs) n += e.quantity;
  return n;
};

/** The booking that holds (live) or owns the seat at `nowMs`, if any. */
export const seatTakenBy = (s: ScheduledState, seat: string, nowMs: number): Booking | undefined => {
  const owner = pget(s.seatOwners, seat);
  if (owner === undefined) return undefined;
  const b = pget(s.bookings, owner);
  return b !== undefined && placesTaken(b, nowMs) > 0 ? b : undefined;
};

export const standingFree = (inv: StandingInventory, nowMs: number): number =>
  inv.capacity - inv.sold - (totalQuantity(inv.holds) - lapsedQuantity(inv.holds, nowMs));

export const quantityOf = (seats: readonly string[], standing: readonly StandingRequest[]): number =>
  standing.reduce((n, r) => n + r.quantity, seats.length);

const userKey = (userId: string, key: string): string => `${userId}\u0000${key}`;

export const idempotencyEntry = (s: ScheduledState, userId: string, key: string) => pget(s.idempotency, userKey(userId, key));

const updateStanding = (
  standing: ScheduledState['standing'],
  requests: readonly StandingRequest[],
  f: (inv: StandingInventory, r: StandingRequest) => StandingInventory,
): ScheduledState['standing'] => {
  if (requests.length === 0) return standing;
  const next = { ...standing };
  for (const r of requests) {
    const inv = next[r.sectionId];
    if (inv !== undefined) next[r.sectionId] = f(inv, r);
  }
  return next;
};

const putBooking = (s: ScheduledState, b: Booking): ScheduledState => ({ ...s, bookings: pset(s.bookings, b.id, b) });

const withoutUserBooking = (s: ScheduledState, b: Booking): ScheduledState['userBookings'] => {
  const entries = pget(s.userBookings, b.userId);
  if (entries === undefined || !entries.some((e) => e.id === b.id)) return s.userBookings;
  const rest = entries.filter((e) => e.id !== b.id);
  return rest.length === 0 ? premove(s.userBookings, b.userId) : pset(s.userBookings, b.userId, rest);
};

/** Adds the booking to its user's list, or updates its entry (a hold that became confirmed takes its places for good). */
const withUserBooking = (userBookings: ScheduledState['userBookings'], b: Booking): ScheduledState['userBookings'] => {
  const entry: UserBooking = { id: b.id, quantity: b.quantity, untilMs: b.phase === 'confirmed' ? Infinity : b.expiresAtMs };
  const entries = pget(userBookings, b.userId) ?? [];
  return pset(userBookings, b.userId, [...entries.filter((e) => e.id !== b.id), entry]);
};

/** Frees whatever the booking holds or owns: seats it still owns, standing holds or sold places, its user count. */
const dropFootprint = (s: ScheduledState, b: Booking): ScheduledState => {
  let seatOwners = s.seatOwners;
  const freed: string[] = [];
  for (const seat of b.seats) {
    if (pget(seatOwners, seat) !== b.id) continue;
    seatOwners = premove(seatOwners, seat);
    freed.push(seat);
  }
  let standing = s.standing;
  if (isUnreleasedHold(b.phase)) {
    standing = updateStanding(standing, b.standing, (inv) => ({ ...inv, holds: removeExpiry(inv.holds, b.expiresAtMs, b.id) }));
  } else if (b.phase === 'confirmed') {
    standing = updateStanding(standing, b.standing, (inv, r) => ({ ...inv, sold: inv.sold - r.quantity }));
  }
  return { ...s, seatOwners, freeSeats: freeSeats(s.freeSeats, freed), standing, userBookings: withoutUserBooking(s, b) };
};

/** Records the booking as the seats' owner, keeping the best-available index in step (it lists only unowned seats). */
const ownSeats = (s: ScheduledState, seats: readonly string[], bookingId: string): Pick<ScheduledState, 'seatOwners' | 'freeSeats'> => {
  let seatOwners = s.seatOwners;
  const taken: string[] = [];
  for (const seat of seats) {
    if (pget(seatOwners, seat) === undefined) taken.push(seat);
    seatOwners = pset(seatOwners, seat, bookingId);
  }
  return { seatOwners, freeSeats: taken.length === 0 ? s.freeSeats : takeSeats(s.freeSeats, taken) };
};

const evolveScheduled = (s: ScheduledState, event: TicketedEventEvent): ScheduledState => {
  switch (event.type) {
    case 'EventScheduled':
      return s;
    case 'EventDetailsChanged': {
      const { sectionPrices, ...details } = event.data.changes;
      return {
        ...s,
        event: {
          ...s.event,
          ...details,
          sectionPrices: sectionPrices === undefined ? s.event.sectionPrices : { ...s.event.sectionPrices, ...sectionPrices },
        },
      };
    }
    case 'EventCancelled':
      return { ...s, cancelled: true };
    case 'WaitingRoomConfigured': {
      const { enabled, opensAt, admitPerMinute, accessSeconds } = event.data;
      return { ...s, waitingRoom: { enabled, opensAt, admitPerMinute, accessSeconds } };
    }
    case 'SeatsHeld': {
      const d = event.data;
      const expiresAtMs = Date.parse(d.expiresAt);
      const booking: Booking = {
        id: d.bookingId,
        userId: d.userId,
        phase: 'held',
        seats: d.seats,
        standing: d.standing,
        quantity: quantityOf(d.seats, d.standing),
        amount: d.amount,
        currency: d.currency,
        createdAt: d.heldAt,
        expiresAt: d.expiresAt,
        expiresAtMs,
        payments: [],
        tickets: [],
      };
      const owners = ownSeats(s, d.seats, d.bookingId);
      const standing = updateStanding(s.standing, d.standing, (inv, r) => ({
        ...inv,
        holds: addExpiry(inv.holds, expiresAtMs, d.bookingId, r.quantity),
      }));
      const idempotency =
        d.idempotencyKey === undefined
          ? s.idempotency
          : pset(s.idempotency, userKey(d.userId, d.idempotencyKey), { bookingId: d.bookingId, requestHash: d.requestHash });
      const heldAtMs = Date.parse(d.heldAt);
      return {
        ...s,
        ...owners,
        standing,
        idempotency,
        bookings: pset(s.bookings, booking.id, booking),
        userBookings: withUserBooking(s.userBookings, booking),
        clockMs: heldAtMs > s.clockMs ? heldAtMs : s.clockMs,
      };
    }
    case 'HoldReleased': {
      const b = pget(s.bookings, event.data.bookingId);
      if (b === undefined || !isUnreleasedHold(b.phase)) return s;
      const phase: BookingPhase = event.data.reason === 'expired' ? 'expired' : s.cancelled ? 'cancelled' : 'released';
      return putBooking(dropFootprint(s, b), { ...b, phase });
    }
    case 'CheckoutStarted': {
      const d = event.data;
      const b = pget(s.bookings, d.bookingId);
      if (b === undefined) return s;
      return putBooking(s, {
        ...b,
        phase: isUnreleasedHold(b.phase) ? 'payment_pending' : b.phase,
        checkout: { provider: d.provider, paymentId: d.paymentId, url: d.url, expiresAt: d.expiresAt },
      });
    }
    case 'PaymentSucceeded': {
      const d = event.data;
      const seen = { ...s, seenPaymentEvents: pset(s.seenPaymentEvents, d.paymentEventId, true as const) };
      const b = pget(s.bookings, d.bookingId);
      if (b === undefined || b.payments.some((p) => p.paymentId === d.paymentId)) return seen;
      return putBooking(seen, {
        ...b,
        payments: [...b.payments, { paymentId: d.paymentId, amount: d.amount, currency: d.currency, refund: 'none' }],
      });
    }
    case 'PaymentFailed': {
      const d = event.data;
      const seen = { ...s, seenPaymentEvents: pset(s.seenPaymentEvents, d.paymentEventId, true as const) };
      const b = pget(s.bookings, d.bookingId);
      if (b === undefined || b.phase !== 'payment_pending') return seen;
      const { checkout: _dropped, ...rest } = b;
      return putBooking(seen, { ...rest, phase: 'held' });
    }
    case 'BookingConfirmed': {
      const d = event.data;
      const b = pget(s.bookings, d.bookingId);
      if (b === undefined || b.phase === 'confirmed') return s;
      let next = s;
      if (isUnreleasedHold(b.phase)) {
        next = {
          ...next,
          standing: updateStanding(next.standing, b.standing, (inv) => ({
            ...inv,
            holds: removeExpiry(inv.holds, b.expiresAtMs, b.id),
          })),
        };
      }
      const owners = ownSeats(next, b.seats, b.id);
      let tickets = next.tickets;
      for (const t of d.tickets) tickets = pset(tickets, t.ticketId, { bookingId: b.id, checkedIn: false });
      const last = b.payments[b.payments.length - 1];
      const confirmed: Booking = {
        ...b,
        phase: 'confirmed',
        tickets: d.tickets,
        ...(last === undefined ? {} : { confirmedPaymentId: last.paymentId }),
      };
      next = {
        ...next,
        ...owners,
        tickets,
        standing: updateStanding(next.standing, b.standing, (inv, r) => ({ ...inv, sold: inv.sold + r.quantity })),
      };
      next = { ...next, userBookings: withUserBooking(next.userBookings, confirmed), waitlist: evolveWaitlist(next.waitlist, event) };
      return putBooking(next, confirmed);
    }
    case 'RefundRequested': {
      const d = event.data;
      const b = pget(s.bookings, d.bookingId);
      if (b === undefined) return s;
      const payments = b.payments.map((p) =>
        p.paymentId === d.paymentId && p.refund === 'none' ? { ...p, refund: 'requested' as const } : p,
      );
      if (d.reason === 'duplicate-payment') return putBooking(s, { ...b, payments });
      return putBooking(dropFootprint(s, b), { ...b, payments, phase: 'refund_pending' });
    }
    case 'RefundIssued': {
      const d = event.data;
      const seen = { ...s, seenPaymentEvents: pset(s.seenPaymentEvents, d.paymentEventId, true as const) };
      const b = pget(s.bookings, d.bookingId);
      if (b === undefined) return seen;
      const target = refundTarget(b, d.paymentId);
      // money the booking never took (no such payment) changes nothing but is still on record
      if (target === undefined || !b.payments.some((p) => p.paymentId === target)) return seen;
      const payments = b.payments.map((p) => (p.paymentId === target ? { ...p, refund: 'issued' as const } : p));
      const duplicate = b.phase === 'confirmed' && target !== b.confirmedPaymentId;
      if (duplicate) return putBooking(seen, { ...b, payments });
      return putBooking(dropFootprint(seen, b), { ...b, payments, phase: 'refunded' });
    }
    case 'WaitlistJoined':
    case 'WaitlistLeft':
    case 'WaitlistOffered':
    case 'WaitlistOfferLapsed':
      return { ...s, waitlist: evolveWaitlist(s.waitlist, event) };
    case 'TicketCheckedIn': {
      const entry = pget(s.tickets, event.data.ticketId);
      if (entry === undefined) return s;
      return { ...s, tickets: pset(s.tickets, event.data.ticketId, { ...entry, checkedIn: true }) };
    }
    default: {
      const _: never = event;
      return _;
    }
  }
};

/**
 * Which payment a refund settles: the named one, else the oldest with a
 * requested refund, else (a refund nobody asked for, e.g. from the provider's
 * dashboard) the payment that confirmed the booking.
 */
export const refundTarget = (b: RefundableBooking, paymentId: string | undefined): string | undefined => {
  if (paymentId !== undefined) return paymentId;
  return (b.payments.find((p) => p.refund === 'requested') ?? b.payments.find((p) => p.paymentId === b.confirmedPaymentId))?.paymentId;
};

/** What a refund's target depends on; the read side's booking ledger has it too. */
export type RefundableBooking = {
  readonly payments: readonly Pick<BookingPayment, 'paymentId' | 'refund'>[];
  readonly confirmedPaymentId?: string | null | undefined;
};

/** The time at which an event's decision judged which holds were live (SeatsHeld sets the clock itself). */
const decidedAt = (event: TicketedEventEvent): string | undefined => {
  switch (event.type) {
    case 'HoldReleased':
      return event.data.releasedAt;
    case 'BookingConfirmed':
      return event.data.confirmedAt;
    case 'RefundRequested':
      return event.data.requestedAt;
    case 'CheckoutStarted':
      return event.data.startedAt;
    default:
      return undefined;
  }
};

const advanceClock = (s: ScheduledState, event: TicketedEventEvent): ScheduledState => {
  const at = decidedAt(event);
  if (at === undefined) return s;
  const ms = Date.parse(at);
  return ms > s.clockMs ? { ...s, clockMs: ms } : s;
};

export const evolveTicketedEvent = (state: TicketedEventState, event: TicketedEventEvent): TicketedEventState => {
  if (state.status === 'none') {
    if (event.type !== 'EventScheduled') return state;
    const d = event.data;
    const standing: Record<string, StandingInventory> = {};
    for (const section of d.layout.sections) {
      if (section.kind === 'standing') standing[section.id] = { capacity: section.capacity, sold: 0, holds: undefined };
    }
    return {
      status: 'scheduled',
      event: d,
      index: indexLayout(d.layout),
      cancelled: false,
      clockMs: -Infinity,
      waitingRoom: { enabled: false, opensAt: d.onSaleAt, admitPerMinute: 0, accessSeconds: 0 },
      seatOwners: emptyPMap(),
      freeSeats: indexFreeSeats(d.layout),
      waitlist: emptyWaitlist,
      standing,
      bookings: emptyPMap(),
      userBookings: emptyPMap(),
      idempotency: emptyPMap(),
      seenPaymentEvents: emptyPMap(),
      tickets: emptyPMap(),
    };
  }
  return advanceClock(evolveScheduled(state, event), event);
};

/** `now` of a command, never earlier than what the stream already recorded. */
export const decisionTime = (s: ScheduledState, now: number): number => (now > s.clockMs ? now : s.clockMs);
