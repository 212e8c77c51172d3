import type { SeatsHeld } from '../../domain/ticketed-event/index.js';
import type { Projection, Queryable } from '../projector/index.js';

export type DueHold = { readonly eventId: string; readonly bookingId: string; readonly expiresAt: string };

export const HOLD_DEADLINES_PROJECTION = 'hold-deadlines';

const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS hold_deadlines (
  booking_id text PRIMARY KEY,
  event_id text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS hold_deadlines_expires_at ON hold_deadlines (expires_at);`;

/**
 * Holds not yet released by an event, with their deadline: what the sweeper
 * turns into HoldReleased {reason: expired}. A hold leaves when it is released,
 * confirmed, or its refund is requested (the decider's dropFootprint).
 */
export const holdDeadlinesProjection = (): Projection => ({
  name: HOLD_DEADLINES_PROJECTION,
  streamPrefixes: ['event-'],
  gather: true,
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  reset: async (db) => {
    await db.query('TRUNCATE hold_deadlines');
  },
  apply: async (db, events) => {
    const added: SeatsHeld['data'][] = [];
    const removed: string[] = [];
    for (const e of events) {
      switch (e.type) {
        case 'SeatsHeld':
          added.push(e.data);
          break;
        case 'HoldReleased':
        case 'BookingConfirmed':
        case 'RefundRequested':
        case 'RefundIssued': {
          const id = e.data.bookingId;
          removed.push(id);
          const i = added.findIndex((a) => a.bookingId === id);
          if (i >= 0) added.splice(i, 1);
          break;
        }
        default:
          break;
      }
    }
    if (removed.length > 0) await db.query('DELETE FROM hold_deadlines WHERE booking_id = ANY($1::text[])', [removed]);
    if (added.length > 0)
      await db.query(
        `INSERT INTO hold_deadlines (booking_id, event_id, expires_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) ON CONFLICT (booking_id) DO NOTHING`,
        [added.map((a) => a.bookingId), added.map((a) => a.eventId), added.map((a) => a.expiresAt)],
      );
  },
});

/** Holds whose deadline is at or before `now`, oldest first. */
export const dueHolds = async (db: Queryable, now: Date, limit: number): Promise<DueHold[]> => {
  const r = await db.query<{ booking_id: string; event_id: string; expires_at: Date }>(
    'SELECT booking_id, event_id, expires_at FROM hold_deadlines WHERE expires_at <= $1 ORDER BY expires_at, booking_id LIMIT $2',
    [now, limit],
  );
  return r.rows.map((row) => ({ bookingId: row.booking_id, eventId: row.event_id, expiresAt: row.expires_at.toISOString() }));
};

/** Every live hold (for re-seeding another deadline store), in pages. */
export const allHolds = async (db: Queryable, after: string | undefined, limit: number): Promise<DueHold[]> => {
  const r = await db.query<{ booking_id: string; event_id: string; expires_at: Date }>(
    'SELECT booking_id, event_id, expires_at FROM hold_deadlines WHERE $1::text IS NULL OR booking_id > $1 ORDER BY booking_id LIMIT $2',
    [after ?? null, limit],
  );
  return r.rows.map((row) => ({ bookingId: row.booking_id, eventId: row.event_id, expiresAt: row.expires_at.toISOString() }));
};
