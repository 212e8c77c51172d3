import type { RecordedEvent } from '../../commands/event-store/index.js';
import { foldText, performerId } from '../../domain/shared/index.js';
import type { TicketedEventEvent } from '../../domain/ticketed-event/index.js';
import type { GeoPoint } from '../../domain/venue/index.js';
import type { Projection, Queryable } from '../projector/index.js';

/**
 * Productions and their showtimes: every event that names a `production` is a
 * showtime of the production whose id is the slug of that name. One row per
 * showtime; a production is the group of its rows, so there is nothing to keep
 * in step when showtimes come and go.
 */

export const PRODUCTIONS_PROJECTION = 'productions';

export type ProductionRef = { readonly id: string; readonly name: string };

export type ProductionItem = {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly performers: readonly { readonly id: string; readonly name: string }[];
  readonly nextShowtime: string;
  readonly showtimeCount: number;
  readonly priceFrom: number;
  readonly currency: string;
  readonly distanceKm?: number;
};

export type ProductionQuery = {
  readonly from: string;
  readonly to?: string;
  readonly near?: GeoPoint;
  readonly radiusKm?: number;
  readonly category?: string;
  readonly q?: string;
  readonly page: number;
  readonly pageSize: number;
};

const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS production_showtimes (
  event_id text PRIMARY KEY,
  production_id text NOT NULL,
  production_name text NOT NULL,
  folded_name text NOT NULL,
  category text NOT NULL,
  performers jsonb NOT NULL,
  starts_at timestamptz NOT NULL,
  venue_id text NOT NULL,
  city text NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  price_from bigint NOT NULL,
  currency text NOT NULL,
  status text NOT NULL
);
CREATE INDEX IF NOT EXISTS production_showtimes_production ON production_showtimes (production_id, starts_at);
CREATE INDEX IF NOT EXISTS production_showtimes_upcoming ON production_showtimes (starts_at) WHERE status = 'scheduled';`;

const performersOf = (names: readonly string[]) => names.map((name) => ({ id: performerId(name), name }));

export const productionsProjection = (): Projection => ({
  name: PRODUCTIONS_PROJECTION,
  streamPrefixes: ['event-'],
  handles: new Set<TicketedEventEvent['type']>(['EventScheduled', 'EventDetailsChanged', 'EventCancelled']),
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  reset: async (db) => {
    await db.query('TRUNCATE production_showtimes');
  },
  apply: async (db, events: readonly RecordedEvent[]) => {
    for (const e of events) {
      switch (e.type) {
        case 'EventScheduled': {
          const d = e.data;
          if (d.production === undefined) break;
          const prices = Object.values(d.sectionPrices);
          await db.query(
            `INSERT INTO production_showtimes (event_id, production_id, production_name, folded_name, category, performers, starts_at,
               venue_id, city, lat, lng, price_from, currency, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'scheduled') ON CONFLICT (event_id) DO NOTHING`,
            [
              d.eventId,
              performerId(d.production),
              d.production,
              foldText(`${d.production} ${d.performers.join(' ')}`),
              d.category,
              JSON.stringify(performersOf(d.performers)),
              d.startsAt,
              d.venue.id,
              d.venue.city,
              d.venue.location.lat,
              d.venue.location.lng,
              prices.length > 0 ? Math.min(...prices) : 0,
              d.currency,
            ],
          );
          break;
        }
        case 'EventDetailsChanged': {
          const c = e.data.changes;
          const prices = c.sectionPrices === undefined ? undefined : Object.values(c.sectionPrices);
          await db.query(
            `UPDATE production_showtimes SET starts_at = coalesce($2, starts_at), category = coalesce($3, category),
               performers = coalesce($4::jsonb, performers), price_from = coalesce(least(price_from, $5), price_from)
             WHERE event_id = $1`,
            [
              e.data.eventId,
              c.startsAt ?? null,
              c.category ?? null,
              c.performers === undefined ? null : JSON.stringify(performersOf(c.performers)),
              prices === undefined || prices.length === 0 ? null : Math.min(...prices),
            ],
          );
          break;
        }
        case 'EventCancelled':
          await db.query(`UPDATE production_showtimes SET status = 'cancelled' WHERE event_id = $1`, [e.data.eventId]);
          break;
        default:
          break;
      }
    }
  },
});

/** Great-circle distance in km, in SQL (the table is small: one row per showtime). */
const distanceSql = (lat: string, lng: string) =>
  `(2 * 6371.0088 * asin(sqrt(power(sin(radians(lat - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(lat)) * power(sin(radians(lng - ${lng}) / 2), 2))))`;

/** GET /productions: productions with at least one upcoming showtime matching the filters. */
export const listProductions = async (db: Queryable, q: ProductionQuery): Promise<{ items: ProductionItem[]; total: number }> => {
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = [`status = 'scheduled'`, `starts_at >= ${param(q.from)}::timestamptz`];
  if (q.to) where.push(`starts_at < ${param(q.to)}::timestamptz`);
  if (q.category) where.push(`category = ${param(q.category)}`);
  if (q.q)
    for (const word of foldText(q.q).split(/\s+/).filter(Boolean).slice(0, 8))
      where.push(`folded_name LIKE ${param(`%${word.replace(/[%_\\]/g, '\\$&')}%`)}`);
  let distance = 'NULL::double precision';
  if (q.near) {
    distance = distanceSql(`${param(q.near.lat)}::double precision`, `${param(q.near.lng)}::double precision`);
    where.push(`${distance} <= ${param(q.radiusKm ?? 50)}::double precision`);
  }
  const grouped = `SELECT production_id, min(production_name) AS name, min(category) AS category, (array_agg(performers ORDER BY starts_at))[1] AS performers,
      min(starts_at) AS next_showtime, count(*)::int AS showtimes, min(price_from)::text AS price_from, min(currency) AS currency,
      min(${distance}) AS distance_km
    FROM production_showtimes WHERE ${where.join(' AND ')} GROUP BY production_id`;
  const order = q.near ? 'distance_km, next_showtime, production_id' : 'next_showtime, production_id';
  const r = await db.query<{
    production_id: string;
    name: string;
    category: string;
    performers: ProductionItem['performers'];
    next_showtime: Date;
    showtimes: number;
    price_from: string;
    currency: string;
    distance_km: number | null;
    total: number;
  }>(
    `SELECT g.*, count(*) OVER ()::int AS total FROM (${grouped}) g ORDER BY ${order} LIMIT ${param(q.pageSize)} OFFSET ${param((q.page - 1) * q.pageSize)}`,
    values,
  );
  return {
    total: r.rows[0]?.total ?? 0,
    items: r.rows.map((row) => ({
      id: row.production_id,
      name: row.name,
      category: row.category,
      performers: row.performers,
      nextShowtime: row.next_showtime.toISOString(),
      showtimeCount: row.showtimes,
      priceFrom: Number(row.price_from),
      currency: row.currency,
      ...(row.distance_km === null ? {} : { distanceKm: Math.round(row.distance_km * 10) / 10 }),
    })),
  };
};

/** The production and the ids of all its showtimes (any date, any status); undefined when unknown. */
export const getProduction = async (
  db: Queryable,
  id: string,
): Promise<{ id: string; name: string; category: string; performers: ProductionItem['performers']; eventIds: string[] } | undefined> => {
  const r = await db.query<{ event_id: string; production_name: string; category: string; performers: ProductionItem['performers'] }>(
    'SELECT event_id, production_name, category, performers FROM production_showtimes WHERE production_id = $1 ORDER BY starts_at',
    [id],
  );
  const first = r.rows[0];
  if (!first) return undefined;
  return {
    id,
    name: first.production_name,
    category: first.category,
    performers: first.performers,
    eventIds: r.rows.map((x) => x.event_id),
  };
};
