import type pg from 'pg';
import type { RecordedEvent } from '../../commands/event-store/index.js';
import { layoutCapacity, type GeoPoint, type Layout, type VenueDetails } from '../../domain/venue/index.js';
import { performerId } from '../../domain/shared/index.js';
import { applyBatchToLedger, ledgerTableSql } from '../booking-ledger/index.js';
import type { EventScheduled } from '../../domain/ticketed-event/index.js';
import type { Projection } from '../projector/index.js';

export type EventStatus = 'scheduled' | 'cancelled';

export type Performer = { readonly id: string; readonly name: string };

/** An item of GET /events and /events/search (without distanceKm, which the search adds). */
export type EventItem = {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly performers: readonly Performer[];
  readonly startsAt: string;
  readonly venue: { readonly id: string; readonly name: string; readonly city: string; readonly location: GeoPoint };
  readonly priceFrom: number;
  readonly currency: string;
  readonly available: number;
  readonly capacity: number;
  readonly status: EventStatus;
};

export type CatalogueSection = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'seated' | 'standing';
  readonly price: number;
  readonly capacity: number;
};

export type WaitingRoomSettings = {
  readonly enabled: boolean;
  readonly opensAt?: string;
  readonly admitPerMinute?: number;
  readonly accessSeconds?: number;
};

/** GET /events/:id: the item plus details. */
export type EventView = Omit<EventItem, 'venue'> & {
  readonly venue: EventItem['venue'] & { readonly address: string; readonly country: string; readonly timezone: string };
  readonly description: string;
  readonly sections: readonly CatalogueSection[];
  readonly holdSeconds: number;
  readonly maxTicketsPerUser: number;
  readonly onSaleAt: string;
  readonly waitingRoom: WaitingRoomSettings;
  readonly organizerId: string;
  readonly cancelledAt?: string;
  /** The version of `event-<id>` this view reflects. */
  readonly version: number;
};

export type VenueView = VenueDetails & { readonly id: string; readonly layout: Layout; readonly capacity: number };

export const CATALOGUE_PROJECTION = 'catalogue';

const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS catalogue_venues (
  venue_id text PRIMARY KEY,
  details jsonb NOT NULL,
  layout jsonb NOT NULL,
  capacity int NOT NULL
);
-- Added with the organizer console; rows projected before it have NULL until a rebuild.
ALTER TABLE catalogue_venues ADD COLUMN IF NOT EXISTS registered_by text;
CREATE INDEX IF NOT EXISTS catalogue_venues_registered_by ON catalogue_venues (registered_by);
CREATE TABLE IF NOT EXISTS catalogue_events (
  event_id text PRIMARY KEY,
  organizer_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  category text NOT NULL,
  performers jsonb NOT NULL,
  performer_ids text[] NOT NULL,
  starts_at timestamptz NOT NULL,
  on_sale_at timestamptz NOT NULL,
  currency text NOT NULL,
  venue_id text NOT NULL,
  venue jsonb NOT NULL,
  sections jsonb NOT NULL,
  price_from bigint NOT NULL,
  capacity int NOT NULL,
  held int NOT NULL DEFAULT 0,
  sold int NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'scheduled',
  cancelled_at timestamptz,
  hold_seconds int NOT NULL,
  max_tickets_per_user int NOT NULL,
  waiting_room jsonb NOT NULL DEFAULT '{"enabled": false}',
  version int NOT NULL
);
CREATE INDEX IF NOT EXISTS catalogue_events_starts_at ON catalogue_events (starts_at);
CREATE INDEX IF NOT EXISTS catalogue_events_performers ON catalogue_events USING gin (performer_ids);
CREATE INDEX IF NOT EXISTS catalogue_events_organizer ON catalogue_events (organizer_id, starts_at);
${ledgerTableSql('catalogue_ledger')}`;

const sectionsOf = (layout: Layout, prices: Readonly<Record<string, number>>): CatalogueSection[] =>
  layout.sections.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    price: prices[s.id] ?? 0,
    capacity: s.kind === 'seated' ? s.rows.reduce((m, r) => m + r.seats, 0) : s.capacity,
  }));

const priceFrom = (sections: readonly CatalogueSection[]): number =>
  sections.length === 0 ? 0 : Math.min(...sections.map((s) => s.price));

const performersOf = (names: readonly string[]): Performer[] => names.map((name) => ({ id: performerId(name), name }));

/** Newly registered venues in one statement (a seed registers thousands per batch). */
const insertVenues = async (db: pg.PoolClient, venues: readonly Extract<RecordedEvent, { type: 'VenueRegistered' }>['data'][]) => {
  if (venues.length === 0) return;
  await db.query(
    `INSERT INTO catalogue_venues (venue_id, details, layout, capacity, registered_by)
     SELECT * FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::int[], $5::text[]) ON CONFLICT (venue_id) DO NOTHING`,
    [
      venues.map((v) => v.venueId),
      venues.map(({ venueId: _id, layout: _layout, registeredBy: _by, ...details }) => JSON.stringify(details)),
      venues.map((v) => JSON.stringify(v.layout)),
      venues.map((v) => layoutCapacity(v.layout)),
      venues.map((v) => v.registeredBy),
    ],
  );
};

/** A new event's catalogue row, for insertScheduled. */
const scheduledRow = (d: EventScheduled['data'], version: number) => {
  const sections = sectionsOf(d.layout, d.sectionPrices);
  const performers = performersOf(d.performers);
  return {
    event_id: d.eventId,
    organizer_id: d.organizerId,
    name: d.name,
    description: d.description,
    category: d.category,
    performers,
    performer_ids: performers.map((p) => p.id),
    starts_at: d.startsAt,
    on_sale_at: d.onSaleAt,
    currency: d.currency,
    venue_id: d.venue.id,
    venue: d.venue,
    sections,
    price_from: priceFrom(sections),
    capacity: layoutCapacity(d.layout),
    hold_seconds: d.holdSeconds,
    max_tickets_per_user: d.maxTicketsPerUser,
    version,
  };
};

/** Newly scheduled events in one statement: a seed or an import schedules thousands per batch. */
const insertScheduled = async (db: pg.PoolClient, rows: readonly ReturnType<typeof scheduledRow>[]): Promise<void> => {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO catalogue_events (event_id, organizer_id, name, description, category, performers, performer_ids, starts_at,
       on_sale_at, currency, venue_id, venue, sections, price_from, capacity, hold_seconds, max_tickets_per_user, version)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(event_id text, organizer_id text, name text, description text, category text,
       performers jsonb, performer_ids text[], starts_at timestamptz, on_sale_at timestamptz, currency text, venue_id text,
       venue jsonb, sections jsonb, price_from bigint, capacity int, hold_seconds int, max_tickets_per_user int, version int)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
};

const applyOne = async (db: pg.PoolClient, event: RecordedEvent): Promise<void> => {
  switch (event.type) {
    case 'VenueRegistered':
      // Written by apply, many at once (see insertVenues).
      return;
    case 'VenueUpdated':
      await db.query('UPDATE catalogue_venues SET details = details || $2::jsonb WHERE venue_id = $1', [
        event.data.venueId,
        JSON.stringify(event.data.changes),
      ]);
      return;
    case 'EventScheduled':
      // Written by apply, many at once (see scheduledRow).
      return;
    case 'EventDetailsChanged': {
      const c = event.data.changes;
      const r = await db.query<{ sections: CatalogueSection[] }>('SELECT sections FROM catalogue_events WHERE event_id = $1', [
        event.data.eventId,
      ]);
      const current = r.rows[0];
      if (!current) return;
      const sections = c.sectionPrices
        ? current.sections.map((s) => ({ ...s, price: c.sectionPrices?.[s.id] ?? s.price }))
        : current.sections;
      await db.query(
        `UPDATE catalogue_events SET
           name = COALESCE($2, name), description = COALESCE($3, description), category = COALESCE($4, category),
           performers = COALESCE($5::jsonb, performers), performer_ids = COALESCE($6::text[], performer_ids),
           starts_at = COALESCE($7::timestamptz, starts_at), on_sale_at = COALESCE($8::timestamptz, on_sale_at),
           sections = $9, price_from = $10
         WHERE event_id = $1`,
        [
          event.data.eventId,
          c.name ?? null,
          c.description ?? null,
          c.category ?? null,
          c.performers ? JSON.stringify(performersOf(c.performers)) : null,
          c.performers ? performersOf(c.performers).map((p) => p.id) : null,
          c.startsAt ?? null,
          c.onSaleAt ?? null,
          JSON.stringify(sections),
          priceFrom(sections),
        ],
      );
      return;
    }
    case 'EventCancelled':
      await db.query(`UPDATE catalogue_events SET status = 'cancelled', cancelled_at = $2 WHERE event_id = $1`, [
        event.data.eventId,
        event.data.cancelledAt,
      ]);
      return;
    case 'WaitingRoomConfigured': {
      const { eventId: _id, ...settings } = event.data;
      await db.query('UPDATE catalogue_events SET waiting_room = $2 WHERE event_id = $1', [event.data.eventId, JSON.stringify(settings)]);
      return;
    }
    case 'SeatsHeld':
    case 'HoldReleased':
    case 'CheckoutStarted':
    case 'PaymentSucceeded':
    case 'PaymentFailed':
    case 'BookingConfirmed':
    case 'RefundRequested':
    case 'RefundIssued':
      // Counted for the whole batch at once, see apply.
      return;
    case 'TicketCheckedIn':
    case 'WaitlistJoined':
    case 'WaitlistLeft':
    case 'WaitlistOffered':
    case 'WaitlistOfferLapsed':
      return;
    default: {
      const _: never = event;
      throw new Error(`catalogue: unknown event type ${(_ as { type: string }).type}`);
    }
  }
};

/** Venues and ticketed events with prices and availability counts. */
export const catalogueProjection = (): Projection => ({
  name: CATALOGUE_PROJECTION,
  streamPrefixes: ['venue-', 'event-'],
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  reset: async (db) => {
    await db.query('TRUNCATE catalogue_venues, catalogue_events, catalogue_ledger');
  },
  apply: async (db, events) => {
    const versions = new Map<string, number>();
    // New events are inserted together, before any later event's statement: nothing about an event precedes
    // its EventScheduled, so the order of the log is kept.
    let venues: Extract<RecordedEvent, { type: 'VenueRegistered' }>['data'][] = [];
    let scheduled: ReturnType<typeof scheduledRow>[] = [];
    const insertNew = async (): Promise<void> => {
      await insertVenues(db, venues);
      await insertScheduled(db, scheduled);
      venues = [];
      scheduled = [];
    };
    for (const e of events) {
      if (e.type === 'EventScheduled') scheduled.push(scheduledRow(e.data, e.version));
      else if (e.type === 'VenueRegistered') venues.push(e.data);
      else {
        await insertNew();
        await applyOne(db, e);
      }
      if (e.stream.startsWith('event-')) versions.set(e.stream.slice('event-'.length), e.version);
    }
    await insertNew();
    const counts = new Map<string, { held: number; sold: number }>();
    for (const { effect } of await applyBatchToLedger(db, 'catalogue_ledger', events)) {
      if (!effect) continue;
      const c = counts.get(effect.eventId) ?? { held: 0, sold: 0 };
      c.held += effect.held;
      c.sold += effect.sold;
      counts.set(effect.eventId, c);
    }
    if (counts.size > 0) {
      const rows = [...counts.entries()];
      await db.query(
        `UPDATE catalogue_events t SET held = t.held + u.h, sold = t.sold + u.s
         FROM unnest($1::text[], $2::int[], $3::int[]) AS u(e, h, s) WHERE t.event_id = u.e`,
        [rows.map(([id]) => id), rows.map(([, c]) => c.held), rows.map(([, c]) => c.sold)],
      );
    }
    // Version 0 is an EventScheduled just inserted with it: raising to it changes nothing (a seed is all of those).
    const raised = [...versions].filter(([, v]) => v > 0);
    if (raised.length > 0)
      await db.query(
        `UPDATE catalogue_events t SET version = GREATEST(t.version, u.v) FROM unnest($1::text[], $2::int[]) AS u(e, v) WHERE t.event_id = u.e`,
        [raised.map(([id]) => id), raised.map(([, v]) => v)],
      );
  },
});
