import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  InvalidSignatureError,
  LivemodeMismatchError,
  PaymentNotRecordedError,
  PaymentProviderError,
} from '../../commands/payments/index.js';
import type { Payments, WebhookHandler } from '../../commands/payments/index.js';
import type { TicketCodes } from '../../commands/tickets/index.js';
import type { Ticketing } from '../../commands/ticketing/index.js';
import { DomainError, pget } from '../../domain/shared/index.js';
import { ProblemError, idParams, problemSchema } from '../http/index.js';

/**
 * Payments over HTTP: checkout, Stripe's webhook (raw body on that route
 * only) and check-ins. The composition root (src/runtime/compose/payments.ts)
 * builds the services these routes are given.
 */

const security = [{ bearer: [] }];

export const checkoutSchema = z.object({
  provider: z.enum(['stripe', 'local']),
  paymentId: z.string(),
  url: z.string(),
  expiresAt: z.string(),
});

export const checkInBody = z.strictObject({ code: z.string().min(1).max(1000) });

export const checkInSchema = z.object({
  ticketId: z.string(),
  bookingId: z.string(),
  eventId: z.string(),
  seat: z.string().optional(),
  section: z.string(),
  checkedInAt: z.string(),
});

/** booking id -> its event and owner; undefined when unknown. */
export type LocateBooking = (bookingId: string) => Promise<{ eventId: string; userId: string } | undefined>;

export type PaymentRoutesOptions = {
  readonly payments: Payments;
  readonly webhooks: WebhookHandler;
  readonly ticketing: Ticketing;
  readonly ticketCodes: TicketCodes;
  readonly locate: LocateBooking;
};

const notFound = (what: string) => new ProblemError(404, 'not-found', 'Not found', `no such ${what}`);

const providerProblem = (err: PaymentProviderError) =>
  new ProblemError(502, 'payment-provider-error', 'Payment provider error', err.message);

/** The raw-body webhook route, in its own scope so no other route loses JSON parsing. */
const webhookRoute =
  (webhooks: WebhookHandler): FastifyPluginAsync =>
  async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post(
      '/webhooks/stripe',
      {
        schema: {
          tags: ['payments'],
          summary: "Stripe's webhook (Stripe-Signature verified over the raw body)",
          response: {
            200: z
              .object({ received: z.literal(true), outcome: z.string().optional() })
              .catchall(z.unknown())
              .describe('the event was handled (or was a no-op)'),
            400: problemSchema,
            409: problemSchema,
            502: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const r = await webhooks.handle(request.body as Buffer | undefined, request.headers['stripe-signature']).catch((err: unknown) => {
          if (err instanceof InvalidSignatureError) throw new ProblemError(400, 'invalid-signature', 'Invalid signature', err.message);
          if (err instanceof LivemodeMismatchError) throw new ProblemError(400, 'livemode-mismatch', 'Live mode mismatch', err.message);
          if (err instanceof PaymentNotRecordedError)
            throw new ProblemError(409, 'payment-not-recorded', 'Payment not recorded yet', err.message);
          if (err instanceof PaymentProviderError) throw providerProblem(err);
          throw err;
        });
        request.log.info({ stripeEventId: r.eventId, type: r.type, outcome: r.outcome, bookingId: r.bookingId }, 'stripe webhook');
        return reply.code(200).send({ received: true, ...r });
      },
    );
  };

export const paymentRoutes =
  (opts: PaymentRoutesOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { payments, ticketing, ticketCodes, locate } = opts;

    await app.register(webhookRoute(opts.webhooks));

    app.post(
      '/bookings/:id/checkout',
      {
        schema: {
          tags: ['payments'],
          summary: 'Pay for a held booking: answers where to pay',
          security,
          params: idParams,
          response: { 200: checkoutSchema, 404: problemSchema, 409: problemSchema, 502: problemSchema },
        },
        preHandler: [app.authenticate, app.limitWrites],
      },
      async (request) => {
        const bookingId = request.params.id;
        const found = await locate(bookingId);
        if (!found || found.userId !== request.user.id) throw notFound('booking');
        try {
          return await payments.checkout(found.eventId, bookingId, request.user.id);
        } catch (err) {
          if (err instanceof PaymentProviderError) {
            request.log.warn({ err, bookingId }, 'checkout failed at the payment provider');
            throw providerProblem(err);
          }
          throw err;
        }
      },
    );

    app.post(
      '/events/:id/check-ins',
      {
        schema: {
          tags: ['tickets'],
          summary: "Scan a ticket at the door (the event's organizer)",
          security,
          params: idParams,
          body: checkInBody,
          response: { 200: checkInSchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
        },
        preValidation: app.requireOrganizer,
        preHandler: app.limitWrites,
      },
      async (request) => {
        const eventId = request.params.id;
        const { state } = await ticketing.eventState(eventId, { refresh: true });
        if (!state || state.status !== 'scheduled') throw notFound('event');
        if (state.event.organizerId !== request.user.id) {
          throw new ProblemError(403, 'forbidden', 'Not allowed', 'this event belongs to another organizer');
        }
        const claim = ticketCodes.verify(request.body.code);
        if (!claim) throw new DomainError('invalid-code', 'This code was not issued by Marquee.');
        if (claim.eventId !== eventId) throw new DomainError('invalid-code', 'This ticket is for another event.');
        const entry = pget(state.tickets, claim.ticketId);
        const ticket = entry ? pget(state.bookings, entry.bookingId)?.tickets.find((t) => t.ticketId === claim.ticketId) : undefined;
        if (ticket && claim.place !== '' && claim.place !== (ticket.seat ?? ticket.sectionId)) {
          throw new DomainError('invalid-code', 'This code names another place than its ticket.');
        }
        const r = await ticketing.checkIn(eventId, claim.ticketId, { userId: request.user.id });
        const checked = r.events.find((e) => e.type === 'TicketCheckedIn');
        if (!checked || checked.type !== 'TicketCheckedIn')
          throw new DomainError('already-checked-in', 'This ticket has already been scanned.');
        return {
          ticketId: claim.ticketId,
          bookingId: checked.data.bookingId,
          eventId,
          ...(ticket?.seat !== undefined ? { seat: ticket.seat } : {}),
          section: ticket?.sectionId ?? '',
          checkedInAt: checked.data.checkedInAt,
        };
      },
    );
  };
