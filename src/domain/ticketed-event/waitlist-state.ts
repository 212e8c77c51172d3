import { emptyPMap, pget, premove, pset } from '../shared/index.js';
import type { BookingConfirmed, WaitlistEvent } from './events.js';
import { addExpiry, inOrder, removeExpiry } from './hold-expiries.js';
import type { Waitlist, WaitlistEntry, WaitlistStatus } from './types.js';

export const emptyWaitlist: Waitlist = {
  entries: emptyPMap(),
  waiting: undefined,
  active: emptyPMap(),
  byBooking: emptyPMap(),
  joined: 0,
};

const settle = (w: Waitlist, entry: WaitlistEntry, status: WaitlistStatus): Waitlist => ({
  ...w,
  entries: pset(w.entries, entry.id, { ...entry, status }),
  waiting: entry.status === 'waiting' ? removeExpiry(w.waiting, entry.seq, entry.id) : w.waiting,
  active:
    status === 'waiting' || status === 'offered' || pget(w.active, entry.userId) !== entry.id ? w.active : premove(w.active, entry.userId),
});

/** The waitlist's part of evolve: entries move waiting -> offered -> fulfilled | expired, or to left. */
export const evolveWaitlist = (w: Waitlist, event: WaitlistEvent | BookingConfirmed): Waitlist => {
  switch (event.type) {
    case 'WaitlistJoined': {
      const d = event.data;
      const seq = w.joined + 1;
      const entry: WaitlistEntry = {
        id: d.entryId,
        userId: d.userId,
        quantity: d.quantity,
        ...(d.sectionId === undefined ? {} : { sectionId: d.sectionId }),
        ...(d.maxPrice === undefined ? {} : { maxPrice: d.maxPrice }),
        offerBookingId: d.offerBookingId,
        joinedAt: d.joinedAt,
        seq,
        status: 'waiting',
      };
      return {
        entries: pset(w.entries, entry.id, entry),
        waiting: addExpiry(w.waiting, seq, entry.id, entry.quantity),
        active: pset(w.active, d.userId, entry.id),
        byBooking: pset(w.byBooking, d.offerBookingId, entry.id),
        joined: seq,
      };
    }
    case 'WaitlistLeft': {
      const entry = pget(w.entries, event.data.entryId);
      return entry === undefined ? w : settle(w, entry, 'left');
    }
    case 'WaitlistOffered': {
      const entry = pget(w.entries, event.data.entryId);
      return entry === undefined ? w : settle(w, entry, 'offered');
    }
    case 'WaitlistOfferLapsed': {
      const entry = pget(w.entries, event.data.entryId);
      return entry === undefined ? w : settle(w, entry, 'expired');
    }
    case 'BookingConfirmed': {
      const id = pget(w.byBooking, event.data.bookingId);
      const entry = id === undefined ? undefined : pget(w.entries, id);
      return entry === undefined ? w : settle(w, entry, 'fulfilled');
    }
    default: {
      const _: never = event;
      return _;
    }
  }
};

/** The entry whose offer is this booking, if any. */
export const offerEntry = (w: Waitlist, bookingId: string): WaitlistEntry | undefined => {
  const id = pget(w.byBooking, bookingId);
  return id === undefined ? undefined : pget(w.entries, id);
};

/** An entry as buyers see it; `position` (from 1) only while waiting, `bookingId` once offered. */
export type WaitlistEntryView = {
  readonly id: string;
  readonly eventId: string;
  readonly userId: string;
  readonly quantity: number;
  readonly sectionId?: string;
  readonly maxPrice?: number;
  readonly status: WaitlistStatus;
  readonly position?: number;
  readonly bookingId?: string;
  readonly createdAt: string;
};

export const waitlistEntryView = (eventId: string, w: Waitlist, entryId: string): WaitlistEntryView | undefined => {
  const e = pget(w.entries, entryId);
  if (e === undefined) return undefined;
  let position: number | undefined;
  if (e.status === 'waiting') {
    position = 0;
    for (const { id } of inOrder(w.waiting)) {
      position++;
      if (id === e.id) break;
    }
  }
  return {
    id: e.id,
    eventId,
    userId: e.userId,
    quantity: e.quantity,
    ...(e.sectionId === undefined ? {} : { sectionId: e.sectionId }),
    ...(e.maxPrice === undefined ? {} : { maxPrice: e.maxPrice }),
    status: e.status,
    ...(position === undefined ? {} : { position }),
    ...(e.status === 'offered' || e.status === 'fulfilled' || e.status === 'expired' ? { bookingId: e.offerBookingId } : {}),
    createdAt: e.joinedAt,
  };
};
