import { pget } from '../shared/index.js';
import type { TicketedEventEvent } from './events.js';
import { totalQuantity } from './hold-expiries.js';
import type { ScheduledState, SeatStatus, StandingInventory, TicketedEventState } from './types.js';

/**
 * The seat map as the writer's state shows it, in the terms of the seat-map read model: a seat is H while a
 * booking that has not been released holds it and S once that booking is confirmed (a hold past its deadline
 * stays H until its release is recorded), and a standing section's places are its capacity less the
 * unreleased holds and the sold places. The same events give the same map on both sides, so a map built
 * here and one read from the projection at the same stream version are equal.
 */

export type SeatMapViewSection =
  | {
      readonly id: string;
      readonly name: string;
      readonly kind: 'seated';
      readonly price: number;
      readonly rows: readonly { readonly label: string; readonly seats: string }[];
    }
  | {
      readonly id: string;
      readonly name: string;
      readonly kind: 'standing';
      readonly price: number;
      readonly capacity: number;
      readonly available: number;
    };

export type SeatMapView = {
  readonly eventId: string;
  readonly version: number;
  readonly currency: string;
  readonly sections: readonly SeatMapViewSection[];
};

/** What one step of the stream changed on the map: the seats' new statuses and the standing sections' places. */
export type SeatMapChanges = {
  readonly changes: Readonly<Record<string, SeatStatus>>;
  readonly standing: Readonly<Record<string, number>>;
};

const seatChar = (s: ScheduledState, seat: string): SeatStatus => {
  const owner = pget(s.seatOwners, seat);
  if (owner === undefined) return 'A';
  return pget(s.bookings, owner)?.phase === 'confirmed' ? 'S' : 'H';
};

const placesLeft = (inv: StandingInventory): number => Math.max(0, inv.capacity - inv.sold - totalQuantity(inv.holds));

/** The whole map at `version`; undefined until the event is scheduled. */
export const seatMapView = (state: TicketedEventState, version: number): SeatMapView | undefined => {
  if (state.status !== 'scheduled') return undefined;
  const { event } = state;
  return {
    eventId: event.eventId,
    version,
    currency: event.currency,
    sections: event.layout.sections.map((section): SeatMapViewSection => {
      const price = event.sectionPrices[section.id] ?? 0;
      if (section.kind === 'standing') {
        const inv = state.standing[section.id];
        const available = inv === undefined ? section.capacity : placesLeft(inv);
        return { id: section.id, name: section.name, kind: 'standing', price, capacity: section.capacity, available };
      }
      const rows = section.rows.map((row) => {
        let seats = '';
        for (let n = 1; n <= row.seats; n++) seats += seatChar(state, `${section.id}-${row.label}-${n}`);
        return { label: row.label, seats };
      });
      return { id: section.id, name: section.name, kind: 'seated', price, rows };
    }),
  };
};

/**
 * What `events` (appended after `before`, giving `after`) changed: every seat of a booking they name, with its
 * status in `after`, and every standing section whose free places moved. Empty when nothing on the map moved.
 */
export const seatMapChanges = (
  before: TicketedEventState,
  after: TicketedEventState,
  events: readonly TicketedEventEvent[],
): SeatMapChanges => {
  const changes: Record<string, SeatStatus> = {};
  const standing: Record<string, number> = {};
  if (after.status !== 'scheduled') return { changes, standing };
  for (const e of events) {
    const bookingId = 'bookingId' in e.data ? e.data.bookingId : undefined;
    const booking = bookingId === undefined ? undefined : pget(after.bookings, bookingId);
    if (booking === undefined) continue;
    for (const seat of booking.seats) changes[seat] = seatChar(after, seat);
  }
  for (const [sectionId, inv] of Object.entries(after.standing)) {
    const was = before.status === 'scheduled' ? before.standing[sectionId] : undefined;
    if (was === inv) continue;
    const left = placesLeft(inv);
    if (was === undefined || placesLeft(was) !== left) standing[sectionId] = left;
  }
  return { changes, standing };
};
