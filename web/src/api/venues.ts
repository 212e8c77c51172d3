import { api, ok } from './client.js';

export type { Venue } from './types.js';

const loadVenue = async (id: string) => ok(api.GET('/venues/{id}', { params: { path: { id } } }));

const cache = new Map<string, ReturnType<typeof loadVenue>>();

/** A venue (public, rarely changes): fetched once per page load. */
export const venue = (id: string): ReturnType<typeof loadVenue> => {
  let v = cache.get(id);
  if (!v) {
    v = loadVenue(id);
    v.catch(() => cache.delete(id));
    cache.set(id, v);
  }
  return v;
};

/** The time zones of the venues of some events, by venue id (unknown venues are left out). */
export const zonesOf = async (venueIds: readonly string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(venueIds)];
  const found = await Promise.all(unique.map((id) => venue(id).then((v) => [id, v.timezone] as const, () => undefined)));
  return new Map(found.filter((x): x is readonly [string, string] => x !== undefined));
};


const eventZones = new Map<string, Promise<string | undefined>>();

/** The time zone of an event's venue (for lists that carry only the event id). */
export const zoneOfEvent = (eventId: string): Promise<string | undefined> => {
  let z = eventZones.get(eventId);
  if (!z) {
    z = ok(api.GET('/events/{id}', { params: { path: { id: eventId } } }))
      .then((e) => venue(e.venue.id))
      .then((v) => v.timezone, () => undefined);
    eventZones.set(eventId, z);
  }
  return z;
};
