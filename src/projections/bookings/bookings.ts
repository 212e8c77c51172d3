import type pg from 'pg';
import type { RecordedEvent } from '../../commands/event-store/index.js';
import { isBookingEvent } from '../../domain/ticketed-event/index.js';
import type {
  BookingEvent,
  PaymentProvider,
  TicketCheckedIn,
  BookingPhase,
  BookingView as DomainBookingView,
} from '../../domain/ticketed-event/index.js';
import type { StandingRequest } from '../../domain/venue/index.js';
import { LEDGER_RECORD_TYPE, ledgerStep, toLedgerRow, type LedgerBooking } from '../booking-ledger/index.js';
import type { Projection } from '../projector/index.js';

export type TicketView = {
  readonly id: string;
  /** Seated places have a seat id; standing places only a section. */
  readonly seat?: string;
  readonly section: string;
  readonly checkedInAt?: string;
};

/** GET /bookings/:id (the API adds each ticket's signed `code`). */
export type BookingView = Omit<DomainBookingView, 'tickets'> & {
  readonly updatedAt: string;
  readonly checkout?: { readonly provider: PaymentProvider; readonly paymentId: string; readonly url: string; readonly expiresAt: string };
  readonly tickets: readonly TicketView[];
  readonly event?: { readonly name: string; readonly startsAt: string; readonly venueName: string };
};

/** GET /me/tickets item: a ticket of a confirmed booking. */
export type UserTicketView = TicketView & {
  readonly bookingId: string;
  readonly eventId: string;
  readonly issuedAt: string;
  readonly event?: BookingView['event'];
};

export const BOOKINGS_PROJECTION = 'bookings';

// The ledger columns (see booking-ledger.ts) plus what the API shows.
const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS bookings (
  booking_id text PRIMARY KEY,
  event_id text NOT NULL,
  phase text NOT NULL,
  seats text[] NOT NULL,
  standing jsonb NOT NULL,
  places int NOT NULL,
  amount bigint NOT NULL,
  payments jsonb NOT NULL,
  confirmed_payment_id text,
  user_id text NOT NULL,
  currency text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  checkout jsonb,
  tickets jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS bookings_user ON bookings (user_id, created_at DESC, booking_id);
CREATE TABLE IF NOT EXISTS bookings_events (
  event_id text PRIMARY KEY,
  name text NOT NULL,
  starts_at timestamptz NOT NULL,
  venue_name text NOT NULL,
  cancelled boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS booking_tickets (
  ticket_id text PRIMARY KEY,
  booking_id text NOT NULL,
  event_id text NOT NULL,
  user_id text NOT NULL,
  seat text,
  section_id text NOT NULL,
  issued_at timestamptz NOT NULL,
  checked_in_at timestamptz
);
CREATE INDEX IF NOT EXISTS booking_tickets_user ON booking_tickets (user_id, issued_at DESC, ticket_id);
CREATE INDEX IF NOT EXISTS booking_tickets_booking ON booking_tickets (booking_id);`;

type BookingRecord = { -readonly [K in keyof LedgerBooking]: LedgerBooking[K] } & {
  userId: string;
  currency: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  checkout: BookingView['checkout'] | null;
  tickets: TicketView[];
};

const RECORD_COLUMNS = `booking_id, event_id, phase, seats, standing, places, amount::text AS amount, payments, confirmed_payment_id,
  user_id, currency, expires_at, created_at, updated_at, checkout, tickets`;

type RecordRow = Omit<BookingRow, 'event_name' | 'starts_at' | 'venue_name'> & { places: number; payments: LedgerBooking['payments'] };

const fromRecordRow = (r: RecordRow): BookingRecord => ({
  bookingId: r.booking_id,
  eventId: r.event_id,
  phase: r.phase,
  seats: r.seats,
  standing: r.standing,
  places: r.places,
  amount: Number(r.amount),
  payments: r.payments,
  confirmedPaymentId: r.confirmed_payment_id,
  userId: r.user_id,
  currency: r.currency,
  expiresAt: r.expires_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  checkout: r.checkout,
  tickets: r.tickets,
});

/** When the decision behind an event was taken: the booking's updatedAt. */
const atOf = (e: BookingEvent | TicketCheckedIn): string => {
  switch (e.type) {
    case 'SeatsHeld':
      return e.data.heldAt;
    case 'HoldReleased':
      return e.data.releasedAt;
    case 'CheckoutStarted':
      return e.data.startedAt;
    case 'PaymentSucceeded':
      return e.data.paidAt;
    case 'PaymentFailed':
      return e.data.failedAt;
    case 'BookingConfirmed':
      return e.data.confirmedAt;
    case 'RefundRequested':
      return e.data.requestedAt;
    case 'RefundIssued':
      return e.data.refundedAt;
    case 'TicketCheckedIn':
      return e.data.checkedInAt;
    default: {
      const _: never = e;
      return _;
    }
  }
};

const touchesBooking = (e: RecordedEvent): e is RecordedEvent<BookingEvent | TicketCheckedIn> =>
  isBookingEvent(e) || e.type === 'TicketCheckedIn';

/** A whole batch: one read of the bookings it touches, the decider's steps in memory, one write. */
const applyBatch = async (db: pg.PoolClient, events: readonly RecordedEvent[]): Promise<void> => {
  // New events in one statement (a seed schedules thousands per batch), written before any change to them.
  let scheduled: { id: string; name: string; startsAt: string; venue: string }[] = [];
  const insertScheduled = async (): Promise<void> => {
    if (scheduled.length === 0) return;
    const rows = scheduled;
    scheduled = [];
    await db.query(
      `INSERT INTO bookings_events (event_id, name, starts_at, venue_name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) ON CONFLICT (event_id) DO NOTHING`,
      [rows.map((r) => r.id), rows.map((r) => r.name), rows.map((r) => r.startsAt), rows.map((r) => r.venue)],
    );
  };
  for (const recorded of events) {
    if (recorded.type === 'EventScheduled') {
      const d = recorded.data;
      scheduled.push({ id: d.eventId, name: d.name, startsAt: d.startsAt, venue: d.venue.name });
      continue;
    }
    if (recorded.type === 'EventDetailsChanged' || recorded.type === 'EventCancelled') await insertScheduled();
    if (recorded.type === 'EventDetailsChanged') {
      const d = recorded.data;
      await db.query(
        'UPDATE bookings_events SET name = COALESCE($2, name), starts_at = COALESCE($3::timestamptz, starts_at) WHERE event_id = $1',
        [d.eventId, d.changes.name ?? null, d.changes.startsAt ?? null],
      );
    } else if (recorded.type === 'EventCancelled') {
      await db.query('UPDATE bookings_events SET cancelled = true WHERE event_id = $1', [recorded.data.eventId]);
    }
  }
  await insertScheduled();
  const relevant = events.filter(touchesBooking);
  if (relevant.length === 0) return;
  // A booking whose first event here is its SeatsHeld is new (each event reaches a projection once): nothing to read.
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const e of relevant) {
    if (seen.has(e.data.bookingId)) continue;
    seen.add(e.data.bookingId);
    if (e.type !== 'SeatsHeld') ids.push(e.data.bookingId);
  }
  const loaded =
    ids.length === 0
      ? []
      : (await db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM bookings WHERE booking_id = ANY($1::text[])`, [ids])).rows;
  const records = new Map(loaded.map((r) => [r.booking_id, fromRecordRow(r)]));
  // Only a release asks whether its event was cancelled.
  const releasedIn = [...new Set(relevant.flatMap((e) => (e.type === 'HoldReleased' ? [e.data.eventId] : [])))];
  const cancelled = new Set(
    releasedIn.length === 0
      ? []
      : (
          await db.query<{ event_id: string }>('SELECT event_id FROM bookings_events WHERE cancelled AND event_id = ANY($1::text[])', [
            releasedIn,
          ])
        ).rows.map((r) => r.event_id),
  );
  const changed = new Set<string>();
  const newTickets: {
    ticket_id: string;
    booking_id: string;
    event_id: string;
    user_id: string;
    seat: string | null;
    section_id: string;
    issued_at: string;
  }[] = [];
  const checkIns: { ticketId: string; at: string }[] = [];
  for (const e of relevant) {
    const d = e.data;
    const current = records.get(d.bookingId);
    if (e.type === 'TicketCheckedIn') {
      const c = e.data;
      checkIns.push({ ticketId: c.ticketId, at: c.checkedInAt });
      if (!current) continue;
      current.tickets = current.tickets.map((t) => (t.id === c.ticketId && !t.checkedInAt ? { ...t, checkedInAt: c.checkedInAt } : t));
      current.updatedAt = c.checkedInAt;
      changed.add(d.bookingId);
      continue;
    }
    const step = ledgerStep(current, e);
    let next: BookingRecord | undefined = step.next && current ? { ...current, ...step.next } : undefined;
    switch (e.type) {
      case 'SeatsHeld': {
        if (!step.next) break;
        const h = e.data;
        next = {
          ...step.next,
          userId: h.userId,
          currency: h.currency,
          expiresAt: h.expiresAt,
          createdAt: h.heldAt,
          updatedAt: h.heldAt,
          checkout: null,
          tickets: [],
        };
        break;
      }
      case 'HoldReleased':
        if (next && next.phase === 'released' && cancelled.has(d.eventId)) next.phase = 'cancelled';
        break;
      case 'CheckoutStarted': {
        // The decider records the checkout even on a booking that is no longer held.
        const c = e.data;
        if (current)
          next = { ...(next ?? current), checkout: { provider: c.provider, paymentId: c.paymentId, url: c.url, expiresAt: c.expiresAt } };
        break;
      }
      case 'PaymentFailed':
        if (next && current?.phase === 'payment_pending') next.checkout = null;
        break;
      case 'BookingConfirmed': {
        if (!next) break;
        const c = e.data;
        next.tickets = c.tickets.map((t) => ({ id: t.ticketId, ...(t.seat === undefined ? {} : { seat: t.seat }), section: t.sectionId }));
        for (const t of c.tickets)
          newTickets.push({
            ticket_id: t.ticketId,
            booking_id: d.bookingId,
            event_id: c.eventId,
            user_id: c.userId,
            seat: t.seat ?? null,
            section_id: t.sectionId,
            issued_at: c.confirmedAt,
          });
        break;
      }
      default:
        break;
    }
    if (!next) continue;
    next.updatedAt = atOf(e);
    records.set(d.bookingId, next);
    changed.add(d.bookingId);
  }
  const rows = [...changed].flatMap((id) => {
    const r = records.get(id);
    return r
      ? [
          {
            ...toLedgerRow(r),
            user_id: r.userId,
            currency: r.currency,
            expires_at: r.expiresAt,
            created_at: r.createdAt,
            updated_at: r.updatedAt,
            checkout: r.checkout,
            tickets: r.tickets,
          },
        ]
      : [];
  });
  if (rows.length > 0)
    await db.query(
      `INSERT INTO bookings (booking_id, event_id, phase, seats, standing, places, amount, payments, confirmed_payment_id,
         user_id, currency, expires_at, created_at, updated_at, checkout, tickets)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${LEDGER_RECORD_TYPE}, user_id text, currency text, expires_at timestamptz,
         created_at timestamptz, updated_at timestamptz, checkout jsonb, tickets jsonb)
       ON CONFLICT (booking_id) DO UPDATE SET phase = EXCLUDED.phase, payments = EXCLUDED.payments,
         confirmed_payment_id = EXCLUDED.confirmed_payment_id, updated_at = EXCLUDED.updated_at, checkout = EXCLUDED.checkout,
         tickets = EXCLUDED.tickets`,
      [JSON.stringify(rows)],
    );
  if (newTickets.length > 0)
    await db.query(
      `INSERT INTO booking_tickets (ticket_id, booking_id, event_id, user_id, seat, section_id, issued_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id text, booking_id text, event_id text, user_id text, seat text,
         section_id text, issued_at timestamptz)
       ON CONFLICT (ticket_id) DO NOTHING`,
      [JSON.stringify(newTickets)],
    );
  for (const c of checkIns)
    await db.query('UPDATE booking_tickets SET checked_in_at = $2 WHERE ticket_id = $1 AND checked_in_at IS NULL', [c.ticketId, c.at]);
};

/** Bookings and tickets per user, with the statuses of docs/api.md. */
export const bookingsProjection = (): Projection => ({
  name: BOOKINGS_PROJECTION,
  streamPrefixes: ['event-'],
  setup: async (db) => {
    await db.query(SETUP_SQL);
  },
  reset: async (db) => {
    await db.query('TRUNCATE bookings, bookings_events, booking_tickets');
  },
  apply: applyBatch,
});

/** A row of `bookings` joined with its event, as the queries read it. */
export type BookingRow = {
  booking_id: string;
  event_id: string;
  user_id: string;
  phase: BookingPhase;
  seats: string[];
  standing: StandingRequest[];
  amount: string;
  currency: string;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
  confirmed_payment_id: string | null;
  checkout: BookingView['checkout'] | null;
  tickets: TicketView[];
  event_name: string | null;
  starts_at: Date | null;
  venue_name: string | null;
};
