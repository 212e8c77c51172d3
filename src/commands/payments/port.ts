import type { PaymentProvider, RefundReason } from '../../domain/ticketed-event/index.js';

/**
 * The payment port: what the command side needs from a payment provider.
 * Adapters: Stripe Checkout (payment-stripe.ts) and the local provider
 * (payment-local.ts), which answers like Stripe and reports through the same
 * signed webhook path.
 */

export type CheckoutLineItem = {
  readonly name: string;
  /** Minor units. */
  readonly unitAmount: number;
  readonly quantity: number;
};

export type CheckoutRequest = {
  readonly eventId: string;
  readonly bookingId: string;
  readonly userId: string;
  readonly amount: number;
  /** ISO 4217, upper case as the domain keeps it. */
  readonly currency: string;
  readonly lineItems: readonly CheckoutLineItem[];
  /** When the session stops taking payments: fixed per booking, so a retried request is the same request. */
  readonly expiresAt: Date;
  readonly description: string;
};

export type CheckoutSession = {
  readonly provider: PaymentProvider;
  /** The session id (`cs_...`). */
  readonly paymentId: string;
  readonly url: string;
  readonly expiresAt: string;
};

/** What the provider says about a session. */
export type SessionStatus =
  | { readonly state: 'open' }
  | { readonly state: 'paid'; readonly amount: number; readonly currency: string }
  /** Completed without the money yet (a delayed method still pending) or failed. */
  | { readonly state: 'unpaid' }
  | { readonly state: 'expired' };

export type RefundRequest = {
  readonly eventId: string;
  readonly bookingId: string;
  /** The session that took the money. */
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: RefundReason;
};

export type CheckoutRef = { readonly paymentId: string; readonly bookingId: string; readonly eventId: string };

export type PaymentPort = {
  readonly provider: PaymentProvider;
  /** Whether the provider's events are live-mode ones (a webhook of the other mode is refused). */
  readonly livemode: boolean;
  /** Idempotent per booking: asking again for the same booking answers the same open session. */
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  retrieveSession(paymentId: string): Promise<SessionStatus>;
  /** Stops an open session from taking money; when it was already completed, says how. */
  expireSession(paymentId: string): Promise<SessionStatus>;
  /** Idempotent per booking and payment. The provider later reports it as a `charge.refunded` webhook. */
  refund(request: RefundRequest): Promise<{ readonly refundId: string }>;
  /** The checkout behind a payment intent, for refund webhooks whose charge lacks our metadata. */
  findCheckoutByPaymentIntent(paymentIntentId: string): Promise<CheckoutRef | undefined>;
};

/** The provider failed or refused (network, configuration): the caller may retry; the API answers 502. */
export class PaymentProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentProviderError';
  }
}

export const refundIdempotencyKey = (bookingId: string, paymentId: string): string => `marquee-refund-${bookingId}-${paymentId}`;
export const checkoutIdempotencyKey = (bookingId: string): string => `marquee-checkout-${bookingId}`;
