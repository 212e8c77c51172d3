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
