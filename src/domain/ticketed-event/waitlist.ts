import { DomainError, fold, isoAt, pget, requireId, timeMs } from '../shared/index.js';
import type { StandingRequest } from '../venue/index.js';
import type { TicketedEventEvent, WaitlistOfferLapsed } from './events.js';
import { requireScheduled } from './catalogue.js';
import { pickBest } from './free-seats.js';
import { inOrder } from './hold-expiries.js';
import { decisionTime, evolveTicketedEvent, isLiveHold, standingFree, userTicketCount } from './state.js';
import type { JoinWaitlist, LeaveWaitlist, ScheduledState, TicketedEventCommand, TicketedEventState, WaitlistEntry } from './types.js';
import { offerEntry } from './waitlist-state.js';

/**
 * The waitlist, decided by the event's writer like holds: seats that free up go
 * to waiting entries in joining order before best available (or a named hold)
 * can take them, because the offer is made in the same decision that frees them.
 */

const requireSelling = (s: ScheduledState, nowMs: number): void => {
  if (s.cancelled) throw new DomainError('not-on-sale', `Event ${s.event.eventId} has been cancelled.`);
  if (nowMs < Date.parse(s.event.onSaleAt)) {
    throw new DomainError('not-on-sale', `Tickets go on sale at ${s.event.onSaleAt}.`, { onSaleAt: s.event.onSaleAt });
  }
};

/** The user's waiting or offered entry. */
export const activeEntry = (s: ScheduledState, userId: string): WaitlistEntry | undefined => {
  const id = pget(s.waitlist.active, userId);
  return id === undefined ? undefined : pget(s.waitlist.entries, id);
};

/** Joining again while waiting or offered changes nothing (the caller answers with the same entry). */
export const decideJoinWaitlist = (c: JoinWaitlist, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  const nowMs = decisionTime(s, timeMs('now', c.now));
  requireId('userId', c.userId);
  if (activeEntry(s, c.userId) !== undefined) return [];
  requireSelling(s, nowMs);
  requireId('entryId', c.entryId);
  requireId('offerBookingId', c.offerBookingId);
  if (pget(s.waitlist.entries, c.entryId) !== undefined || pget(s.bookings, c.offerBookingId) !== undefined) {
    throw new DomainError('already-exists', 'That waitlist entry or booking already exists.');
  }
  const max = s.event.maxTicketsPerUser;
  if (!Number.isInteger(c.quantity) || c.quantity < 1 || c.quantity > max) {
    throw new DomainError('invalid-input', `quantity must be a whole number from 1 to ${max}.`, { field: 'quantity' });
  }
  if (c.sectionId !== undefined && !s.index.sections.has(c.sectionId)) {
    throw new DomainError('unknown-seats', `Not in this event's layout: ${c.sectionId}.`, { unknown: [c.sectionId] });
  }
  if (c.maxPrice !== undefined && (!Number.isInteger(c.maxPrice) || c.maxPrice < 0)) {
    throw new DomainError('invalid-input', 'maxPrice must be a whole number of minor units.', { field: 'maxPrice' });
  }
  return [
    {
      type: 'WaitlistJoined',
      data: {
        eventId: s.event.eventId,
        entryId: c.entryId,
        userId: c.userId,
        quantity: c.quantity,
        ...(c.sectionId === undefined ? {} : { sectionId: c.sectionId }),
        ...(c.maxPrice === undefined ? {} : { maxPrice: c.maxPrice }),
        offerBookingId: c.offerBookingId,
        joinedAt: isoAt(nowMs),
      },
    },
  ];
};

/** Leaving lets go of an offer's live hold too; leaving with no entry changes nothing. */
export const decideLeaveWaitlist = (c: LeaveWaitlist, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  const nowMs = decisionTime(s, timeMs('now', c.now));
  const entry = activeEntry(s, c.userId);
  if (entry === undefined) return [];
  const eventId = s.event.eventId;
  const events: TicketedEventEvent[] = [];
  const offer = entry.status === 'offered' ? pget(s.bookings, entry.offerBookingId) : undefined;
  if (offer !== undefined && isLiveHold(offer, nowMs)) {
    events.push({
      type: 'HoldReleased',
      data: { eventId, bookingId: offer.id, reason: 'cancelled', seats: offer.seats, standing: offer.standing, releasedAt: c.now },
    });
  }
  events.push({ type: 'WaitlistLeft', data: { eventId, entryId: entry.id, userId: entry.userId, leftAt: c.now } });
  return events;
};

const priceOf = (s: ScheduledState, sectionId: string): number => s.event.sectionPrices[sectionId] ?? 0;

/** What an entry would be offered now: the best block together, else the best single seats, else standing places. */
const offerFor = (s: ScheduledState, entry: WaitlistEntry, nowMs: number): { seats: string[]; standing: StandingRequest[] } | undefined => {
  const q = entry.quantity;
  const fits = (sectionId: string) => entry.maxPrice === undefined || priceOf(s, sectionId) <= entry.maxPrice;
  const section = entry.sectionId === undefined ? undefined : s.index.sections.get(entry.sectionId);
  if (section === undefined || section.kind === 'seated') {
    const request = { quantity: q, sectionId: entry.sectionId, maxPrice: entry.maxPrice };
    const seats =
      pickBest(s.freeSeats, s.event.sectionPrices, { ...request, together: true }) ??
      pickBest(s.freeSeats, s.event.sectionPrices, { ...request, together: false });
    if (seats !== undefined) return { seats, standing: [] };
    if (section !== undefined) return undefined;
  }
  for (const [sectionId, inv] of Object.entries(s.standing)) {
    if ((section === undefined || section.id === sectionId) && fits(sectionId) && standingFree(inv, nowMs) >= q) {
      return { seats: [], standing: [{ sectionId, quantity: q }] };
    }
  }
  return undefined;
};

const anythingFree = (s: ScheduledState, nowMs: number): boolean =>
  s.freeSeats.free > 0 || Object.values(s.standing).some((inv) => standingFree(inv, nowMs) > 0);

/**
 * Offers to waiting entries, in joining order, whatever is free now. An entry
 * nothing fits (too many seats, a section still full, over the buyer's ticket
 * limit) keeps its place and the next one is tried.
 */
const makeOffers = (start: ScheduledState, now: string, nowMs: number): TicketedEventEvent[] => {
  let s = start;
  const events: TicketedEventEvent[] = [];
  const eventId = s.event.eventId;
  for (const { id } of inOrder(start.waitlist.waiting)) {
    if (!anythingFree(s, nowMs)) break;
    const entry = pget(s.waitlist.entries, id);
    if (entry === undefined || entry.status !== 'waiting') continue;
    if (userTicketCount(s, entry.userId, nowMs) + entry.quantity > s.event.maxTicketsPerUser) continue;
    const offer = offerFor(s, entry, nowMs);
    if (offer === undefined) continue;
    const amount =
      offer.seats.reduce((n, seat) => n + priceOf(s, seat.slice(0, seat.indexOf('-'))), 0) +
      offer.standing.reduce((n, r) => n + priceOf(s, r.sectionId) * r.quantity, 0);
    const expiresAt = isoAt(nowMs + s.event.holdSeconds * 1000);
    const bookingId = entry.offerBookingId;
    const made: TicketedEventEvent[] = [
      {
        type: 'SeatsHeld',
        data: {
          eventId,
          bookingId,
          userId: entry.userId,
          seats: offer.seats,
          standing: offer.standing,
          amount,
          currency: s.event.currency,
          heldAt: now,
          expiresAt,
        },
      },
      {
        type: 'WaitlistOffered',
        data: { eventId, entryId: entry.id, userId: entry.userId, bookingId, ...offer, offeredAt: now, expiresAt },
      },
    ];
    s = fold(evolveTicketedEvent, s, made) as ScheduledState;
    events.push(...made);
  }
  return events;
};

/** Events after which seats or places may have freed up, or a new entry may be served. */
const MAY_FREE: ReadonlySet<string> = new Set(['HoldReleased', 'RefundRequested', 'RefundIssued', 'WaitlistJoined']);

/**
 * Runs after every command of the event's decider: an offer whose hold ended
 * unpaid is recorded as lapsed, and whatever the command freed is offered to
 * the waitlist, all in the same append as the command's own events.
 */
export const withWaitlist = (
  command: TicketedEventCommand,
  state: TicketedEventState,
  events: readonly TicketedEventEvent[],
): readonly TicketedEventEvent[] => {
  if (state.status !== 'scheduled' || (state.waitlist.joined === 0 && !events.some((e) => e.type === 'WaitlistJoined'))) return events;
  if (!events.some((e) => MAY_FREE.has(e.type))) return events;
  const nowMs = decisionTime(state, timeMs('now', command.now));
  const now = isoAt(nowMs);
  let s = fold(evolveTicketedEvent, state, events) as ScheduledState;
  const lapses: WaitlistOfferLapsed[] = [];
  for (const e of events) {
    if (e.type !== 'HoldReleased') continue;
    const entry = offerEntry(s.waitlist, e.data.bookingId);
    if (entry?.status !== 'offered') continue;
    lapses.push({
      type: 'WaitlistOfferLapsed',
      data: {
        eventId: s.event.eventId,
        entryId: entry.id,
        userId: entry.userId,
        bookingId: e.data.bookingId,
        reason: e.data.reason,
        lapsedAt: now,
      },
    });
  }
  s = fold(evolveTicketedEvent, s, lapses) as ScheduledState;
  const selling = !s.cancelled && nowMs >= Date.parse(s.event.onSaleAt);
  return [...events, ...lapses, ...(selling ? makeOffers(s, now, nowMs) : [])];
};
