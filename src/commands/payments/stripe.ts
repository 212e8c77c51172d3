import Stripe from 'stripe';
import type { CheckoutRef, CheckoutRequest, CheckoutSession, PaymentPort, RefundRequest, SessionStatus } from './port.js';
import { PaymentProviderError, checkoutIdempotencyKey, refundIdempotencyKey } from './port.js';

/**
 * The Stripe adapter: Checkout Sessions for payment, the Refunds API for money
 * back. Every POST carries an idempotency key derived from the booking, so a
 * retried checkout or refund never makes a second one.
 */

export type StripePortOptions = {
  readonly secretKey: string;
  /** Base of the success and cancel URLs. */
  readonly publicUrl: string;
  /** Where the API lives; tests point it at a local server. Default: Stripe's API over HTTPS. */
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  readonly maxNetworkRetries?: number;
  readonly timeoutMs?: number;
};

/** sk_live_/rk_live_ keys make live-mode objects and events; anything else is test mode. */
export const isLiveKey = (secretKey: string): boolean => /^(sk|rk)_live_/.test(secretKey);

const MAX_SESSION_CHAIN = 8;

const statusOf = (s: Stripe.Checkout.Session): SessionStatus => {
  if (s.status === 'expired') return { state: 'expired' };
  if (s.status === 'complete') {
    return s.payment_status === 'paid' || s.payment_status === 'no_payment_required'
      ? { state: 'paid', amount: s.amount_total ?? 0, currency: (s.currency ?? '').toUpperCase() }
      : { state: 'unpaid' };
  }
  return { state: 'open' };
};

const idOf = (v: string | { id: string } | null): string | undefined => (v === null ? undefined : typeof v === 'string' ? v : v.id);

const providerError = (what: string, err: unknown): PaymentProviderError =>
  new PaymentProviderError(`Stripe ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });

export const stripePaymentPort = (options: StripePortOptions): PaymentPort => {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
  });
  const base = options.publicUrl.replace(/\/$/, '');

  const paramsFor = (r: CheckoutRequest): Stripe.Checkout.SessionCreateParams => {
    const currency = r.currency.toLowerCase();
    const booking = encodeURIComponent(r.bookingId);
    return {
      mode: 'payment',
      line_items: r.lineItems.map((li) => ({
        quantity: li.quantity,
        price_data: { currency, unit_amount: li.unitAmount, product_data: { name: li.name } },
      })),
      client_reference_id: r.bookingId,
      metadata: { bookingId: r.bookingId, eventId: r.eventId },
      payment_intent_data: { metadata: { bookingId: r.bookingId, eventId: r.eventId }, description: r.description },
      expires_at: Math.floor(r.expiresAt.getTime() / 1000),
      // {CHECKOUT_SESSION_ID} is filled in by Stripe, so it stays unencoded.
      success_url: `${base}/pay/return?booking=${booking}&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}/pay/return?booking=${booking}&cancelled=1`,
    };
  };

  const retrieve = async (paymentId: string): Promise<Stripe.Checkout.Session> => {
    try {
      return await stripe.checkout.sessions.retrieve(paymentId);
    } catch (err) {
      throw providerError('retrieving a Checkout Session', err);
    }
  };

  return {
    provider: 'stripe',
    livemode: isLiveKey(options.secretKey),

    async createCheckout(request): Promise<CheckoutSession> {
      const params = paramsFor(request);
      let key = checkoutIdempotencyKey(request.bookingId);
      // A replayed key answers the session it first made; once that one is finished
      // (a failed delayed payment sends the buyer back to checkout) the next key is chained on its id.
      for (let i = 0; i < MAX_SESSION_CHAIN; i++) {
        let session: Stripe.Response<Stripe.Checkout.Session>;
        try {
          session = await stripe.checkout.sessions.create(params, { idempotencyKey: key });
        } catch (err) {
          throw providerError('creating a Checkout Session', err);
        }
        const replayed = session.lastResponse?.headers?.['idempotent-replayed'] === 'true';
        const current = replayed ? await retrieve(session.id) : session;
        if (current.status === 'open' || current.status === null) {
          if (!current.url) throw new PaymentProviderError(`Stripe answered Checkout Session ${current.id} without a url`);
          return {
            provider: 'stripe',
            paymentId: current.id,
            url: current.url,
            expiresAt: new Date(current.expires_at * 1000).toISOString(),
          };
        }
        key = `${checkoutIdempotencyKey(request.bookingId)}-after-${session.id}`;
      }
      throw new PaymentProviderError(
        `booking ${request.bookingId} went through ${MAX_SESSION_CHAIN} checkout sessions; hold the seats again`,
      );
    },

    retrieveSession: async (paymentId) => statusOf(await retrieve(paymentId)),

    async expireSession(paymentId) {
      try {
        return statusOf(await stripe.checkout.sessions.expire(paymentId));
      } catch (err) {
        // Only an open session can be expired: anything else says what it became.
        if (err instanceof Stripe.errors.StripeInvalidRequestError) return statusOf(await retrieve(paymentId));
        throw providerError('expiring a Checkout Session', err);
      }
    },

    async refund(r: RefundRequest) {
      const session = await retrieve(r.paymentId);
      const paymentIntent = idOf(session.payment_intent);
      if (paymentIntent === undefined) throw new PaymentProviderError(`Checkout Session ${r.paymentId} has no payment to refund`);
      try {
        const refund = await stripe.refunds.create(
          {
            payment_intent: paymentIntent,
            amount: r.amount,
            reason: r.reason === 'duplicate-payment' ? 'duplicate' : 'requested_by_customer',
            metadata: { bookingId: r.bookingId, eventId: r.eventId, paymentId: r.paymentId, reason: r.reason },
          },
          { idempotencyKey: refundIdempotencyKey(r.bookingId, r.paymentId) },
        );
        return { refundId: refund.id };
      } catch (err) {
        // The key expires after a day; a retry after that finds the money already returned.
        if (err instanceof Stripe.errors.StripeError && err.code === 'charge_already_refunded')
          return { refundId: `already-refunded-${paymentIntent}` };
        throw providerError('creating a refund', err);
      }
    },

    async findCheckoutByPaymentIntent(paymentIntentId): Promise<CheckoutRef | undefined> {
      let list: Stripe.ApiList<Stripe.Checkout.Session>;
      try {
        list = await stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 });
      } catch (err) {
        throw providerError('listing Checkout Sessions', err);
      }
      const s = list.data[0];
      const bookingId = s?.metadata?.bookingId ?? s?.client_reference_id ?? undefined;
      const eventId = s?.metadata?.eventId;
      return s && bookingId && eventId ? { paymentId: s.id, bookingId, eventId } : undefined;
    },
  };
};
