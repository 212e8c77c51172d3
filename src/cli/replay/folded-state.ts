import type { EventShape, RecordedEvent } from '../../commands/event-store/index.js';
import { fold } from '../../domain/shared/index.js';
import { eventSummary, isTicketedEventEvent, seatStatus, standingAvailable, ticketedEvent } from '../../domain/ticketed-event/index.js';
import type { EventSummary, TicketedEventState } from '../../domain/ticketed-event/index.js';
import type { Layout, VenueState } from '../../domain/venue/index.js';
import { isVenueEvent, layoutCapacity, seatId, venue } from '../../domain/venue/index.js';

export type SeatMapSection =
  | {
      readonly id: string;
      readonly name: string;
      readonly kind: 'seated';
      readonly price?: number;
      readonly rows: readonly { readonly label: string; readonly seats: string }[];
    }
  | {
      readonly id: string;
      readonly name: string;
      readonly kind: 'standing';
      readonly price?: number;
      readonly capacity: number;
      readonly available: number;
    };

/** What a stream amounted to at a moment, for `replay --until`. */
export type FoldedState =
  | { readonly kind: 'event'; readonly summary: EventSummary; readonly seatMap: readonly SeatMapSection[] }
  | { readonly kind: 'venue'; readonly venue: VenueState; readonly capacity?: number }
  | { readonly kind: 'unknown' };

const seatMapOf = (state: TicketedEventState, now: string): SeatMapSection[] => {
  if (state.status !== 'scheduled') return [];
  const { layout, sectionPrices } = state.event;
  return layout.sections.map((section): SeatMapSection => {
    const price = sectionPrices[section.id];
    switch (section.kind) {
      case 'seated':
        return {
          id: section.id,
          name: section.name,
          kind: 'seated',
          ...(price === undefined ? {} : { price }),
          rows: section.rows.map((row) => {
            let seats = '';
            for (let n = 1; n <= row.seats; n++) seats += seatStatus(state, seatId(section.id, row.label, n), now);
            return { label: row.label, seats };
          }),
        };
      case 'standing':
        return {
          id: section.id,
          name: section.name,
          kind: 'standing',
          ...(price === undefined ? {} : { price }),
          capacity: section.capacity,
          available: standingAvailable(state, section.id, now),
        };
      default: {
        const _: never = section;
        return _;
      }
    }
  });
};

/** Folds a stream's events with its decider; `now` decides which holds had lapsed. */
export const foldStream = (stream: string, events: readonly RecordedEvent<EventShape>[], now: string): FoldedState => {
  if (stream.startsWith('event-')) {
    const state = fold(ticketedEvent.evolve, ticketedEvent.initialState, events.filter(isTicketedEventEvent));
    return { kind: 'event', summary: eventSummary(state, now), seatMap: seatMapOf(state, now) };
  }
  if (stream.startsWith('venue-')) {
    const state = fold(venue.evolve, venue.initialState, events.filter(isVenueEvent));
    return state.status === 'registered'
      ? { kind: 'venue', venue: state, capacity: layoutCapacity(state.layout) }
      : { kind: 'venue', venue: state };
  }
  return { kind: 'unknown' };
};

const layoutLines = (layout: Layout): string[] =>
  layout.sections.map((s) =>
    s.kind === 'seated'
      ? `  ${s.id}  ${s.name}: ${s.rows.length} rows (${s.rows.map((r) => `${r.label}:${r.seats}`).join(' ')})`
      : `  ${s.id}  ${s.name}: standing, capacity ${s.capacity}`,
  );

/** The folded state as text for people: summary figures, then the seat map one row per line. */
export const renderFoldedState = (state: FoldedState): string[] => {
  switch (state.kind) {
    case 'event': {
      const s = state.summary;
      if (!s.scheduled) return ['not scheduled yet'];
      const lines = [
        `${s.name ?? s.eventId ?? 'event'}${s.cancelled ? ' (cancelled)' : ''}`,
        `capacity ${s.capacity}  sold ${s.sold}  held ${s.held}  available ${s.available}  revenue ${s.revenue}${s.currency ? ` ${s.currency}` : ''}  bookings ${s.bookings}  checked in ${s.checkedIn}`,
        '',
        'Seat map (A available, H held, S sold):',
      ];
      for (const section of state.seatMap) {
        const price = section.price === undefined ? '' : `, price ${section.price}`;
        if (section.kind === 'standing') {
          lines.push(`  ${section.id}  ${section.name} (standing${price}): ${section.available} of ${section.capacity} available`);
          continue;
        }
        lines.push(`  ${section.id}  ${section.name}${price ? ` (${price.slice(2)})` : ''}`);
        const width = Math.max(...section.rows.map((r) => r.label.length));
        for (const row of section.rows) lines.push(`    ${row.label.padStart(width)}  ${row.seats}`);
      }
      return lines;
    }
    case 'venue': {
      const v = state.venue;
      if (v.status !== 'registered') return ['not registered yet'];
      const d = v.details;
      return [
        `${d.name}, ${d.address}, ${d.city}, ${d.country} (${d.location.lat}, ${d.location.lng}, ${d.timezone})`,
        `capacity ${state.capacity ?? 0}`,
        'Layout:',
        ...layoutLines(v.layout),
      ];
    }
    case 'unknown':
      return ['(no folded view for this kind of stream: only event-* and venue-* streams are folded)'];
    default: {
      const _: never = state;
      return _;
    }
  }
};
