export { isVenueEvent, isVenueEventType, venueStream } from './events.js';
export type { VenueDetails, VenueEvent, VenueRegistered } from './events.js';
export { indexLayout, indexedSeatSection, layoutCapacity, parseSeatId, seatId, validateLayout } from './layout.js';
export type { GeoPoint, Layout, LayoutIndex, Section, StandingRequest } from './layout.js';
export { validateVenueDetails, venue } from './venue.js';
export type { VenueState } from './venue.js';
