import type { Decider } from '../shared/index.js';
import { DomainError } from '../shared/index.js';
import type { VenueDetails, VenueEvent } from './events.js';
import type { Layout } from './layout.js';
import { validateLayout } from './layout.js';

const COUNTRY = /^[A-Z]{2}$/;

// Building a DateTimeFormat costs more than the rest of a decision; the zone database does not
// change while the process runs, so each zone's answer is kept (a bulk seed checks the same few).
const zoneChecked = new Map<string, boolean>();
const isValidTimezone = (tz: string): boolean => {
  let valid = zoneChecked.get(tz);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
    if (zoneChecked.size < 10_000) zoneChecked.set(tz, valid);
  }
  return valid;
};

const text = (field: string, value: unknown, max: number): void => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new DomainError('invalid-input', `${field} must be a non-empty text of at most ${max} characters.`, { field });
  }
};

export const validateVenueDetails = (d: VenueDetails): void => {
  text('name', d.name, 200);
  text('address', d.address, 300);
  text('city', d.city, 100);
  if (typeof d.country !== 'string' || !COUNTRY.test(d.country)) {
    throw new DomainError('invalid-input', 'country must be an ISO 3166-1 alpha-2 code such as "GB".', { field: 'country' });
  }
  const loc = d.location;
  if (loc === null || typeof loc !== 'object' || typeof loc.lat !== 'number' || !(loc.lat >= -90 && loc.lat <= 90)) {
    throw new DomainError('invalid-input', 'location.lat must be a number from -90 to 90.', { field: 'location.lat' });
  }
  if (typeof loc.lng !== 'number' || !(loc.lng >= -180 && loc.lng <= 180)) {
    throw new DomainError('invalid-input', 'location.lng must be a number from -180 to 180.', { field: 'location.lng' });
  }
  if (typeof d.timezone !== 'string' || d.timezone === '' || !isValidTimezone(d.timezone)) {
    throw new DomainError('invalid-input', `timezone ${JSON.stringify(d.timezone)} is not an IANA time zone.`, {
      field: 'timezone',
    });
  }
};

export type RegisterVenue = {
  readonly type: 'RegisterVenue';
  readonly venueId: string;
  readonly registeredBy: string;
  readonly details: VenueDetails;
  readonly layout: Layout;
};

export type UpdateVenue = { readonly type: 'UpdateVenue'; readonly changes: Partial<VenueDetails> };

export type VenueCommand = RegisterVenue | UpdateVenue;

export type VenueState =
  | { readonly status: 'none' }
  | {
      readonly status: 'registered';
      readonly venueId: string;
      readonly registeredBy: string;
      readonly details: VenueDetails;
      readonly layout: Layout;
    };

const DETAIL_KEYS = ['name', 'address', 'city', 'country', 'location', 'timezone'] as const;

const pickDetails = (d: VenueDetails): VenueDetails => ({
  name: d.name,
  address: d.address,
  city: d.city,
  country: d.country,
  location: { lat: d.location.lat, lng: d.location.lng },
  timezone: d.timezone,
});

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const decideVenue = (command: VenueCommand, state: VenueState): readonly VenueEvent[] => {
  switch (command.type) {
    case 'RegisterVenue': {
      if (state.status === 'registered') {
        throw new DomainError('already-exists', `Venue ${command.venueId} is already registered.`);
      }
      validateVenueDetails(command.details);
      validateLayout(command.layout);
      return [
        {
          type: 'VenueRegistered',
          data: {
            ...pickDetails(command.details),
            venueId: command.venueId,
            layout: command.layout,
            registeredBy: command.registeredBy,
          },
        },
      ];
    }
    case 'UpdateVenue': {
      if (state.status !== 'registered') throw new DomainError('not-found', 'No such venue.');
      const changes: Record<string, unknown> = {};
      for (const key of DETAIL_KEYS) {
        const value = command.changes[key];
        if (value !== undefined && !sameValue(value, state.details[key])) changes[key] = value;
      }
      if (Object.keys(changes).length === 0) return [];
      validateVenueDetails({ ...state.details, ...changes });
      return [{ type: 'VenueUpdated', data: { venueId: state.venueId, changes: changes } }];
    }
    default: {
      const _: never = command;
      return _;
    }
  }
};

const evolveVenue = (state: VenueState, event: VenueEvent): VenueState => {
  switch (event.type) {
    case 'VenueRegistered': {
      const { venueId, layout, registeredBy, ...details } = event.data;
      return { status: 'registered', venueId, registeredBy, layout, details };
    }
    case 'VenueUpdated':
      return state.status === 'registered' ? { ...state, details: { ...state.details, ...event.data.changes } } : state;
    default: {
      const _: never = event;
      return _;
    }
  }
};

/** The decider of stream `venue-<venueId>`. */
export const venue: Decider<VenueCommand, VenueEvent, VenueState> = {
  initialState: { status: 'none' },
  decide: decideVenue,
  evolve: evolveVenue,
};
