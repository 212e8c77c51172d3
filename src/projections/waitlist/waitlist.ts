import type { RecordedEvent } from '../../commands/event-store/index.js';
import type { TicketedEventEvent, WaitlistStatus } from '../../domain/ticketed-event/index.js';
import type { Projection, Queryable } from '../projector/index.js';

/** GET /me/waitlist and the entry's stream; `position` (from 1) only while waiting. */
export type WaitlistEntryRow = {
  readonly id: string;
  readonly eventId: string;
  readonly userId: string;
  readonly quantity: number;
  readonly sectionId?: string;
  readonly maxPrice?: number;
  readonly status: WaitlistStatus;
  readonly position?: number;
  readonly bookingId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type WaitlistCounts = { readonly waiting: number; readonly offered: number; readonly fulfilled: number };

export const WAITLIST_PROJECTION = 'waitlist';

const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS waitlist_entries (
  entry_id text PRIMARY KEY,
  event_id text NOT NULL,
  user_id text NOT NULL,
  seq int NOT NULL,
  quantity int NOT NULL,
  section_id text,
  max_price bigint,
  status text NOT NULL,
  offer_booking_id text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS waitlist_entries_user ON waitlist_entries (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS waitlist_entries_event ON waitlist_entries (event_id, status, seq);
CREATE INDEX IF NOT EXISTS waitlist_entries_booking ON waitlist_entries (offer_booking_id);`;

const setStatus = (db: Queryable, entryId: string, status: WaitlistStatus, at: string) =>
  db.query('UPDATE waitlist_entries SET status = $2, updated_at = $3 WHERE entry_id = $1', [entryId, status, at]);

/**
 * Waitlist entries from the event streams' WaitlistJoined / Offered / OfferLapsed /
 * Left events, and fulfilment from the offer booking's BookingConfirmed: a
 * rebuild replays the same events, so it reproduces every entry and offer.
 */
export const waitlistProjection = (): Projection => ({
  name: WAITLIST_PROJECTION,
  streamPrefixes: ['event-'],
  handles: new Set<TicketedEventEvent['type']>([
    'WaitlistJoined',
    'WaitlistOffered',
    'WaitlistOfferLapsed',
    'WaitlistLeft',
    'BookingConfirmed',
  ]),
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  reset: async (db) => {
    await db.query('TRUNCATE waitlist_entries');
  },
  apply: async (db, events: readonly RecordedEvent[]) => {
    for (const e of events) {
      switch (e.type) {
        case 'WaitlistJoined': {
          const d = e.data;
          // seq counts joins per event, as the decider does
          await db.query(
            `INSERT INTO waitlist_entries (entry_id, event_id, user_id, seq, quantity, section_id, max_price, status, offer_booking_id, created_at, updated_at)
             SELECT $1, $2, $3, coalesce(max(seq), 0) + 1, $4, $5, $6, 'waiting', $7, $8, $8 FROM waitlist_entries WHERE event_id = $2
             ON CONFLICT (entry_id) DO NOTHING`,
            [d.entryId, d.eventId, d.userId, d.quantity, d.sectionId ?? null, d.maxPrice ?? null, d.offerBookingId, d.joinedAt],
          );
          break;
        }
        case 'WaitlistOffered':
          await setStatus(db, e.data.entryId, 'offered', e.data.offeredAt);
          break;
        case 'WaitlistOfferLapsed':
          await setStatus(db, e.data.entryId, 'expired', e.data.lapsedAt);
          break;
        case 'WaitlistLeft':
          await setStatus(db, e.data.entryId, 'left', e.data.leftAt);
          break;
        case 'BookingConfirmed':
          await db.query(
            `UPDATE waitlist_entries SET status = 'fulfilled', updated_at = $3 WHERE offer_booking_id = $1 AND event_id = $2`,
            [e.data.bookingId, e.data.eventId, e.data.confirmedAt],
          );
          break;
        default:
          break;
      }
    }
  },
});

type Row = {
  entry_id: string;
  event_id: string;
  user_id: string;
  quantity: number;
  section_id: string | null;
  max_price: string | null;
  status: WaitlistStatus;
  offer_booking_id: string;
  position: number | null;
  created_at: Date;
  updated_at: Date;
};

const SELECT = `
SELECT w.entry_id, w.event_id, w.user_id, w.quantity, w.section_id, w.max_price::text AS max_price, w.status, w.offer_booking_id,
       w.created_at, w.updated_at,
       CASE WHEN w.status = 'waiting' THEN
         (SELECT count(*)::int FROM waitlist_entries o WHERE o.event_id = w.event_id AND o.status = 'waiting' AND o.seq <= w.seq)
       END AS position
FROM waitlist_entries w`;

const toEntry = (r: Row): WaitlistEntryRow => ({
  id: r.entry_id,
  eventId: r.event_id,
  userId: r.user_id,
  quantity: r.quantity,
  ...(r.section_id === null ? {} : { sectionId: r.section_id }),
  ...(r.max_price === null ? {} : { maxPrice: Number(r.max_price) }),
  status: r.status,
  ...(r.position === null ? {} : { position: r.position }),
  ...(r.status === 'offered' || r.status === 'fulfilled' || r.status === 'expired' ? { bookingId: r.offer_booking_id } : {}),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The user's entries, newest first. */
export const listWaitlistForUser = async (
  db: Queryable,
  userId: string,
  page: number,
  pageSize: number,
): Promise<{ items: WaitlistEntryRow[]; total: number }> => {
  const [items, total] = await Promise.all([
    db.query<Row>(`${SELECT} WHERE w.user_id = $1 ORDER BY w.created_at DESC, w.seq DESC LIMIT $2 OFFSET $3`, [
      userId,
      pageSize,
      (page - 1) * pageSize,
    ]),
    db.query<{ n: number }>('SELECT count(*)::int AS n FROM waitlist_entries WHERE user_id = $1', [userId]),
  ]);
  return { items: items.rows.map(toEntry), total: total.rows[0]?.n ?? 0 };
};

/** The user's latest entry for the event, if any. */
export const latestWaitlistEntry = async (db: Queryable, eventId: string, userId: string): Promise<WaitlistEntryRow | undefined> => {
  const r = await db.query<Row>(`${SELECT} WHERE w.event_id = $1 AND w.user_id = $2 ORDER BY w.seq DESC LIMIT 1`, [eventId, userId]);
  const row = r.rows[0];
  return row === undefined ? undefined : toEntry(row);
};

export const waitlistCounts = async (db: Queryable, eventId: string): Promise<WaitlistCounts> => {
  const r = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM waitlist_entries WHERE event_id = $1 GROUP BY status',
    [eventId],
  );
  const n = (status: string) => r.rows.find((row) => row.status === status)?.n ?? 0;
  return { waiting: n('waiting'), offered: n('offered'), fulfilled: n('fulfilled') };
};
