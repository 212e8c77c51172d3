import type { GeoPoint, Layout } from './layout.js';

/**
 * Domain events: past-tense facts, self-describing enough that an analyst can
 * replay a stream without this code. Times are ISO 8601 UTC strings, money is
 * an integer in minor units.
 */

export type VenueDetails = {
  readonly name: string;
  readonly address: string;
  readonly city: string;
  readonly country: string;
  readonly location: GeoPoint;
  readonly timezone: string;
};

export type VenueRegistered = {
  readonly type: 'VenueRegistered';
  readonly data: VenueDetails & { readonly venueId: string; readonly layout: Layout; readonly registeredBy: string };
};

export type VenueUpdated = {
  readonly type: 'VenueUpdated';
  readonly data: { readonly venueId: string; readonly changes: Partial<VenueDetails> };
};

export type VenueEvent = VenueRegistered | VenueUpdated;

export const venueStream = (venueId: string): string => `venue-${venueId}`;

// A record, not a list, so the compiler insists on every type of the union.
const VENUE_EVENT_TYPES: Readonly<Record<VenueEvent['type'], true>> = { VenueRegistered: true, VenueUpdated: true };

export const isVenueEventType = (type: string): type is VenueEvent['type'] => Object.hasOwn(VENUE_EVENT_TYPES, type);

/** Narrows an event (recorded or not) to a venue stream's events. */
export const isVenueEvent = <T extends { readonly type: string }>(e: T): e is T & VenueEvent => isVenueEventType(e.type);
