import { layoutCapacity } from '../../domain/venue/index.js';
import { applyBatchToLedger, ledgerTableSql } from '../booking-ledger/index.js';
import type { Projection, Queryable } from '../projector/index.js';

/** GET /events/:id/sales. `revenue` counts confirmed bookings, net of refunds, in minor units. */
export type Sales = {
  readonly sold: number;
  readonly held: number;
  readonly available: number;
  readonly revenue: number;
  readonly currency: string;
};

export const SALES_PROJECTION = 'sales';

const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS sales_events (
  event_id text PRIMARY KEY,
  currency text NOT NULL,
  capacity int NOT NULL,
  held int NOT NULL DEFAULT 0,
  sold int NOT NULL DEFAULT 0,
  revenue bigint NOT NULL DEFAULT 0
);
${ledgerTableSql('sales_ledger')}`;

/** Places held and sold and revenue per ticketed event, for organizers. */
export const salesProjection = (): Projection => ({
  name: SALES_PROJECTION,
  streamPrefixes: ['event-'],
  gather: true,
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  reset: async (db) => {
    await db.query('TRUNCATE sales_events, sales_ledger');
  },
  apply: async (db, events) => {
    // New events in one statement: a seed schedules thousands per batch.
    const scheduled = events.flatMap((r) => (r.type === 'EventScheduled' ? [r.data] : []));
    if (scheduled.length > 0)
      await db.query(
        `INSERT INTO sales_events (event_id, currency, capacity) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
         ON CONFLICT (event_id) DO NOTHING`,
        [scheduled.map((d) => d.eventId), scheduled.map((d) => d.currency), scheduled.map((d) => layoutCapacity(d.layout))],
      );
    const totals = new Map<string, { held: number; sold: number; revenue: number }>();
    for (const { effect } of await applyBatchToLedger(db, 'sales_ledger', events)) {
      if (!effect) continue;
      const t = totals.get(effect.eventId) ?? { held: 0, sold: 0, revenue: 0 };
      t.held += effect.held;
      t.sold += effect.sold;
      t.revenue += effect.revenue;
      totals.set(effect.eventId, t);
    }
    if (totals.size === 0) return;
    const rows = [...totals.entries()];
    await db.query(
      `UPDATE sales_events t SET held = t.held + u.h, sold = t.sold + u.s, revenue = t.revenue + u.r
       FROM unnest($1::text[], $2::int[], $3::int[], $4::bigint[]) AS u(e, h, s, r) WHERE t.event_id = u.e`,
      [rows.map(([id]) => id), rows.map(([, x]) => x.held), rows.map(([, x]) => x.sold), rows.map(([, x]) => x.revenue)],
    );
  },
});

/** Undefined when the event is unknown. */
export const getSales = async (db: Queryable, eventId: string): Promise<Sales | undefined> => {
  const r = await db.query<{ currency: string; capacity: number; held: number; sold: number; revenue: string }>(
    'SELECT currency, capacity, held, sold, revenue::text AS revenue FROM sales_events WHERE event_id = $1',
    [eventId],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    sold: row.sold,
    held: row.held,
    available: Math.max(0, row.capacity - row.held - row.sold),
    revenue: Number(row.revenue),
    currency: row.currency,
  };
};
