import { isTicketedEventType, type TicketedEventEvent } from '../ticketed-event/index.js';
import { isVenueEventType, type VenueEvent } from '../venue/index.js';

/** Every fact the system records, as the event store's adapters hand it to readers. */
export type DomainEvent = VenueEvent | TicketedEventEvent;
export type DomainEventType = DomainEvent['type'];

/** The streams a projection of the whole domain follows. */
export const STREAM_PREFIXES = ['venue-', 'event-'] as const;

export const isDomainEventType = (type: string): type is DomainEventType => isVenueEventType(type) || isTicketedEventType(type);
