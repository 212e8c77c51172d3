import { type Layout, type VenueDetails } from '../../domain/venue/index.js';
import type { Queryable } from '../projector/index.js';
import type { CatalogueSection, EventItem, EventStatus, EventView, Performer, VenueView, WaitingRoomSettings } from './catalogue.js';

/** The catalogue read model's queries: events, venues, performers, browse by start time. */

type EventRow = {
  event_id: string;
  organizer_id: string;
  name: string;
  description: string;
  category: string;
  performers: Performer[];
  starts_at: Date;
  on_sale_at: Date;
  currency: string;
  venue: VenueDetails & { id: string };
  sections: CatalogueSection[];
  price_from: string;
  capacity: number;
  held: number;
  sold: number;
  status: EventStatus;
  cancelled_at: Date | null;
  hold_seconds: number;
  max_tickets_per_user: number;
  waiting_room: WaitingRoomSettings;
  version: number;
};

const toItem = (r: EventRow): EventItem => ({
  id: r.event_id,
  name: r.name,
  category: r.category,
  performers: r.performers,
  startsAt: r.starts_at.toISOString(),
  venue: { id: r.venue.id, name: r.venue.name, city: r.venue.city, location: r.venue.location },
  priceFrom: Number(r.price_from),
  currency: r.currency,
  available: Math.max(0, r.capacity - r.held - r.sold),
  capacity: r.capacity,
  status: r.status,
});

/** GET /events/:id; undefined when unknown. */
export const getEvent = async (db: Queryable, eventId: string): Promise<EventView | undefined> => {
  const r = await db.query<EventRow>('SELECT * FROM catalogue_events WHERE event_id = $1', [eventId]);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    ...toItem(row),
    venue: {
      id: row.venue.id,
      name: row.venue.name,
      city: row.venue.city,
      location: row.venue.location,
      address: row.venue.address,
      country: row.venue.country,
      timezone: row.venue.timezone,
    },
    description: row.description,
    sections: row.sections,
    holdSeconds: row.hold_seconds,
    maxTicketsPerUser: row.max_tickets_per_user,
    onSaleAt: row.on_sale_at.toISOString(),
    waitingRoom: row.waiting_room,
    organizerId: row.organizer_id,
    ...(row.cancelled_at ? { cancelledAt: row.cancelled_at.toISOString() } : {}),
    version: row.version,
  };
};

/** Several events at once (e.g. to decorate search hits), in the order of `ids`; unknown ids are left out. */
export const getEventItems = async (db: Queryable, ids: readonly string[]): Promise<EventItem[]> => {
  if (ids.length === 0) return [];
  const r = await db.query<EventRow>('SELECT * FROM catalogue_events WHERE event_id = ANY($1::text[])', [ids]);
  const byId = new Map(r.rows.map((row) => [row.event_id, toItem(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
};

/** GET /venues/:id; undefined when unknown. */
export const getVenue = async (db: Queryable, venueId: string): Promise<VenueView | undefined> => {
  const r = await db.query<{ details: VenueDetails; layout: Layout; capacity: number }>(
    'SELECT details, layout, capacity FROM catalogue_venues WHERE venue_id = $1',
    [venueId],
  );
  const row = r.rows[0];
  return row ? { id: venueId, ...row.details, layout: row.layout, capacity: row.capacity } : undefined;
};

/** GET /performers/:id: the performer and their events starting after `now`, soonest first; undefined when unknown. */
export const getPerformer = async (
  db: Queryable,
  id: string,
  now: Date,
  limit = 100,
): Promise<(Performer & { readonly upcoming: readonly EventItem[] }) | undefined> => {
  const any = await db.query<{ performers: Performer[] }>(
    'SELECT performers FROM catalogue_events WHERE performer_ids @> ARRAY[$1]::text[] LIMIT 1',
    [id],
  );
  const name = any.rows[0]?.performers.find((p) => p.id === id)?.name;
  if (name === undefined) return undefined;
  const r = await db.query<EventRow>(
    `SELECT * FROM catalogue_events WHERE performer_ids @> ARRAY[$1]::text[] AND starts_at > $2 ORDER BY starts_at, event_id LIMIT $3`,
    [id, now, limit],
  );
  return { id, name, upcoming: r.rows.map(toItem) };
};

export type Page<T> = { readonly items: readonly T[]; readonly page: number; readonly pageSize: number; readonly total: number };

/** Browse without a location (by start time); the search read model handles `near` and `q`. */
export const listEvents = async (
  db: Queryable,
  filter: { from?: Date; to?: Date; category?: string; performer?: string; venue?: string; organizer?: string },
  page: number,
  pageSize: number,
): Promise<Page<EventItem>> => {
  const where = `($1::timestamptz IS NULL OR starts_at >= $1) AND ($2::timestamptz IS NULL OR starts_at <= $2)
    AND ($3::text IS NULL OR category = $3) AND ($4::text IS NULL OR performer_ids @> ARRAY[$4]::text[])
    AND ($5::text IS NULL OR venue_id = $5) AND ($6::text IS NULL OR organizer_id = $6)`;
  const params = [
    filter.from ?? null,
    filter.to ?? null,
    filter.category ?? null,
    filter.performer ?? null,
    filter.venue ?? null,
    filter.organizer ?? null,
  ];
  // One query after the other: `db` may be a single client.
  const rows = await db.query<EventRow>(`SELECT * FROM catalogue_events WHERE ${where} ORDER BY starts_at, event_id LIMIT $7 OFFSET $8`, [
    ...params,
    pageSize,
    (page - 1) * pageSize,
  ]);
  const count = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM catalogue_events WHERE ${where}`, params);
  return { items: rows.rows.map(toItem), page, pageSize, total: Number(count.rows[0]?.n ?? 0) };
};

/** An organizer's events, all of them: upcoming soonest first, then past ones latest first. */
export const listOrganizerEvents = async (
  db: Queryable,
  organizerId: string,
  now: Date,
  page: number,
  pageSize: number,
): Promise<Page<EventItem>> => {
  const rows = await db.query<EventRow>(
    `SELECT * FROM catalogue_events WHERE organizer_id = $1
     ORDER BY starts_at < $2, CASE WHEN starts_at >= $2 THEN starts_at END, starts_at DESC, event_id
     LIMIT $3 OFFSET $4`,
    [organizerId, now, pageSize, (page - 1) * pageSize],
  );
  const count = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM catalogue_events WHERE organizer_id = $1', [organizerId]);
  return { items: rows.rows.map(toItem), page, pageSize, total: Number(count.rows[0]?.n ?? 0) };
};

/** The venues an organizer registered, by name. */
export const listOrganizerVenues = async (db: Queryable, organizerId: string, page: number, pageSize: number): Promise<Page<VenueView>> => {
  const rows = await db.query<{ venue_id: string; details: VenueDetails; layout: Layout; capacity: number }>(
    `SELECT venue_id, details, layout, capacity FROM catalogue_venues WHERE registered_by = $1
     ORDER BY details->>'name', venue_id LIMIT $2 OFFSET $3`,
    [organizerId, pageSize, (page - 1) * pageSize],
  );
  const count = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM catalogue_venues WHERE registered_by = $1', [organizerId]);
  return {
    items: rows.rows.map((r) => ({ id: r.venue_id, ...r.details, layout: r.layout, capacity: r.capacity })),
    page,
    pageSize,
    total: Number(count.rows[0]?.n ?? 0),
  };
};
