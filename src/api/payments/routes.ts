import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventStore } from '../../commands/event-store/index.js';
import { localPaymentPort } from '../../commands/payments/index.js';
import type { DeliverWebhook } from '../../commands/payments/index.js';
import { PaymentProviderError } from '../../commands/payments/index.js';
import type { PaymentPort } from '../../commands/payments/index.js';
import { startRefundProcessor } from '../../commands/payments/index.js';
import type { RefundProcessor } from '../../commands/payments/index.js';
import { createPayments } from '../../commands/payments/index.js';
import type { Payments } from '../../commands/payments/index.js';
import { stripePaymentPort } from '../../commands/payments/index.js';
import type { StripePortOptions } from '../../commands/payments/index.js';
import { createWebhookHandler, InvalidSignatureError, LivemodeMismatchError, PaymentNotRecordedError } from '../../commands/payments/index.js';
import type { WebhookHandler } from '../../commands/payments/index.js';
import { createTicketCodes } from '../../commands/tickets/index.js';
import type { TicketCodes } from '../../commands/tickets/index.js';
import type { Ticketing } from '../../commands/ticketing/index.js';
import { DomainError } from '../../domain/shared/index.js';
import { pget } from '../../domain/shared/index.js';
import type { TicketCode } from '../bookings/index.js';
import { payPage } from './pay-page.js';
import type { LocalPayPort } from './pay-page.js';
import type { ReadModels } from '../http/index.js';
import { ProblemError } from '../http/index.js';
import { idParams, problemSchema } from '../http/index.js';

/**
 * Payments over HTTP: checkout, Stripe's webhook (raw body on that route
 * only), check-ins, and the local provider's pay page; plus `wirePayments`,
 * which the composition root calls to build all of it from the configuration.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

/** Where a generated webhook secret is kept in DATA_DIR/secrets when STRIPE_WEBHOOK_SECRET is unset. */
export const WEBHOOK_SECRET_NAME = 'stripe-webhook-secret';

/** STRIPE_WEBHOOK_SECRET may list several secrets, comma-separated, while one is being rotated. */
export const webhookSecretsFrom = (configured: string | undefined, generated: () => Promise<string>): Promise<string[]> =>
  configured ? Promise.resolve(configured.split(',').map((s) => s.trim()).filter((s) => s !== '')) : generated().then((g) => [`whsec_${g}`]);

/** booking id -> its event and owner; undefined when unknown. */
export type LocateBooking = (bookingId: string) => Promise<{ eventId: string; userId: string } | undefined>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** From the bookings read model, which may trail a hold by a moment: looks again for a little while. */
export const locateInReadModel =
  (reads: ReadModels, waitMs = 3000): LocateBooking =>
  async (bookingId) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const b = await reads.getBooking(bookingId);
      if (b) return { eventId: b.eventId, userId: b.userId };
      if (Date.now() >= deadline) return undefined;
      await sleep(50);
    }
  };

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
      { schema: { tags: ['payments'], summary: "Stripe's webhook (Stripe-Signature verified over the raw body)" } },
      async (request, reply) => {
        try {
          const r = await webhooks.handle(request.body as Buffer | undefined, request.headers['stripe-signature']);
          request.log.info({ stripeEventId: r.eventId, type: r.type, outcome: r.outcome, bookingId: r.bookingId }, 'stripe webhook');
          return reply.code(200).send({ received: true, ...r });
        } catch (err) {
          if (err instanceof InvalidSignatureError) throw new ProblemError(400, 'invalid-signature', 'Invalid signature', err.message);
          if (err instanceof LivemodeMismatchError) throw new ProblemError(400, 'livemode-mismatch', 'Live mode mismatch', err.message);
          if (err instanceof PaymentNotRecordedError) throw new ProblemError(409, 'payment-not-recorded', 'Payment not recorded yet', err.message);
          if (err instanceof PaymentProviderError) throw providerProblem(err);
          throw err;
        }
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
        const found = UUID.test(bookingId) ? await locate(bookingId) : undefined;
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
        preHandler: [app.requireOrganizer, app.limitWrites],
      },
      async (request) => {
        const eventId = request.params.id;
        const { state } = UUID.test(eventId) ? await ticketing.eventState(eventId, { refresh: true }) : { state: undefined };
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
        if (!checked || checked.type !== 'TicketCheckedIn') throw new DomainError('already-checked-in', 'This ticket has already been scanned.');
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

type Log = {
  readonly warn: (obj: object, msg: string) => void;
  readonly info: (obj: object, msg: string) => void;
  readonly debug: (obj: object, msg: string) => void;
};

export type WirePaymentsDeps = {
  readonly config: { readonly PUBLIC_URL: string; readonly STRIPE_SECRET_KEY?: string | undefined };
  /** STRIPE_WEBHOOK_SECRET split on commas (rotation), or the secret generated in DATA_DIR. The first signs local events. */
  readonly webhookSecrets: readonly string[];
  /** Signs ticket codes (at least 16 bytes), kept like the JWT secret. */
  readonly ticketCodeKey: string;
  readonly ticketing: Ticketing;
  /** The log the refund processor follows (or pass it to startRefunds). */
  readonly store?: EventStore;
  /** Finds a booking's event for checkout (the bookings read model); or pass `locate`. */
  readonly reads?: ReadModels;
  readonly log: Log;
  /** Where the Stripe API lives (tests); Stripe's own by default. */
  readonly stripe?: Pick<StripePortOptions, 'host' | 'port' | 'protocol' | 'maxNetworkRetries'>;
  readonly locate?: LocateBooking;
  readonly now?: () => Date;
  readonly refundRetryMs?: number;
};

export type PaymentsWiring = {
  readonly port: PaymentPort;
  readonly payments: Payments;
  readonly webhooks: WebhookHandler;
  readonly ticketCodes: TicketCodes;
  /** For AppDeps.ticketCode: tickets in booking answers carry their code. */
  readonly ticketCode: TicketCode;
  /** Routes and pay page, for AppDeps.plugins. */
  readonly plugin: FastifyPluginAsync;
  /** The hold sweeper's expire callback. */
  readonly expireHold: (eventId: string, bookingId: string, now: Date) => Promise<void>;
  /** Starts the refund processor (processes that run the sweeper). */
  startRefunds(store?: EventStore): RefundProcessor;
  close(): Promise<void>;
};

export const wirePayments = (deps: WirePaymentsDeps): PaymentsWiring => {
  const secrets = deps.webhookSecrets.map((s) => s.trim()).filter((s) => s !== '');
  const signing = secrets[0];
  if (signing === undefined) throw new Error('payments need a webhook signing secret (STRIPE_WEBHOOK_SECRET or one generated in DATA_DIR)');
  const key = deps.config.STRIPE_SECRET_KEY;

  // The local provider delivers through the webhook handler, which is built after it.
  const late: { deliver?: DeliverWebhook } = {};
  let localPay: LocalPayPort | undefined;
  let port: PaymentPort;
  if (key) {
    port = stripePaymentPort({ secretKey: key, publicUrl: deps.config.PUBLIC_URL, ...deps.stripe });
  } else {
    const local = localPaymentPort({
      publicUrl: deps.config.PUBLIC_URL,
      webhookSecret: signing,
      deliver: () => {
        if (!late.deliver) throw new Error('the webhook handler is not wired yet');
        return late.deliver;
      },
      booking: async (eventId, bookingId) => {
        const { state } = await deps.ticketing.eventState(eventId, { refresh: true });
        return state.status === 'scheduled' ? pget(state.bookings, bookingId) : undefined;
      },
      ...(deps.now ? { now: deps.now } : {}),
    });
    port = local;
    localPay = local;
  }

  const webhooks = createWebhookHandler({ secrets, livemode: port.livemode, ticketing: deps.ticketing, port: () => port, log: deps.log });
  late.deliver = (payload, signature) => webhooks.handle(payload, signature);
  const payments = createPayments({ ticketing: deps.ticketing, port, ...(deps.now ? { now: deps.now } : {}) });
  const ticketCodes = createTicketCodes(deps.ticketCodeKey);
  const reads = deps.reads;
  const locate: LocateBooking = deps.locate ?? (reads ? locateInReadModel(reads) : async () => undefined);
  const routes = paymentRoutes({ payments, webhooks, ticketing: deps.ticketing, ticketCodes, locate });
  const pages = payPage({
    ...(localPay ? { port: localPay } : {}),
    ticketing: deps.ticketing,
    publicUrl: deps.config.PUBLIC_URL,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const processors: RefundProcessor[] = [];

  return {
    port,
    payments,
    webhooks,
    ticketCodes,
    ticketCode: (eventId, ticketId, place?: string) => ticketCodes.sign(eventId, ticketId, place),
    plugin: async (app) => {
      await app.register(routes);
      await app.register(pages);
    },
    expireHold: (eventId, bookingId, now) => payments.expireHold(eventId, bookingId, now),
    startRefunds(store) {
      const log = store ?? deps.store;
      if (!log) throw new Error('the refund processor needs the event store');
      const p = startRefundProcessor({
        store: log,
        ticketing: deps.ticketing,
        port,
        log: deps.log,
        ...(deps.refundRetryMs !== undefined ? { retryMs: deps.refundRetryMs } : {}),
      });
      processors.push(p);
      return p;
    },
    async close() {
      await Promise.all(processors.splice(0).map((p) => p.stop()));
    },
  };
};
