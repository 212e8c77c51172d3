export { catalogueProjection, getEvent, getVenue } from './catalogue.js';
export type { EventItem, EventStatus, Page, Performer } from './catalogue.js';
