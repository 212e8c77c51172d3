import { DomainError, isList, pget, isoAt, requireId, requireText, timeMs } from '../shared/index.js';
import type { TicketedEventEvent } from './events.js';
import type { StandingRequest } from '../venue/index.js';
import { requireNotCancelled, requireScheduled } from './catalogue.js';
import { decisionTime, idempotencyEntry, isLiveHold, isUnreleasedHold, seatTakenBy, standingFree, userTicketCount } from './state.js';
import type { Booking, ExpireHold, HoldSeats, ReleaseHold, ScheduledState, StartCheckout, TicketedEventState } from './types.js';
import { indexedSeatSection } from '../venue/index.js';
import { pickBest } from './free-seats.js';
import type { BestRequest } from './free-seats.js';

export const MAX_SEATS_PER_REQUEST = 1000;

const bad = (message: string, details: Record<string, unknown> = {}): DomainError => new DomainError('invalid-input', message, details);

const validateRequest = (c: HoldSeats): void => {
  requireId('bookingId', c.bookingId);
  requireId('userId', c.userId);
  if (!isList(c.seats) || !isList(c.standing)) throw bad('seats and standing must be lists.');
  if (c.best !== undefined) validateBest(c);
  else if (c.seats.length === 0 && c.standing.length === 0) throw bad('Ask for at least one seat or standing place.');
  if (c.seats.length > MAX_SEATS_PER_REQUEST || c.standing.length > MAX_SEATS_PER_REQUEST) {
    throw bad(`At most ${MAX_SEATS_PER_REQUEST} seats in one request.`);
  }
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const seat of c.seats) {
    if (typeof seat !== 'string') throw bad('Seat ids must be strings.', { field: 'seats' });
    if (seen.has(seat)) duplicates.push(seat);
    seen.add(seat);
  }
  if (duplicates.length > 0) throw bad(`Seats asked for twice: ${duplicates.join(', ')}.`, { field: 'seats', duplicates });
  const sections = new Set<string>();
  for (const r of c.standing) {
    if (r === null || typeof r !== 'object' || typeof r.sectionId !== 'string') {
      throw bad('Each standing request needs a sectionId.', { field: 'standing' });
    }
    if (sections.has(r.sectionId)) throw bad(`Standing section ${r.sectionId} asked for twice.`, { field: 'standing' });
    sections.add(r.sectionId);
    if (typeof r.quantity !== 'number' || !Number.isInteger(r.quantity) || r.quantity < 1) {
      throw bad(`The quantity for standing section ${r.sectionId} must be a whole number of at least 1.`, { field: 'standing' });
    }
  }
  if (c.idempotencyKey !== undefined) requireText('idempotencyKey', c.idempotencyKey, 255);
};

const validateBest = (c: HoldSeats): void => {
  const best = c.best as BestRequest;
  if (best === null || typeof best !== 'object') throw bad('best must be an object.', { field: 'best' });
  if (c.seats.length > 0) throw bad('Name seats or ask for the best available, not both.', { field: 'best' });
  if (!Number.isInteger(best.quantity) || best.quantity < 1 || best.quantity > MAX_SEATS_PER_REQUEST) {
    throw bad(`best.quantity must be a whole number from 1 to ${MAX_SEATS_PER_REQUEST}.`, { field: 'best.quantity' });
  }
  if (best.sectionId !== undefined && typeof best.sectionId !== 'string')
    throw bad('best.sectionId must be a string.', { field: 'best.sectionId' });
  if (best.maxPrice !== undefined && (!Number.isInteger(best.maxPrice) || best.maxPrice < 0)) {
    throw bad('best.maxPrice must be a whole number of minor units.', { field: 'best.maxPrice' });
  }
  if (best.together !== undefined && typeof best.together !== 'boolean')
    throw bad('best.together must be true or false.', { field: 'best.together' });
};

/**
 * Turns a best-available request into named seats (or, for a standing section,
 * standing places) against the state the hold is decided on, so two requests
 * decided one after the other can never pick the same seat.
 */
const resolveBest = (s: ScheduledState, c: HoldSeats): HoldSeats => {
  const best = c.best;
  if (best === undefined) return c;
  const { best: _asked, ...named } = c;
  if (best.sectionId !== undefined) {
    const section = s.index.sections.get(best.sectionId);
    if (section === undefined) {
      throw new DomainError('unknown-seats', `Not in this event's layout: ${best.sectionId}.`, { unknown: [best.sectionId] });
    }
    if (section.kind === 'standing') {
      if (c.standing.some((r) => r.sectionId === section.id))
        throw bad(`Standing section ${section.id} asked for twice.`, { field: 'standing' });
      if (best.maxPrice !== undefined && (s.event.sectionPrices[section.id] ?? 0) > best.maxPrice) throw noBlock();
      return { ...named, standing: [...c.standing, { sectionId: section.id, quantity: best.quantity }] };
    }
  }
  const seats = pickBest(s.freeSeats, s.event.sectionPrices, best);
  if (seats === undefined) throw noBlock();
  return { ...named, seats };
};

const noBlock = (): DomainError =>
  new DomainError('seats-unavailable', 'No seats that fit the request are available.', { unavailable: [] });

export const decideHold = (command: HoldSeats, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  let c = command;
  const nowMs = decisionTime(s, timeMs('now', c.now));
  if (c.idempotencyKey !== undefined) {
    const first = idempotencyEntry(s, c.userId, c.idempotencyKey);
    if (first !== undefined) {
      if (first.requestHash === c.requestHash) return [];
      throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used with another request.', {
        bookingId: first.bookingId,
      });
    }
  }
  requireNotCancelled(s);
  if (nowMs < Date.parse(s.event.onSaleAt)) {
    throw new DomainError('not-on-sale', `Tickets go on sale at ${s.event.onSaleAt}.`, { onSaleAt: s.event.onSaleAt });
  }
  validateRequest(c);
  if (pget(s.bookings, c.bookingId) !== undefined) {
    throw new DomainError('already-exists', `Booking ${c.bookingId} already exists.`);
  }
  c = resolveBest(s, c);

  const unknown: string[] = [];
  const seatSections: string[] = [];
  for (const seat of c.seats) {
    const section = indexedSeatSection(s.index, seat);
    if (section === undefined) unknown.push(seat);
    else seatSections.push(section);
  }
  const seated = c.standing.filter((r) => s.index.sections.get(r.sectionId)?.kind === 'seated').map((r) => r.sectionId);
  for (const r of c.standing) if (s.standing[r.sectionId] === undefined && !seated.includes(r.sectionId)) unknown.push(r.sectionId);
  if (unknown.length > 0) {
    throw new DomainError('unknown-seats', `Not in this event's layout: ${unknown.slice(0, 20).join(', ')}.`, { unknown });
  }
  if (seated.length > 0) {
    throw new DomainError(
      'section-seated',
      `Seated, so ask for its seats by id (such as ${seated[0]}-1-1), not a quantity: ${seated.join(', ')}.`,
      {
        seated,
      },
    );
  }

  const unavailable: string[] = [];
  for (const seat of c.seats) if (seatTakenBy(s, seat, nowMs) !== undefined) unavailable.push(seat);
  for (const r of c.standing) {
    if (standingFree(s.standing[r.sectionId] as NonNullable<ScheduledState['standing'][string]>, nowMs) < r.quantity) {
      unavailable.push(r.sectionId);
    }
  }
  if (unavailable.length > 0) {
    throw new DomainError('seats-unavailable', `No longer available: ${unavailable.slice(0, 20).join(', ')}.`, { unavailable });
  }

  const requested = c.standing.reduce((n, r) => n + r.quantity, c.seats.length);
  const current = userTicketCount(s, c.userId, nowMs);
  const limit = s.event.maxTicketsPerUser;
  if (current + requested > limit) {
    throw new DomainError('ticket-limit', `At most ${limit} tickets per buyer; you hold or own ${current}.`, {
      limit,
      current,
      requested,
    });
  }

  const prices = s.event.sectionPrices;
  let amount = 0;
  for (const section of seatSections) amount += prices[section] ?? 0;
  for (const r of c.standing) amount += (prices[r.sectionId] ?? 0) * r.quantity;
  const standing: StandingRequest[] = c.standing.map((r) => ({ sectionId: r.sectionId, quantity: r.quantity }));
  return [
    {
      type: 'SeatsHeld',
      data: {
        eventId: s.event.eventId,
        bookingId: c.bookingId,
        userId: c.userId,
        seats: [...c.seats],
        standing,
        amount,
        currency: s.event.currency,
        heldAt: isoAt(nowMs),
        expiresAt: isoAt(nowMs + s.event.holdSeconds * 1000),
        ...(c.idempotencyKey === undefined ? {} : { idempotencyKey: c.idempotencyKey }),
        ...(c.requestHash === undefined ? {} : { requestHash: c.requestHash }),
      },
    },
  ];
};

/** The buyer's own booking; another user's booking is reported as not found. */
export const ownBooking = (s: ScheduledState, bookingId: string, userId: string): Booking => {
  const b = pget(s.bookings, bookingId);
  if (b === undefined || b.userId !== userId) throw new DomainError('not-found', 'No such booking.');
  return b;
};

export const findBooking = (s: ScheduledState, bookingId: string): Booking => {
  const b = pget(s.bookings, bookingId);
  if (b === undefined) throw new DomainError('not-found', 'No such booking.');
  return b;
};

const released = (s: ScheduledState, b: Booking, reason: 'cancelled' | 'expired', now: string): TicketedEventEvent => ({
  type: 'HoldReleased',
  data: { eventId: s.event.eventId, bookingId: b.id, reason, seats: b.seats, standing: b.standing, releasedAt: now },
});

/**
 * The buyer lets go of a live hold. Releasing again, or a hold that already
 * lapsed, changes nothing (the sweeper records the expiry).
 */
export const decideRelease = (c: ReleaseHold, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  const nowMs = decisionTime(s, timeMs('now', c.now));
  const b = ownBooking(s, c.bookingId, c.userId);
  if (isLiveHold(b, nowMs)) return [released(s, b, 'cancelled', c.now)];
  if (isUnreleasedHold(b.phase) || b.phase === 'released' || b.phase === 'expired' || b.phase === 'cancelled') return [];
  throw new DomainError(
    'invalid-state',
    `Booking ${b.id} is ${b.phase === 'confirmed' ? 'paid' : 'refunded'} and can no longer be released.`,
  );
};

/** The sweeper: records the expiry of a lapsed hold; anything else is a no-op. */
export const decideExpire = (c: ExpireHold, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  const nowMs = decisionTime(s, timeMs('now', c.now));
  const b = findBooking(s, c.bookingId);
  return isUnreleasedHold(b.phase) && b.expiresAtMs <= nowMs ? [released(s, b, 'expired', c.now)] : [];
};

/**
 * Why a booking cannot go to checkout, named for what happened to it: paid
 * (`booking-confirmed`), refunded (`booking-refunded`), let go by its buyer
 * (`booking-released`), cancelled with its event (`event-cancelled`), or its hold
 * lapsed (`hold-expired`). Returns when the hold is live.
 */
export const requireCheckoutable = (b: Booking, nowMs: number): void => {
  switch (b.phase) {
    case 'confirmed':
      throw new DomainError('booking-confirmed', `Booking ${b.id} is already paid.`, { bookingStatus: 'confirmed' });
    case 'refund_pending':
    case 'refunded':
      throw new DomainError('booking-refunded', `Booking ${b.id} has been refunded.`, { bookingStatus: 'refunded' });
    case 'released':
      throw new DomainError('booking-released', `Booking ${b.id} was released by its buyer; hold the seats again.`, {
        bookingStatus: 'released',
      });
    case 'cancelled':
      throw new DomainError('event-cancelled', `Booking ${b.id} was cancelled with its event.`, { bookingStatus: 'cancelled' });
    case 'expired':
    case 'held':
    case 'payment_pending':
      if (!isLiveHold(b, nowMs))
        throw new DomainError('hold-expired', `The hold on booking ${b.id} has lapsed; hold the seats again.`, {
          bookingStatus: 'expired',
        });
      return;
    default: {
      const _: never = b.phase;
      return _;
    }
  }
};

/**
 * Checkout is only for a live hold. A lapsed hold is `hold-expired` even when its
 * seats are still free: the buyer holds again (a payment that still arrives late
 * is confirmed if the seats are free, see RecordPaymentSucceeded).
 */
export const decideCheckout = (c: StartCheckout, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  const nowMs = decisionTime(s, timeMs('now', c.now));
  const b = ownBooking(s, c.bookingId, c.userId);
  if (b.checkout?.paymentId === c.paymentId) return [];
  requireNotCancelled(s);
  requireCheckoutable(b, nowMs);
  if (c.provider !== 'stripe' && c.provider !== 'local') {
    throw bad('provider must be "stripe" or "local".', { field: 'provider' });
  }
  requireId('paymentId', c.paymentId);
  requireText('url', c.url, 2000);
  timeMs('expiresAt', c.expiresAt);
  return [
    {
      type: 'CheckoutStarted',
      data: {
        eventId: s.event.eventId,
        bookingId: b.id,
        provider: c.provider,
        paymentId: c.paymentId,
        url: c.url,
        expiresAt: c.expiresAt,
        startedAt: c.now,
      },
    },
  ];
};
