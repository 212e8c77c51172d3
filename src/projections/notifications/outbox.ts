import type pg from 'pg';
import type { RecordedEvent } from '../../commands/event-store/index.js';
import { withTransaction } from '../../commands/platform/index.js';
import type { Projection } from '../projector/index.js';

export const NOTIFICATIONS_PROJECTION = 'notifications';

/** The hold-lapse warning is due this long before the hold's expiry. */
export const LAPSE_WARNING_MS = 60_000;

export type MessageKind = 'booking-confirmed' | 'hold-lapsing' | 'refund-issued' | 'event-cancelled' | 'waitlist-offer';

/** What a message needs besides the buyer's address (looked up in `users` when it is sent). */
export type MessageData = {
  readonly eventName: string;
  readonly startsAt: string;
  readonly venueName: string;
  readonly tickets?: readonly { readonly ticketId: string; readonly seat?: string; readonly sectionId: string }[];
  readonly amount?: number;
  readonly currency?: string;
  readonly expiresAt?: string;
  readonly reason?: string;
};

/*
 * notification_outbox is keyed by (source event id, kind, booking): a rebuild
 * replays the same events, finds every row already there and inserts nothing, and
 * reset() never empties it, so nothing is sent twice. The other two tables are
 * this projection's own state (who booked what), rebuilt from the log.
 *
 * A hold's lapse warning is not an outbox row until it falls due: an on-sale
 * holds thousands of seats a second and most holds are paid or let go before
 * their warning, so the booking's row carries `warn_at` (cleared when the hold
 * ends) and the sender turns due warnings into outbox rows, keyed by the
 * SeatsHeld event as before (see dueWarnings).
 */
const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS notification_outbox (
  source_event_id text NOT NULL,
  kind text NOT NULL,
  booking_id text NOT NULL,
  user_id text NOT NULL,
  event_id text NOT NULL,
  data jsonb NOT NULL,
  due_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  skipped boolean NOT NULL DEFAULT false,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (source_event_id, kind, booking_id)
);
CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (due_at) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS notification_events (
  event_id text PRIMARY KEY,
  name text NOT NULL,
  starts_at timestamptz NOT NULL,
  venue_name text NOT NULL
);
CREATE TABLE IF NOT EXISTS notification_bookings (
  booking_id text PRIMARY KEY,
  event_id text NOT NULL,
  user_id text NOT NULL,
  currency text NOT NULL,
  phase text NOT NULL
);
CREATE INDEX IF NOT EXISTS notification_bookings_event ON notification_bookings (event_id);
-- The hold's lapse warning, until it is due (then an outbox row) or the hold ends: see dueWarnings.
ALTER TABLE notification_bookings ADD COLUMN IF NOT EXISTS held_event_id text, ADD COLUMN IF NOT EXISTS expires_at timestamptz,
  ADD COLUMN IF NOT EXISTS warn_at timestamptz;
CREATE INDEX IF NOT EXISTS notification_bookings_warn ON notification_bookings (warn_at) WHERE warn_at IS NOT NULL;`;

type Row = {
  source_event_id: string;
  kind: MessageKind;
  booking_id: string;
  user_id: string;
  event_id: string;
  data: MessageData;
  due_at: string;
  skipped: boolean;
};

/** Messages about events older than this when first projected (an upgrade, an import) are recorded as skipped, not sent. */
export const STALE_AFTER_MS = 24 * 3_600_000;

const isStale = (e: RecordedEvent): boolean => Date.now() - e.recordedAt.getTime() > STALE_AFTER_MS;

type EventData = Pick<MessageData, 'eventName' | 'startsAt' | 'venueName'>;

type NewBooking = {
  readonly bookingId: string;
  readonly eventId: string;
  readonly userId: string;
  readonly currency: string;
  readonly heldEventId: string;
  readonly expiresAt: string;
  /** When the lapse warning is due; null when it is never to be sent (a hold projected long after it was taken). */
  readonly warnAt: string | null;
};

/**
 * What one apply call reads and writes besides the outbox. An on-sale's batch is hundreds of SeatsHeld of one
 * event: their bookings go in with one INSERT, written before anything reads or updates that table, and the
 * event's name and venue are read once.
 */
type NewEvent = { readonly eventId: string; readonly name: string; readonly startsAt: string; readonly venueName: string };

const batchContext = (db: pg.PoolClient) => {
  const events = new Map<string, EventData>();
  let newEvents: NewEvent[] = [];
  /** Before a statement that reads or updates notification_events. */
  const flushEvents = async (): Promise<void> => {
    if (newEvents.length === 0) return;
    const rows = newEvents;
    newEvents = [];
    await db.query(
      `INSERT INTO notification_events (event_id, name, starts_at, venue_name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) ON CONFLICT (event_id) DO NOTHING`,
      [rows.map((r) => r.eventId), rows.map((r) => r.name), rows.map((r) => r.startsAt), rows.map((r) => r.venueName)],
    );
  };
  let pending: NewBooking[] = [];
  const flush = async (): Promise<void> => {
    await flushEvents();
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    await db.query(
      `INSERT INTO notification_bookings (booking_id, event_id, user_id, currency, phase, held_event_id, expires_at, warn_at)
       SELECT b, e, u, c, 'held', h, x, w
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[]) AS r(b, e, u, c, h, x, w)
       ON CONFLICT (booking_id) DO NOTHING`,
      [
        rows.map((r) => r.bookingId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.userId),
        rows.map((r) => r.currency),
        rows.map((r) => r.heldEventId),
        rows.map((r) => r.expiresAt),
        rows.map((r) => r.warnAt),
      ],
    );
  };
  return {
    db,
    flush,
    addBooking: (b: NewBooking): void => {
      pending.push(b);
    },
    /** Before a statement that reads or updates notification_bookings. */
    bookings: async (): Promise<pg.PoolClient> => {
      await flush();
      return db;
    },
    addEvent: (e: NewEvent): void => {
      events.delete(e.eventId);
      newEvents.push(e);
    },
    events: async (): Promise<pg.PoolClient> => {
      await flushEvents();
      return db;
    },
    eventData: async (eventId: string): Promise<EventData> => {
      const known = events.get(eventId);
      if (known) return known;
      await flushEvents();
      const r = await db.query<{ name: string; starts_at: Date; venue_name: string }>(
        'SELECT name, starts_at, venue_name FROM notification_events WHERE event_id = $1',
        [eventId],
      );
      const e = r.rows[0];
      const data = e
        ? { eventName: e.name, startsAt: e.starts_at.toISOString(), venueName: e.venue_name }
        : { eventName: eventId, startsAt: '', venueName: '' };
      events.set(eventId, data);
      return data;
    },
    eventChanged: (eventId: string): void => {
      events.delete(eventId);
    },
  };
};
type BatchContext = ReturnType<typeof batchContext>;

/** A booking that is no longer held gets no lapse warning. */
const setPhase = async (ctx: BatchContext, bookingId: string, phase: 'released' | 'confirmed') =>
  (await ctx.bookings()).query('UPDATE notification_bookings SET phase = $2, warn_at = NULL WHERE booking_id = $1', [bookingId, phase]);

const bookingOf = async (ctx: BatchContext, bookingId: string): Promise<{ user_id: string; currency: string } | undefined> =>
  (
    await (
      await ctx.bookings()
    ).query<{ user_id: string; currency: string }>('SELECT user_id, currency FROM notification_bookings WHERE booking_id = $1', [bookingId])
  ).rows[0];

/** One event's messages, and the state changes later messages depend on. */
const messagesOf = async (ctx: BatchContext, e: RecordedEvent): Promise<Row[]> => {
  const row = (kind: MessageKind, bookingId: string, userId: string, eventId: string, data: MessageData, dueAt: string): Row => ({
    source_event_id: e.id,
    kind,
    booking_id: bookingId,
    user_id: userId,
    event_id: eventId,
    data,
    due_at: dueAt,
    skipped: isStale(e),
  });
  const now = e.recordedAt.toISOString();
  switch (e.type) {
    case 'EventScheduled':
      ctx.addEvent({ eventId: e.data.eventId, name: e.data.name, startsAt: e.data.startsAt, venueName: e.data.venue.name });
      return [];
    case 'EventDetailsChanged':
      ctx.eventChanged(e.data.eventId);
      await (
        await ctx.events()
      ).query(
        'UPDATE notification_events SET name = COALESCE($2, name), starts_at = COALESCE($3::timestamptz, starts_at) WHERE event_id = $1',
        [e.data.eventId, e.data.changes.name ?? null, e.data.changes.startsAt ?? null],
      );
      return [];
    case 'SeatsHeld': {
      const d = e.data;
      ctx.addBooking({
        bookingId: d.bookingId,
        eventId: d.eventId,
        userId: d.userId,
        currency: d.currency,
        heldEventId: e.id,
        expiresAt: d.expiresAt,
        warnAt: isStale(e) ? null : new Date(Date.parse(d.expiresAt) - LAPSE_WARNING_MS).toISOString(),
      });
      return [];
    }
    case 'HoldReleased':
      await setPhase(ctx, e.data.bookingId, 'released');
      return [];
    case 'BookingConfirmed': {
      const d = e.data;
      await setPhase(ctx, d.bookingId, 'confirmed');
      return [row('booking-confirmed', d.bookingId, d.userId, d.eventId, { ...(await ctx.eventData(d.eventId)), tickets: d.tickets }, now)];
    }
    case 'RefundIssued': {
      const d = e.data;
      const b = await bookingOf(ctx, d.bookingId);
      if (!b) return [];
      return [
        row(
          'refund-issued',
          d.bookingId,
          b.user_id,
          d.eventId,
          { ...(await ctx.eventData(d.eventId)), amount: d.amount, currency: b.currency },
          now,
        ),
      ];
    }
    case 'EventCancelled': {
      const d = e.data;
      const data = { ...(await ctx.eventData(d.eventId)), reason: d.reason };
      // Buyers with tickets, and buyers whose hold or payment was in flight.
      const affected = await (
        await ctx.bookings()
      ).query<{ booking_id: string; user_id: string }>(
        "SELECT booking_id, user_id FROM notification_bookings WHERE event_id = $1 AND phase <> 'released' ORDER BY booking_id",
        [d.eventId],
      );
      return affected.rows.map((b) => row('event-cancelled', b.booking_id, b.user_id, d.eventId, data, now));
    }
    case 'WaitlistOffered': {
      const d = e.data;
      return [
        row('waitlist-offer', d.bookingId, d.userId, d.eventId, { ...(await ctx.eventData(d.eventId)), expiresAt: d.expiresAt }, now),
      ];
    }
    default:
      return [];
  }
};

const apply = async (db: pg.PoolClient, events: readonly RecordedEvent[]): Promise<void> => {
  const ctx = batchContext(db);
  const rows: Row[] = [];
  for (const e of events) rows.push(...(await messagesOf(ctx, e)));
  await ctx.flush();
  await insertOutbox(db, rows);
};

const insertOutbox = async (db: pg.PoolClient, rows: readonly Row[]): Promise<void> => {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO notification_outbox (source_event_id, kind, booking_id, user_id, event_id, data, due_at, skipped, sent_at)
     SELECT x.*, CASE WHEN x.skipped THEN now() END FROM jsonb_to_recordset($1::jsonb) AS x(source_event_id text, kind text,
       booking_id text, user_id text, event_id text, data jsonb, due_at timestamptz, skipped boolean)
     ON CONFLICT (source_event_id, kind, booking_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
};

type DueWarning = {
  booking_id: string;
  event_id: string;
  user_id: string;
  held_event_id: string;
  expires_at: Date;
  name: string | null;
  starts_at: Date | null;
  venue_name: string | null;
};

/**
 * Turns up to `limit` lapse warnings that have fallen due into outbox rows (one transaction) and returns how many.
 * A warning found after its hold lapsed (the sender was down) is recorded as skipped: the buyer can no longer act on it.
 * The outbox key is the SeatsHeld event's, so a warning set again by a rebuild is never sent twice.
 */
export const dueWarnings = (pool: pg.Pool, limit = 500): Promise<number> =>
  withTransaction(pool, async (client) => {
    const due = await client.query<DueWarning>(
      `WITH due AS (
         UPDATE notification_bookings b SET warn_at = NULL
         WHERE b.booking_id IN (SELECT booking_id FROM notification_bookings WHERE warn_at <= now() ORDER BY warn_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING b.booking_id, b.event_id, b.user_id, b.held_event_id, b.expires_at)
       SELECT due.*, e.name, e.starts_at, e.venue_name FROM due LEFT JOIN notification_events e ON e.event_id = due.event_id`,
      [limit],
    );
    const now = Date.now();
    const rows: Row[] = due.rows.map((w) => ({
      source_event_id: w.held_event_id,
      kind: 'hold-lapsing',
      booking_id: w.booking_id,
      user_id: w.user_id,
      event_id: w.event_id,
      data: {
        eventName: w.name ?? w.event_id,
        startsAt: w.starts_at?.toISOString() ?? '',
        venueName: w.venue_name ?? '',
        expiresAt: w.expires_at.toISOString(),
      },
      due_at: new Date(w.expires_at.getTime() - LAPSE_WARNING_MS).toISOString(),
      skipped: w.expires_at.getTime() <= now,
    }));
    await insertOutbox(client, rows);
    return rows.length;
  });

/** Writes an outbox row per message in the transaction of its checkpoint; the sender (sender.ts) delivers them. */
export const notificationsProjection = (options: { readonly onCommit?: () => void } = {}): Projection => ({
  name: NOTIFICATIONS_PROJECTION,
  streamPrefixes: ['event-'],
  gather: true,
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  // The outbox survives a rebuild: it is the record of what was sent.
  reset: async (db) => {
    await db.query('TRUNCATE notification_events, notification_bookings');
  },
  apply,
  ...(options.onCommit
    ? {
        afterCommit: async () => {
          options.onCommit?.();
        },
      }
    : {}),
});
