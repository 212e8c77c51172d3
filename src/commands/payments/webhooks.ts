import Stripe from 'stripe';
import { DomainError, pget } from '../../domain/shared/index.js';
import type { PaymentPort } from './port.js';
import type { BookingOutcome, Ticketing } from '../ticketing/index.js';
import type { Log } from '../platform/index.js';

/**
 * Stripe webhooks as payment events: verifies the signature (any of the
 * configured secrets, so a secret can be rotated; Stripe's default 300 s
 * tolerance), then turns each handled event into a command on the booking's
 * event stream. The stream remembers each Stripe event id it recorded (and
 * each payment id it was paid with), so a duplicate delivery changes nothing;
 * the caller answers 2xx only once the command is durable.
 */

export class InvalidSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSignatureError';
  }
}

export class LivemodeMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LivemodeMismatchError';
  }
}

/** A refund for a payment the stream has not recorded yet (deliveries can come out of order): the sender should retry. */
export class PaymentNotRecordedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentNotRecordedError';
  }
}

export const HANDLED_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
] as const;
export type HandledType = (typeof HANDLED_TYPES)[number];

export type WebhookOutcome = 'applied' | 'unchanged' | 'ignored';

export type WebhookResult = {
  readonly eventId: string;
  readonly type: string;
  readonly outcome: WebhookOutcome;
  readonly detail?: string;
  readonly bookingId?: string;
};

export type WebhookHandlerDeps = {
  /** Signing secrets; the first signs the local provider's events. */
  readonly secrets: readonly string[];
  /** The mode of the configured key: events of the other mode are refused. */
  readonly livemode: boolean;
  readonly ticketing: Ticketing;
  /** Looks up checkouts for refund events that lack our metadata. */
  readonly port: () => Pick<PaymentPort, 'findCheckoutByPaymentIntent'>;
  readonly log?: Pick<Log, 'warn'> & Partial<Pick<Log, 'info'>>;
  /** For tests of the tolerance: when the delivery was received (ms). */
  readonly receivedAt?: () => number;
};

export type WebhookHandler = {
  handle(payload: Buffer | string | undefined, signature: string | string[] | undefined): Promise<WebhookResult>;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const isHandled = (t: string): t is HandledType => (HANDLED_TYPES as readonly string[]).includes(t);

/** Which booking a Checkout Session is for: metadata first, then client_reference_id. */
const sessionRef = (s: Obj): { sessionId: string; bookingId: string; eventId: string } | undefined => {
  const meta = isObj(s.metadata) ? s.metadata : {};
  const sessionId = str(s.id);
  const bookingId = str(meta.bookingId) ?? str(s.client_reference_id);
  const eventId = str(meta.eventId);
  return sessionId && bookingId && eventId ? { sessionId, bookingId, eventId } : undefined;
};

export const createWebhookHandler = (deps: WebhookHandlerDeps): WebhookHandler => {
  const secrets = deps.secrets.filter((s) => s.trim() !== '');
  if (secrets.length === 0) throw new Error('the webhook handler needs at least one signing secret');

  const verify = (payload: Buffer | string | undefined, signature: string | string[] | undefined): Stripe.Event => {
    if (payload === undefined || payload.length === 0) throw new InvalidSignatureError('the webhook body is empty');
    if (typeof signature !== 'string' || signature === '') throw new InvalidSignatureError('the Stripe-Signature header is missing');
    let last: unknown;
    for (const secret of secrets) {
      try {
        return Stripe.webhooks.constructEvent(payload, signature, secret, undefined, undefined, deps.receivedAt?.());
      } catch (err) {
        last = err;
      }
    }
    const why = last instanceof Error ? last.message.split('\n')[0] : 'no signature matched';
    throw new InvalidSignatureError(`the Stripe-Signature does not verify: ${why}`);
  };

  const outcomeOf = (r: { events: readonly unknown[] }): WebhookOutcome => (r.events.length > 0 ? 'applied' : 'unchanged');

  /** Runs a booking command; a booking the writer does not know yet is looked for once more in the store. */
  const onBooking = async <T>(eventId: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'not-found') throw err;
    }
    try {
      await deps.ticketing.eventState(eventId, { refresh: true });
      return await run();
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not-found') return undefined;
      throw err;
    }
  };

  const result = (event: Stripe.Event, outcome: WebhookOutcome, extra: { detail?: string; bookingId?: string } = {}): WebhookResult => ({
    eventId: event.id,
    type: event.type,
    outcome,
    ...extra,
  });

  const paid = async (event: Stripe.Event, s: Obj): Promise<WebhookResult> => {
    const ref = sessionRef(s);
    if (!ref) return result(event, 'ignored', { detail: 'the session names no Marquee booking' });
    if (event.type === 'checkout.session.completed' && s.payment_status !== 'paid' && s.payment_status !== 'no_payment_required') {
      // A delayed method (bank debit): async_payment_succeeded or _failed follows.
      return result(event, 'ignored', {
        detail: `payment_status is ${String(s.payment_status)}; waiting for the delayed payment`,
        bookingId: ref.bookingId,
      });
    }
    const amount = int(s.amount_total);
    const currency = str(s.currency)?.toUpperCase();
    if (amount === undefined || currency === undefined)
      return result(event, 'ignored', { detail: 'the session has no amount_total or currency', bookingId: ref.bookingId });
    const r: BookingOutcome | undefined = await onBooking(ref.eventId, () =>
      deps.ticketing.recordPaymentSucceeded(ref.eventId, {
        bookingId: ref.bookingId,
        paymentId: ref.sessionId,
        paymentEventId: event.id,
        amount,
        currency,
      }),
    );
    if (!r) return result(event, 'ignored', { detail: 'no such booking', bookingId: ref.bookingId });
    const decided = r.events.some((e) => e.type === 'RefundRequested')
      ? 'refund requested'
      : r.events.some((e) => e.type === 'BookingConfirmed')
        ? 'booking confirmed'
        : 'already recorded';
    return result(event, outcomeOf(r), { detail: decided, bookingId: ref.bookingId });
  };

  const failed = async (event: Stripe.Event, s: Obj): Promise<WebhookResult> => {
    const ref = sessionRef(s);
    if (!ref) return result(event, 'ignored', { detail: 'the session names no Marquee booking' });
    const r = await onBooking(ref.eventId, () =>
      deps.ticketing.recordPaymentFailed(ref.eventId, {
        bookingId: ref.bookingId,
        paymentId: ref.sessionId,
        paymentEventId: event.id,
        reason: 'the delayed payment failed',
      }),
    );
    if (!r) return result(event, 'ignored', { detail: 'no such booking', bookingId: ref.bookingId });
    return result(event, outcomeOf(r), { bookingId: ref.bookingId });
  };

  const expired = async (event: Stripe.Event, s: Obj): Promise<WebhookResult> => {
    const ref = sessionRef(s);
    if (!ref) return result(event, 'ignored', { detail: 'the session names no Marquee booking' });
    // Only a lapsed hold is released; ExpireHold is a no-op for anything else, so a repeat changes nothing.
    const r = await onBooking(ref.eventId, () => deps.ticketing.expire(ref.eventId, ref.bookingId));
    if (!r) return result(event, 'ignored', { detail: 'no such booking', bookingId: ref.bookingId });
    return result(event, outcomeOf(r), { bookingId: ref.bookingId });
  };

  const refunded = async (event: Stripe.Event, charge: Obj): Promise<WebhookResult> => {
    const meta = isObj(charge.metadata) ? charge.metadata : {};
    let bookingId = str(meta.bookingId);
    let eventId = str(meta.eventId);
    let paymentId = str(meta.paymentId);
    const paymentIntent = str(charge.payment_intent) ?? (isObj(charge.payment_intent) ? str(charge.payment_intent.id) : undefined);
    if ((!bookingId || !eventId || !paymentId) && paymentIntent) {
      const ref = await deps.port().findCheckoutByPaymentIntent(paymentIntent);
      if (ref) {
        bookingId ??= ref.bookingId;
        eventId ??= ref.eventId;
        paymentId ??= ref.paymentId;
      }
    }
    if (!bookingId || !eventId) return result(event, 'ignored', { detail: 'the charge names no Marquee booking' });
    const refunds = isObj(charge.refunds) && Array.isArray(charge.refunds.data) ? charge.refunds.data.filter(isObj) : [];
    const latest = [...refunds].sort((a, b) => (int(b.created) ?? 0) - (int(a.created) ?? 0))[0];
    const refundId = str(latest?.id) ?? `refund-of-${str(charge.id) ?? event.id}`;
    const amount = int(latest?.amount) ?? int(charge.amount_refunded);
    if (amount === undefined) return result(event, 'ignored', { detail: 'the charge has no refunded amount', bookingId });

    const { state } = await deps.ticketing.eventState(eventId, { refresh: true });
    const booking = state.status === 'scheduled' ? pget(state.bookings, bookingId) : undefined;
    if (!booking) return result(event, 'ignored', { detail: 'no such booking', bookingId });
    const seen = state.status === 'scheduled' && pget(state.seenPaymentEvents, event.id) !== undefined;
    const known = paymentId === undefined ? booking.payments.length > 0 : booking.payments.some((p) => p.paymentId === paymentId);
    if (!seen && !known) {
      throw new PaymentNotRecordedError(
        `booking ${bookingId} has no recorded payment ${paymentId ?? ''} yet; deliver this refund again later`,
      );
    }
    const r = await deps.ticketing.recordRefundIssued(eventId, {
      bookingId,
      refundId,
      amount,
      paymentEventId: event.id,
      ...(paymentId !== undefined ? { paymentId } : {}),
    });
    return result(event, outcomeOf(r), { bookingId });
  };

  return {
    async handle(payload, signature) {
      const event = verify(payload, Array.isArray(signature) ? signature[0] : signature);
      if (typeof event.id !== 'string' || typeof event.type !== 'string' || !isObj(event.data) || !isObj(event.data.object)) {
        throw new InvalidSignatureError('the signed body is not a Stripe event');
      }
      if (event.livemode !== deps.livemode) {
        throw new LivemodeMismatchError(
          `a ${event.livemode ? 'live' : 'test'}-mode event reached a ${deps.livemode ? 'live' : 'test'}-mode deployment`,
        );
      }
      const type = event.type;
      if (!isHandled(type)) return result(event, 'ignored', { detail: 'event type not handled' });
      const object = event.data.object;
      try {
        switch (type) {
          case 'checkout.session.completed':
          case 'checkout.session.async_payment_succeeded':
            return await paid(event, object);
          case 'checkout.session.async_payment_failed':
            return await failed(event, object);
          case 'checkout.session.expired':
            return await expired(event, object);
          case 'charge.refunded':
            return await refunded(event, object);
          default: {
            const _: never = type;
            return _;
          }
        }
      } catch (err) {
        // A signed event Marquee cannot apply (bad amounts, a booking in another state) is acknowledged, not retried for days.
        if (err instanceof DomainError) {
          deps.log?.warn({ err, stripeEventId: event.id, type }, 'webhook event not applied');
          return result(event, 'ignored', { detail: err.message });
        }
        throw err;
      }
    },
  };
};
