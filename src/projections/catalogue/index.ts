export { catalogueProjection } from './catalogue.js';
export type { EventItem, EventStatus, EventView, Performer, VenueView } from './catalogue.js';
export { getEvent, getEventItems, getPerformer, getVenue, listEvents, listOrganizerEvents, listOrganizerVenues } from './queries.js';
export type { Page } from './queries.js';
