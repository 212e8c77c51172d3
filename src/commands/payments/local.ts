import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Stripe from 'stripe';
import type { Booking } from '../../domain/ticketed-event/index.js';
import { isUuid } from '../platform/index.js';
import type { CheckoutRequest, CheckoutSession, PaymentPort, SessionStatus } from './port.js';

/**
 * The local provider (the default without STRIPE_SECRET_KEY): the checkout url
 * is Marquee's own pay page, and everything that happens there (Pay, Decline,
 * a refund) becomes a Stripe-format event signed with the webhook secret and
 * handed to the very webhook handler Stripe's deliveries go through. It keeps
 * no state of its own: a session id names its booking, and the booking's
 * stream says what became of it.
 */

export type DeliverWebhook = (payload: string, signature: string) => Promise<unknown>;

export type LocalPortOptions = {
  readonly publicUrl: string;
  /** Signs the events (the first STRIPE_WEBHOOK_SECRET) and tags session ids. */
  readonly webhookSecret: string;
  /** The webhook handler; set after construction because the handler needs the port too. */
  readonly deliver: () => DeliverWebhook;
  /** The booking as its event stream has it. */
  readonly booking: (eventId: string, bookingId: string) => Promise<Booking | undefined>;
  readonly now?: () => Date;
};

const SESSION_PREFIX = 'cs_local_';
const TAG_HEX = 16;
/** Packing reads the id's hex digits as written: lower case only. */
const isPackable = (id: string): boolean => isUuid(id) && id === id.toLowerCase();

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string): string => Buffer.from(s, 'base64url').toString('utf8');
const shortHash = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

export type LocalSessionRef = { readonly eventId: string; readonly bookingId: string };

const sessionTag = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(`marquee local checkout ${body}`).digest('hex').slice(0, TAG_HEX);

// Two UUIDs pack into 43 characters, keeping the id (a path parameter) well under the router's 100-character limit.
const packIds = (eventId: string, bookingId: string): string =>
  isPackable(eventId) && isPackable(bookingId)
    ? `u${Buffer.from((eventId + bookingId).replace(/-/g, ''), 'hex').toString('base64url')}`
    : `t${b64(`${eventId}\n${bookingId}`)}`;

const uuidOf = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

const unpackIds = (body: string): LocalSessionRef | undefined => {
  if (body.startsWith('u')) {
    const hex = Buffer.from(body.slice(1), 'base64url').toString('hex');
    return hex.length === 64 ? { eventId: uuidOf(hex.slice(0, 32)), bookingId: uuidOf(hex.slice(32)) } : undefined;
  }
  if (!body.startsWith('t')) return undefined;
  const [eventId, bookingId, extra] = unb64(body.slice(1)).split('\n');
  return eventId && bookingId && extra === undefined ? { eventId, bookingId } : undefined;
};

/** One session id per booking, so a retried checkout answers the same session. */
export const localSessionId = (secret: string, eventId: string, bookingId: string): string => {
  const body = packIds(eventId, bookingId);
  return `${SESSION_PREFIX}${sessionTag(secret, body)}${body}`;
};

/** The booking a local session id names, or undefined for an id this server did not make. */
export const parseLocalSessionId = (secret: string, sessionId: string): LocalSessionRef | undefined => {
  if (!sessionId.startsWith(SESSION_PREFIX) || sessionId.length > 600) return undefined;
  const rest = sessionId.slice(SESSION_PREFIX.length);
  const tag = rest.slice(0, TAG_HEX);
  const body = rest.slice(TAG_HEX);
  const expected = sessionTag(secret, body);
  if (tag.length !== TAG_HEX || !timingSafeEqual(Buffer.from(tag), Buffer.from(expected))) return undefined;
  return unpackIds(body);
};

export type LocalCheckoutOutcome = 'paid' | 'declined';

export type StripeFormatEvent = {
  readonly id: string;
  readonly object: 'event';
  readonly api_version: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly pending_webhooks: number;
  readonly request: { readonly id: null; readonly idempotency_key: null };
  readonly type: string;
  readonly data: { readonly object: Record<string, unknown> };
};

export const stripeFormatEvent = (
  id: string,
  type: string,
  object: Record<string, unknown>,
  now: Date,
  livemode = false,
): StripeFormatEvent => ({
  id,
  object: 'event',
  api_version: Stripe.API_VERSION,
  created: Math.floor(now.getTime() / 1000),
  livemode,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
  data: { object },
});

export type SessionFacts = {
  readonly sessionId: string;
  readonly eventId: string;
  readonly bookingId: string;
  readonly amount: number;
  readonly currency: string;
};

/** A checkout.session object as Stripe sends it, with the fields Marquee reads. */
export const checkoutSessionObject = (
  s: SessionFacts,
  status: 'open' | 'complete' | 'expired',
  paymentStatus: 'paid' | 'unpaid',
  now: Date,
): Record<string, unknown> => ({
  id: s.sessionId,
  object: 'checkout.session',
  mode: 'payment',
  status,
  payment_status: paymentStatus,
  amount_total: s.amount,
  amount_subtotal: s.amount,
  currency: s.currency.toLowerCase(),
  client_reference_id: s.bookingId,
  metadata: { bookingId: s.bookingId, eventId: s.eventId },
  payment_intent: `pi_local_${shortHash('pi', s.sessionId)}`,
  livemode: false,
  created: Math.floor(now.getTime() / 1000),
  expires_at: Math.floor(now.getTime() / 1000) + 1800,
  url: null,
});

/** The event the pay page sends for a button press. A fresh id each time: pressing Pay twice still pays once (the payment id is the session). */
export const localCheckoutEvent = (s: SessionFacts, outcome: LocalCheckoutOutcome, now: Date): StripeFormatEvent =>
  stripeFormatEvent(
    `evt_local_${randomBytes(12).toString('hex')}`,
    outcome === 'paid' ? 'checkout.session.completed' : 'checkout.session.async_payment_failed',
    checkoutSessionObject(s, 'complete', outcome === 'paid' ? 'paid' : 'unpaid', now),
    now,
  );

export type RefundFacts = SessionFacts & { readonly reason: string };

/** charge.refunded for a local refund; ids derive from booking and payment, so a repeated refund is the same event. */
export const localRefundEvent = (r: RefundFacts, now: Date): { event: StripeFormatEvent; refundId: string } => {
  const key = shortHash('refund', r.bookingId, r.sessionId);
  const refundId = `re_local_${key}`;
  const currency = r.currency.toLowerCase();
  const charge = {
    id: `ch_local_${shortHash('charge', r.sessionId)}`,
    object: 'charge',
    amount: r.amount,
    amount_captured: r.amount,
    amount_refunded: r.amount,
    currency,
    captured: true,
    paid: true,
    refunded: true,
    status: 'succeeded',
    livemode: false,
    payment_intent: `pi_local_${shortHash('pi', r.sessionId)}`,
    metadata: { bookingId: r.bookingId, eventId: r.eventId, paymentId: r.sessionId },
    refunds: {
      object: 'list',
      has_more: false,
      data: [
        {
          id: refundId,
          object: 'refund',
          amount: r.amount,
          currency,
          status: 'succeeded',
          created: Math.floor(now.getTime() / 1000),
          metadata: { bookingId: r.bookingId, eventId: r.eventId, paymentId: r.sessionId, reason: r.reason },
        },
      ],
    },
  };
  return { event: stripeFormatEvent(`evt_local_${key}`, 'charge.refunded', charge, now), refundId };
};

/** The payload and Stripe-Signature header for an event, as Stripe would send them. */
export const signedDelivery = (event: unknown, secret: string, timestamp?: number): { payload: string; signature: string } => {
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined ? { timestamp } : {}) });
  return { payload, signature };
};

export const localPaymentPort = (
  options: LocalPortOptions,
): PaymentPort & {
  /** Pay or Decline pressed on the pay page: the signed event goes through the webhook handler. */
  press(sessionId: string, outcome: LocalCheckoutOutcome): Promise<unknown>;
  parseSession(sessionId: string): LocalSessionRef | undefined;
} => {
  const now = options.now ?? (() => new Date());
  const base = options.publicUrl.replace(/\/$/, '');
  const secret = options.webhookSecret;

  const facts = async (sessionId: string): Promise<{ facts: SessionFacts; booking: Booking } | undefined> => {
    const ref = parseLocalSessionId(secret, sessionId);
    if (!ref) return undefined;
    const booking = await options.booking(ref.eventId, ref.bookingId);
    if (!booking) return undefined;
    return {
      facts: { sessionId, eventId: ref.eventId, bookingId: ref.bookingId, amount: booking.amount, currency: booking.currency },
      booking,
    };
  };

  const statusOf = (sessionId: string, b: Booking): SessionStatus => {
    const paid = b.payments.find((p) => p.paymentId === sessionId);
    if (paid) return { state: 'paid', amount: paid.amount, currency: paid.currency };
    // The pay page takes payment only while the hold is live, so that is when the session is open.
    if (b.phase === 'payment_pending' && b.checkout?.paymentId === sessionId) {
      return b.expiresAtMs <= now().getTime() ? { state: 'expired' } : { state: 'open' };
    }
    if (b.phase === 'held') return { state: 'unpaid' };
    return { state: 'expired' };
  };

  const retrieveSession = async (sessionId: string): Promise<SessionStatus> => {
    const found = await facts(sessionId);
    return found ? statusOf(sessionId, found.booking) : { state: 'expired' };
  };

  const deliver = async (event: StripeFormatEvent): Promise<unknown> => {
    const { payload, signature } = signedDelivery(event, secret);
    return options.deliver()(payload, signature);
  };

  return {
    provider: 'local',
    livemode: false,

    async createCheckout(r: CheckoutRequest): Promise<CheckoutSession> {
      const paymentId = localSessionId(secret, r.eventId, r.bookingId);
      return { provider: 'local', paymentId, url: `${base}/pay/${paymentId}`, expiresAt: r.expiresAt.toISOString() };
    },

    retrieveSession,

    // Nothing to stop remotely: the pay page refuses once the hold has lapsed.
    async expireSession(sessionId) {
      const found = await retrieveSession(sessionId);
      return found.state === 'open' ? { state: 'expired' } : found;
    },

    async refund(r) {
      const { event, refundId } = localRefundEvent(
        { sessionId: r.paymentId, eventId: r.eventId, bookingId: r.bookingId, amount: r.amount, currency: r.currency, reason: r.reason },
        now(),
      );
      await deliver(event);
      return { refundId };
    },

    async findCheckoutByPaymentIntent() {
      return undefined;
    },

    parseSession: (sessionId) => parseLocalSessionId(secret, sessionId),

    async press(sessionId, outcome) {
      const found = await facts(sessionId);
      if (!found) throw new Error(`no local checkout session ${sessionId}`);
      return deliver(localCheckoutEvent(found.facts, outcome, now()));
    },
  };
};
