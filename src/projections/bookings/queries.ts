import { phaseStatus } from '../../domain/ticketed-event/index.js';
import type { Page } from '../catalogue/index.js';
import type { Queryable } from '../projector/index.js';
import type { BookingRow, BookingView, UserTicketView } from './bookings.js';

/** The bookings read model's queries: GET /bookings/:id, /me/bookings, /me/tickets. */

const BOOKING_SELECT = `SELECT b.*, e.name AS event_name, e.starts_at, e.venue_name FROM bookings b LEFT JOIN bookings_events e ON e.event_id = b.event_id`;

const toView = (r: BookingRow, now: Date): BookingView => {
  const paymentId = r.confirmed_payment_id ?? r.checkout?.paymentId;
  return {
    id: r.booking_id,
    eventId: r.event_id,
    userId: r.user_id,
    status: phaseStatus(r.phase, r.expires_at.getTime(), now.getTime()),
    seats: r.seats,
    standing: r.standing,
    amount: Number(r.amount),
    currency: r.currency,
    expiresAt: r.expires_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    ...(paymentId ? { paymentId } : {}),
    ...(r.checkout ? { checkout: r.checkout } : {}),
    tickets: r.tickets,
    ...(r.event_name !== null && r.starts_at && r.venue_name !== null
      ? { event: { name: r.event_name, startsAt: r.starts_at.toISOString(), venueName: r.venue_name } }
      : {}),
  };
};

/** Undefined when unknown; the API answers 404 as well when `userId` is not the caller. */
export const getBooking = async (db: Queryable, bookingId: string, now: Date = new Date()): Promise<BookingView | undefined> => {
  const r = await db.query<BookingRow>(`${BOOKING_SELECT} WHERE b.booking_id = $1`, [bookingId]);
  const row = r.rows[0];
  return row ? toView(row, now) : undefined;
};

/** GET /me/bookings: newest first. */
export const listBookingsForUser = async (
  db: Queryable,
  userId: string,
  page: number,
  pageSize: number,
  now: Date = new Date(),
): Promise<Page<BookingView>> => {
  const rows = await db.query<BookingRow>(
    `${BOOKING_SELECT} WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.booking_id LIMIT $2 OFFSET $3`,
    [userId, pageSize, (page - 1) * pageSize],
  );
  const count = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM bookings WHERE user_id = $1', [userId]);
  return { items: rows.rows.map((row) => toView(row, now)), page, pageSize, total: Number(count.rows[0]?.n ?? 0) };
};

/** GET /me/tickets: tickets of the user's confirmed bookings, newest first. */
export const listTicketsForUser = async (db: Queryable, userId: string, page: number, pageSize: number): Promise<Page<UserTicketView>> => {
  const where = `t.user_id = $1 AND b.phase = 'confirmed'`;
  const rows = await db.query<{
    ticket_id: string;
    booking_id: string;
    event_id: string;
    seat: string | null;
    section_id: string;
    issued_at: Date;
    checked_in_at: Date | null;
    event_name: string | null;
    starts_at: Date | null;
    venue_name: string | null;
  }>(
    `SELECT t.*, e.name AS event_name, e.starts_at, e.venue_name FROM booking_tickets t
       JOIN bookings b ON b.booking_id = t.booking_id LEFT JOIN bookings_events e ON e.event_id = t.event_id
       WHERE ${where} ORDER BY t.issued_at DESC, t.ticket_id LIMIT $2 OFFSET $3`,
    [userId, pageSize, (page - 1) * pageSize],
  );
  const count = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM booking_tickets t JOIN bookings b ON b.booking_id = t.booking_id WHERE ${where}`,
    [userId],
  );
  return {
    items: rows.rows.map((r) => ({
      id: r.ticket_id,
      bookingId: r.booking_id,
      eventId: r.event_id,
      ...(r.seat === null ? {} : { seat: r.seat }),
      section: r.section_id,
      issuedAt: r.issued_at.toISOString(),
      ...(r.checked_in_at ? { checkedInAt: r.checked_in_at.toISOString() } : {}),
      ...(r.event_name !== null && r.starts_at && r.venue_name !== null
        ? { event: { name: r.event_name, startsAt: r.starts_at.toISOString(), venueName: r.venue_name } }
        : {}),
    })),
    page,
    pageSize,
    total: Number(count.rows[0]?.n ?? 0),
  };
};
