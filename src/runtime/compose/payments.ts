import type { FastifyPluginAsync } from 'fastify';
import type { EventStore } from '../../commands/event-store/index.js';
import {
  createPayments,
  createWebhookHandler,
  localPaymentPort,
  startRefundProcessor,
  stripePaymentPort,
} from '../../commands/payments/index.js';
import type {
  DeliverWebhook,
  PaymentPort,
  Payments,
  RefundProcessor,
  StripePortOptions,
  WebhookHandler,
} from '../../commands/payments/index.js';
import type { Log } from '../../commands/platform/index.js';
import { createTicketCodes } from '../../commands/tickets/index.js';
import type { TicketCodes } from '../../commands/tickets/index.js';
import type { Ticketing } from '../../commands/ticketing/index.js';
import { pget } from '../../domain/shared/index.js';
import type { TicketCode } from '../../api/bookings/index.js';
import type { ReadModels } from '../../api/http/index.js';
import { payPage, paymentRoutes } from '../../api/payments/index.js';
import type { LocalPayPort, LocateBooking } from '../../api/payments/index.js';

/**
 * Payments, wired from the configuration: Stripe with STRIPE_SECRET_KEY, else
 * the local provider (whose pay page sends Stripe-format, signed webhooks to
 * the same handler); the webhook handler, the payment service, ticket codes,
 * the refund processor, and the routes that use them.
 */

/** Where a generated webhook secret is kept in DATA_DIR/secrets when STRIPE_WEBHOOK_SECRET is unset. */
export const WEBHOOK_SECRET_NAME = 'stripe-webhook-secret';

/** STRIPE_WEBHOOK_SECRET may list several secrets, comma-separated, while one is being rotated. */
export const webhookSecretsFrom = (configured: string | undefined, generated: () => Promise<string>): Promise<string[]> =>
  configured
    ? Promise.resolve(
        configured
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      )
    : generated().then((g) => [`whsec_${g}`]);

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
  readonly log: Pick<Log, 'warn' | 'info' | 'debug'>;
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
