import type { Ticketing } from '../../commands/ticketing/index.js';
import { eventSummary } from '../../domain/ticketed-event/index.js';
import { DomainError } from '../../domain/shared/index.js';
import type { EventDetail, TicketingPort } from '../http/index.js';
import { eventDetailFromState, venueViewFromState } from './views.js';

/** The command side in the routes' terms; every answer comes from the writer's state (read-your-writes). */
export const ticketingPort = (ticketing: Ticketing, now: () => Date): TicketingPort => {
  const detail = (state: Parameters<typeof eventDetailFromState>[0], eventId: string): EventDetail => {
    const d = eventDetailFromState(state, now().toISOString());
    if (!d) throw new DomainError('not-found', `Event ${eventId} does not exist.`);
    return d;
  };
  return {
    async registerVenue(input, organizerId) {
      const { layout, ...details } = input;
      const r = await ticketing.registerVenue({ registeredBy: organizerId, details, layout }, { userId: organizerId });
      return venueViewFromState(r.venue)!;
    },
    async getVenue(venueId) {
      const r = await ticketing.getVenue(venueId);
      return r ? venueViewFromState(r.venue) : undefined;
    },
    async scheduleEvent(input, organizerId) {
      const r = await ticketing.scheduleEvent({ ...input, organizerId }, { userId: organizerId });
      return detail(r.state, r.eventId);
    },
    async changeEventDetails(eventId, changes) {
      return detail((await ticketing.changeEventDetails(eventId, changes)).state, eventId);
    },
    async cancelEvent(eventId, reason) {
      return detail((await ticketing.cancelEvent(eventId, reason)).state, eventId);
    },
    async getEvent(eventId) {
      const { state } = await ticketing.eventState(eventId, { refresh: true });
      return eventDetailFromState(state, now().toISOString());
    },
    async getSales(eventId) {
      const { state } = await ticketing.eventState(eventId, { refresh: true });
      const s = eventSummary(state, now().toISOString());
      if (!s.scheduled) return undefined;
      return { sold: s.sold, held: s.held, available: s.available, revenue: s.revenue, currency: s.currency ?? '' };
    },
    async hold(input) {
      const r = await ticketing.hold(
        input.eventId,
        {
          userId: input.userId,
          seats: input.seats,
          standing: input.standing,
          ...(input.best !== undefined ? { best: input.best } : {}),
          ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
        },
        { userId: input.userId },
      );
      return r.booking;
    },
    async release(eventId, bookingId, userId) {
      return (await ticketing.release(eventId, bookingId, userId, { userId })).booking;
    },
    getBooking: (eventId, bookingId) => ticketing.getBooking(eventId, bookingId),
  };
};
