import { performerId } from '../../domain/shared/index.js';
import { eventSummary } from '../../domain/ticketed-event/index.js';
import type { ScheduledState, TicketedEventState } from '../../domain/ticketed-event/index.js';
import { layoutCapacity } from '../../domain/venue/index.js';
import type { Layout, VenueState } from '../../domain/venue/index.js';
import type { EventDetail, VenueView } from '../http/index.js';

/** The catalogue status (as the catalogue read model has it): availability and dates are separate fields. */
export const eventStatusOf = (cancelled: boolean): 'scheduled' | 'cancelled' => (cancelled ? 'cancelled' : 'scheduled');

export const sectionsWithPrices = (layout: Layout, prices: Readonly<Record<string, number>>) =>
  layout.sections.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    price: prices[s.id] ?? 0,
    capacity: s.kind === 'standing' ? s.capacity : s.rows.reduce((n, r) => n + r.seats, 0),
  }));

/** GET /events/:id as the event's writer sees it (read-your-writes after a command). */
export const eventDetailFromState = (state: TicketedEventState, now: string): EventDetail | undefined => {
  if (state.status !== 'scheduled') return undefined;
  return eventDetail(state, now);
};

const eventDetail = (state: ScheduledState, now: string): EventDetail => {
  const e = state.event;
  const summary = eventSummary(state, now);
  const prices = Object.values(e.sectionPrices);
  return {
    id: e.eventId,
    organizerId: e.organizerId,
    name: e.name,
    category: e.category,
    performers: e.performers.map((name) => ({ id: performerId(name), name })),
    startsAt: e.startsAt,
    venue: { id: e.venue.id, name: e.venue.name, city: e.venue.city, location: { lat: e.venue.location.lat, lng: e.venue.location.lng } },
    priceFrom: prices.length > 0 ? Math.min(...prices) : null,
    currency: e.currency,
    available: summary.available,
    capacity: summary.capacity,
    status: eventStatusOf(state.cancelled),
    ...(e.production === undefined ? {} : { production: { id: performerId(e.production), name: e.production } }),
    description: e.description,
    sections: sectionsWithPrices(e.layout, e.sectionPrices),
    holdSeconds: e.holdSeconds,
    maxTicketsPerUser: e.maxTicketsPerUser,
    onSaleAt: e.onSaleAt,
    waitingRoom: state.waitingRoom.enabled
      ? {
          enabled: true,
          opensAt: state.waitingRoom.opensAt,
          admitPerMinute: state.waitingRoom.admitPerMinute,
          accessSeconds: state.waitingRoom.accessSeconds,
        }
      : { enabled: false },
  };
};

export const venueViewFromState = (state: VenueState): VenueView | undefined =>
  state.status === 'registered'
    ? { id: state.venueId, ...state.details, layout: state.layout, capacity: layoutCapacity(state.layout) }
    : undefined;
