import type { Decider } from './decider.js';
import { DomainError } from './errors.js';
import type { VenueDetails, VenueEvent } from './events.js';
import type { Layout, Section } from './layout.js';

const LABEL = /^[A-Za-z0-9]{1,16}$/;
export const MAX_SEATS_PER_ROW = 1000;
export const MAX_STANDING_CAPACITY = 200_000;
export const MAX_SECTIONS = 2_000;
export const MAX_ROWS_PER_SECTION = 1_000;
/** Keeps a layout, and the EventScheduled that copies it, far below a 1 MiB append. */
export const MAX_LAYOUT_CAPACITY = 1_000_000;

export type SeatRef = { readonly sectionId: string; readonly row: string; readonly number: number };

export const seatId = (sectionId: string, row: string, n: number): string => `${sectionId}-${row}-${n}`;

export const parseSeatId = (id: string): SeatRef | undefined => {
  const parts = id.split('-');
  if (parts.length !== 3) return undefined;
  const [sectionId, row, num] = parts as [string, string, string];
  if (!LABEL.test(sectionId) || !LABEL.test(row) || !/^[1-9][0-9]{0,3}$/.test(num)) return undefined;
  return { sectionId, row, number: Number(num) };
};

const invalid = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('invalid-layout', message, details);

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/** Throws DomainError('invalid-layout') naming the first problem found. */
export const validateLayout = (layout: Layout): void => {
  if (layout === null || typeof layout !== 'object' || !Array.isArray(layout.sections)) {
    throw invalid('A layout needs a `sections` array.');
  }
  if (layout.sections.length === 0) throw invalid('A layout needs at least one section.');
  if (layout.sections.length > MAX_SECTIONS) throw invalid(`A layout has at most ${MAX_SECTIONS} sections.`);
  const ids = new Set<string>();
  let total = 0;
  for (const [i, section] of layout.sections.entries()) {
    const where = `sections[${i}]`;
    if (section === null || typeof section !== 'object') throw invalid(`${where} is not a section.`);
    if (typeof section.id !== 'string' || !LABEL.test(section.id)) {
      throw invalid(`${where}: section id ${JSON.stringify(section.id)} must be 1-16 letters or digits.`, { section: section.id });
    }
    if (ids.has(section.id)) throw invalid(`Section id "${section.id}" is used twice.`, { section: section.id });
    ids.add(section.id);
    if (typeof section.name !== 'string' || section.name.trim() === '' || section.name.length > 100) {
      throw invalid(`Section "${section.id}" needs a name of 1-100 characters.`, { section: section.id });
    }
    switch (section.kind) {
      case 'seated': {
        if (!Array.isArray(section.rows) || section.rows.length === 0) {
          throw invalid(`Seated section "${section.id}" needs at least one row.`, { section: section.id });
        }
        if (section.rows.length > MAX_ROWS_PER_SECTION) {
          throw invalid(`Section "${section.id}" has more than ${MAX_ROWS_PER_SECTION} rows.`, { section: section.id });
        }
        const labels = new Set<string>();
        for (const row of section.rows) {
          if (row === null || typeof row !== 'object' || typeof row.label !== 'string' || !LABEL.test(row.label)) {
            throw invalid(`Section "${section.id}": row label ${JSON.stringify(row?.label)} must be 1-16 letters or digits.`, {
              section: section.id,
            });
          }
          if (labels.has(row.label)) {
            throw invalid(`Section "${section.id}" has row "${row.label}" twice.`, { section: section.id, row: row.label });
          }
          labels.add(row.label);
          if (!isInt(row.seats) || row.seats < 1 || row.seats > MAX_SEATS_PER_ROW) {
            throw invalid(`Section "${section.id}" row "${row.label}" needs 1-${MAX_SEATS_PER_ROW} seats.`, {
              section: section.id,
              row: row.label,
            });
          }
          total += row.seats;
        }
        break;
      }
      case 'standing':
        if (!isInt(section.capacity) || section.capacity < 1 || section.capacity > MAX_STANDING_CAPACITY) {
          throw invalid(`Standing section "${section.id}" needs a capacity of 1-${MAX_STANDING_CAPACITY}.`, {
            section: section.id,
          });
        }
        total += section.capacity;
        break;
      default: {
        const kind: unknown = (section as { kind?: unknown }).kind;
        throw invalid(`Section "${(section as Section).id}" has kind ${JSON.stringify(kind)}; expected "seated" or "standing".`);
      }
    }
    if (total > MAX_LAYOUT_CAPACITY) throw invalid(`A layout holds at most ${MAX_LAYOUT_CAPACITY} places.`);
  }
};

export const layoutCapacity = (layout: Layout): number => {
  let total = 0;
  for (const s of layout.sections) {
    if (s.kind === 'standing') total += s.capacity;
    else for (const r of s.rows) total += r.seats;
  }
  return total;
};

export const seatExists = (layout: Layout, id: string): boolean => sectionOf(layout, id) !== undefined;

/** The seated section a seat id belongs to, or undefined when the seat is not in the layout. */
export const sectionOf = (layout: Layout, id: string): Section | undefined => {
  const ref = parseSeatId(id);
  if (ref === undefined) return undefined;
  const section = layout.sections.find((s) => s.id === ref.sectionId);
  if (section === undefined || section.kind !== 'seated') return undefined;
  const row = section.rows.find((r) => r.label === ref.row);
  return row !== undefined && ref.number <= row.seats ? section : undefined;
};

/** A layout indexed for the hot path (one lookup per seat instead of a scan). */
export type LayoutIndex = {
  readonly sections: ReadonlyMap<string, Section>;
  /** `${sectionId}-${rowLabel}` -> seats in the row */
  readonly rows: ReadonlyMap<string, number>;
  readonly capacity: number;
};

export const indexLayout = (layout: Layout): LayoutIndex => {
  const sections = new Map<string, Section>();
  const rows = new Map<string, number>();
  for (const s of layout.sections) {
    sections.set(s.id, s);
    if (s.kind === 'seated') for (const r of s.rows) rows.set(`${s.id}-${r.label}`, r.seats);
  }
  return { sections, rows, capacity: layoutCapacity(layout) };
};

/** The section id of a seat that exists in the indexed layout, else undefined. */
export const indexedSeatSection = (index: LayoutIndex, id: string): string | undefined => {
  const dash = id.lastIndexOf('-');
  if (dash < 0) return undefined;
  const seats = index.rows.get(id.slice(0, dash));
  if (seats === undefined) return undefined;
  const num = id.slice(dash + 1);
  if (!/^[1-9][0-9]{0,3}$/.test(num) || Number(num) > seats) return undefined;
  return id.slice(0, id.indexOf('-'));
};

// Venue details and the venue decider.

const COUNTRY = /^[A-Z]{2}$/;

const isValidTimezone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
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
      return [{ type: 'VenueUpdated', data: { venueId: state.venueId, changes: changes as Partial<VenueDetails> } }];
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
