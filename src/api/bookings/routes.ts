import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BookingView } from '../../domain/ticketed-event/index.js';
import type { Admission, ApiBooking, Metrics, ReadModels, TicketingPort } from '../http/index.js';
import { notFound } from '../catalogue/index.js';
import {
  ProblemError,
  bookingSchema,
  holdBody,
  idParams,
  idempotencyHeaders,
  myTicketSchema,
  page,
  pageQuery,
  problemSchema,
  toProblem,
} from '../http/index.js';

const security = [{ bearer: [] }];

/** Signs a ticket's scannable code; `place` is the seat id, or the section for a standing place. */
export type TicketCode = (eventId: string, ticketId: string, place?: string) => string;

/** A booking as the event's writer sees it, in the API's terms. */
export const fromWriter = (b: BookingView): ApiBooking => ({
  id: b.id,
  eventId: b.eventId,
  userId: b.userId,
  status: b.status,
  seats: b.seats,
  standing: b.standing,
  amount: b.amount,
  currency: b.currency,
  expiresAt: b.expiresAt,
  createdAt: b.createdAt,
  ...(b.paymentId !== undefined ? { paymentId: b.paymentId } : {}),
  tickets: b.tickets.map((t) => ({ id: t.ticketId, section: t.sectionId, ...(t.seat !== undefined ? { seat: t.seat } : {}) })),
});

/** Adds each ticket's scannable `code` when a signer is given. */
export const bookingResponse = (b: ApiBooking, ticketCode?: TicketCode) =>
  ticketCode && b.tickets.length > 0
    ? { ...b, tickets: b.tickets.map((t) => ({ ...t, code: ticketCode(b.eventId, t.id, t.seat ?? t.section) })) }
    : b;

/**
 * booking id -> event (and owner) for bookings this process made or touched, so
 * they are answered from the event's writer right away (read-your-writes). A
 * cache only: the bookings read model is the source for everything else.
 */
export const createBookingDirectory = (capacity = 200_000) => {
  const map = new Map<string, { eventId: string; userId: string }>();
  return {
    remember(b: { id: string; eventId: string; userId: string }): void {
      map.delete(b.id);
      map.set(b.id, { eventId: b.eventId, userId: b.userId });
      if (map.size > capacity) map.delete(map.keys().next().value!);
    },
    lookup: (id: string) => map.get(id),
  };
};
export type BookingDirectory = ReturnType<typeof createBookingDirectory>;

export type BookingRoutesOptions = {
  readonly ticketing: TicketingPort;
  readonly reads: ReadModels;
  readonly metrics: Metrics;
  readonly admission?: Admission | undefined;
  readonly directory: BookingDirectory;
  readonly ticketCode?: TicketCode | undefined;
};

export const bookingRoutes: FastifyPluginAsyncZod<BookingRoutesOptions> = async (app, opts) => {
  const { ticketing, reads, metrics, admission, directory, ticketCode } = opts;

  /** The caller's booking, freshest source first; another user's booking is reported as missing. */
  const findOwn = async (bookingId: string, userId: string): Promise<ApiBooking | undefined> => {
    const known = directory.lookup(bookingId);
    if (known) {
      if (known.userId !== userId) return undefined;
      const b = await ticketing.getBooking(known.eventId, bookingId);
      if (b) return fromWriter(b);
    }
    const projected = await reads.getBooking(bookingId);
    return projected && projected.userId === userId ? projected : undefined;
  };

  app.post(
    '/events/:id/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Hold seats (all or nothing)',
        security,
        params: idParams,
        headers: idempotencyHeaders,
        body: holdBody,
        response: {
          201: bookingSchema,
          400: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
          422: problemSchema,
        },
      },
      preHandler: [app.authenticate, app.limitWrites],
    },
    async (request, reply) => {
      const eventId = request.params.id;
      const hold = async (): Promise<BookingView> => {
        if (admission) await admission.check(request, eventId);
        const key = request.headers['idempotency-key'];
        return ticketing.hold({
          eventId,
          userId: request.user.id,
          seats: request.body.seats,
          standing: request.body.standing,
          best: request.body.best,
          ...(key !== undefined ? { idempotencyKey: key } : {}),
        });
      };
      const booking = await hold().catch((err: unknown) => {
        const p = toProblem(err);
        metrics.holds.inc({ outcome: p?.type ?? 'error' });
        if (p?.status === 409) metrics.conflicts.inc({ reason: p.type });
        throw p ?? err;
      });
      directory.remember(booking);
      metrics.holds.inc({ outcome: 'held' });
      return reply
        .code(201)
        .header('location', `/bookings/${booking.id}`)
        .send(bookingResponse(fromWriter(booking), ticketCode));
    },
  );

  app.delete(
    '/bookings/:id',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Release a hold',
        security,
        params: idParams,
        response: { 200: bookingSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: [app.authenticate, app.limitWrites],
    },
    async (request) => {
      const own = await findOwn(request.params.id, request.user.id);
      if (!own) throw notFound('booking');
      if (own.status !== 'held')
        throw new ProblemError(409, 'invalid-state', 'Invalid state', `the booking is ${own.status}; only a held booking can be released`);
      const released = await ticketing.release(own.eventId, own.id, request.user.id);
      directory.remember(released);
      metrics.bookings.inc({ action: 'released' });
      return bookingResponse(fromWriter(released), ticketCode);
    },
  );

  app.get(
    '/bookings/:id',
    {
      schema: {
        tags: ['bookings'],
        summary: 'One of my bookings',
        security,
        params: idParams,
        response: { 200: bookingSchema, 404: problemSchema },
      },
      preHandler: app.authenticate,
    },
    async (request) => {
      const own = await findOwn(request.params.id, request.user.id);
      if (!own) throw notFound('booking');
      return bookingResponse(own, ticketCode);
    },
  );

  app.get(
    '/me/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary: 'My bookings, newest first',
        security,
        querystring: pageQuery,
        response: { 200: page(bookingSchema) },
      },
      preHandler: app.authenticate,
    },
    async (request) => {
      const { page: p, pageSize } = request.query;
      const r = await reads.listBookingsForUser(request.user.id, { page: p, pageSize });
      return { items: r.items.map((b) => bookingResponse(b, ticketCode)), page: p, pageSize, total: r.total };
    },
  );

  app.get(
    '/me/tickets',
    {
      schema: {
        tags: ['bookings'],
        summary: 'My tickets, newest first',
        security,
        querystring: pageQuery,
        response: { 200: page(myTicketSchema) },
      },
      preHandler: app.authenticate,
    },
    async (request) => {
      const { page: p, pageSize } = request.query;
      const r = await reads.listTicketsForUser(request.user.id, { page: p, pageSize });
      const items = ticketCode ? r.items.map((t) => ({ ...t, code: ticketCode(t.eventId, t.id, t.seat ?? t.section) })) : r.items;
      return { items, page: p, pageSize, total: r.total };
    },
  );
};
