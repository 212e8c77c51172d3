import { DomainError, pget, pvalues } from '../../domain/shared/index.js';
import { requireCheckoutable } from '../../domain/ticketed-event/index.js';
import type { Booking, ScheduledState } from '../../domain/ticketed-event/index.js';
import type { EventStore } from '../event-store/index.js';
import type { CheckoutLineItem, CheckoutRequest, CheckoutSession, PaymentPort, SessionStatus } from './port.js';
import type { Ticketing } from '../ticketing/index.js';

/**
 * Payment commands around the port: starting a checkout for a held booking,
 * the sweeper's expiry of a hold whose checkout is still open, and
 * reconciling bookings whose webhooks never arrived.
 */

export type PaymentsDeps = {
  readonly ticketing: Ticketing;
  readonly port: PaymentPort;
  readonly now?: () => Date;
};

export type CheckoutAnswer = CheckoutSession;

export type ReconcileResult = {
  readonly eventId: string;
  readonly bookingId: string;
  readonly paymentId: string;
  readonly found: SessionStatus['state'];
  /** What Marquee did about it. */
  readonly action: 'confirmed' | 'refund-requested' | 'recorded' | 'expired' | 'none';
};

export type Payments = {
  /** Starts (or answers the open) checkout of the buyer's held booking. */
  checkout(eventId: string, bookingId: string, userId: string): Promise<CheckoutAnswer>;
  /**
   * The hold sweeper's expire: a lapsed hold with an open checkout has its session
   * expired at the provider first; when the provider says it was paid meanwhile,
   * the payment is recorded (and confirms or refunds) instead of a release.
   */
  expireHold(eventId: string, bookingId: string, now?: Date): Promise<void>;
  /** Asks the provider about one payment_pending booking and applies what it says. */
  reconcileBooking(eventId: string, bookingId: string): Promise<ReconcileResult | undefined>;
};

/** Stripe needs expires_at 30 min to 24 h ahead; holds last at most 30 min, so hold expiry + 31 min is always inside and fixed per booking. */
export const SESSION_GRACE_MS = 31 * 60 * 1000;

const sectionOf = (seat: string): string => seat.slice(0, seat.indexOf('-'));

/** A line per section at today's price; one line for the booking when prices changed since the hold. */
export const lineItemsFor = (s: ScheduledState, b: Booking): CheckoutLineItem[] => {
  const counts = new Map<string, number>();
  for (const seat of b.seats) counts.set(sectionOf(seat), (counts.get(sectionOf(seat)) ?? 0) + 1);
  for (const r of b.standing) counts.set(r.sectionId, (counts.get(r.sectionId) ?? 0) + r.quantity);
  const names = new Map(s.event.layout.sections.map((sec) => [sec.id, sec.name]));
  const items: CheckoutLineItem[] = [];
  for (const [sectionId, quantity] of counts) {
    items.push({
      name: `${s.event.name} - ${names.get(sectionId) ?? sectionId}`,
      unitAmount: s.event.sectionPrices[sectionId] ?? 0,
      quantity,
    });
  }
  const total = items.reduce((n, li) => n + li.unitAmount * li.quantity, 0);
  if (total === b.amount) return items;
  return [{ name: `${s.event.name} - ${b.quantity} ticket${b.quantity === 1 ? '' : 's'}`, unitAmount: b.amount, quantity: 1 }];
};

const describe = (s: ScheduledState, b: Booking): string => {
  const places = [...b.seats, ...b.standing.map((r) => `${r.quantity} x ${r.sectionId}`)];
  return `${s.event.name}, ${s.event.startsAt}: ${places.slice(0, 20).join(', ')}${places.length > 20 ? ', ...' : ''}`;
};

/** The provider request for a booking: the same for every retry of its checkout (Stripe compares a replayed key's parameters). */
export const checkoutRequestFor = (s: ScheduledState, b: Booking): CheckoutRequest => ({
  eventId: s.event.eventId,
  bookingId: b.id,
  userId: b.userId,
  amount: b.amount,
  currency: b.currency,
  lineItems: lineItemsFor(s, b),
  expiresAt: new Date(b.expiresAtMs + SESSION_GRACE_MS),
  description: describe(s, b),
});

export const createPayments = (deps: PaymentsDeps): Payments => {
  const { ticketing, port } = deps;
  const clock = deps.now ?? (() => new Date());

  const load = async (eventId: string, bookingId: string): Promise<{ s: ScheduledState; b: Booking | undefined }> => {
    const { state } = await ticketing.eventState(eventId, { refresh: true });
    if (state.status !== 'scheduled') throw new DomainError('not-found', 'No such booking.');
    return { s: state, b: pget(state.bookings, bookingId) };
  };

  const recordPaid = async (
    eventId: string,
    b: Booking,
    paymentId: string,
    paid: Extract<SessionStatus, { state: 'paid' }>,
    source: string,
  ) => {
    const r = await ticketing.recordPaymentSucceeded(eventId, {
      bookingId: b.id,
      paymentId,
      // No Stripe event id here: the payment id itself makes a later webhook for it a no-op.
      paymentEventId: `${source}:${paymentId}`,
      amount: paid.amount,
      currency: paid.currency,
    });
    return r.events.some((e) => e.type === 'RefundRequested')
      ? ('refund-requested' as const)
      : r.events.some((e) => e.type === 'BookingConfirmed')
        ? ('confirmed' as const)
        : ('recorded' as const);
  };

  return {
    async checkout(eventId, bookingId, userId) {
      const { s, b } = await load(eventId, bookingId);
      if (!b || b.userId !== userId) throw new DomainError('not-found', 'No such booking.');
      const nowMs = clock().getTime();
      const live = (b.phase === 'held' || b.phase === 'payment_pending') && b.expiresAtMs > nowMs;
      if (b.phase === 'payment_pending' && live && b.checkout) {
        return { provider: b.checkout.provider, paymentId: b.checkout.paymentId, url: b.checkout.url, expiresAt: b.expiresAt };
      }
      if (s.cancelled && b.phase !== 'confirmed' && b.phase !== 'refund_pending' && b.phase !== 'refunded')
        throw new DomainError('event-cancelled', `Event ${eventId} has been cancelled.`);
      requireCheckoutable(b, nowMs);

      const session = await port.createCheckout(checkoutRequestFor(s, b));
      try {
        await ticketing.startCheckout(eventId, {
          bookingId,
          userId,
          provider: session.provider,
          paymentId: session.paymentId,
          url: session.url,
          expiresAt: session.expiresAt,
        });
      } catch (err) {
        // The hold lapsed meanwhile: the session must not take money for it.
        if (err instanceof DomainError) await port.expireSession(session.paymentId).catch(() => undefined);
        throw err;
      }
      // The buyer must pay before the hold lapses; the session itself stays open longer (Stripe's minimum) until the sweeper expires it.
      return { ...session, expiresAt: Date.parse(session.expiresAt) < b.expiresAtMs ? session.expiresAt : b.expiresAt };
    },

    async expireHold(eventId, bookingId, now) {
      const at = now ?? clock();
      const { b } = await load(eventId, bookingId);
      if (b && b.phase === 'payment_pending' && b.checkout && b.expiresAtMs <= at.getTime()) {
        const found = await port.expireSession(b.checkout.paymentId);
        if (found.state === 'paid') {
          await recordPaid(eventId, b, b.checkout.paymentId, found, 'session-expiry');
          return;
        }
      }
      await ticketing.expire(eventId, bookingId, at);
    },

    async reconcileBooking(eventId, bookingId) {
      const { b } = await load(eventId, bookingId);
      if (!b || b.phase !== 'payment_pending' || !b.checkout) return undefined;
      const paymentId = b.checkout.paymentId;
      const lapsed = b.expiresAtMs <= clock().getTime();
      let found = await port.retrieveSession(paymentId);
      if (found.state === 'open' && lapsed) found = await port.expireSession(paymentId);
      const base = { eventId, bookingId, paymentId, found: found.state };
      switch (found.state) {
        case 'paid':
          return { ...base, action: await recordPaid(eventId, b, paymentId, found, 'reconcile') };
        case 'expired': {
          const r = await ticketing.expire(eventId, bookingId);
          return { ...base, action: r.events.length > 0 ? 'expired' : 'none' };
        }
        case 'open':
        case 'unpaid':
          return { ...base, action: 'none' };
        default: {
          const _: never = found;
          return _;
        }
      }
    },
  };
};

/** Events whose streams have a booking waiting in payment_pending, read from the log (read models may trail). */
export const findPendingCheckouts = async (
  store: EventStore,
  ticketing: Ticketing,
  pageSize = 1000,
): Promise<{ eventId: string; bookingId: string }[]> => {
  const eventIds = new Set<string>();
  let after: Parameters<EventStore['readAll']>[0]['after'];
  for (;;) {
    const page = await store.readAll({ maxCount: pageSize, streamPrefixes: ['event-'], ...(after ? { after } : {}) });
    for (const e of page) {
      if (e.type === 'CheckoutStarted') eventIds.add(e.stream.slice('event-'.length));
    }
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) break;
    after = last.position;
  }
  const pending: { eventId: string; bookingId: string }[] = [];
  for (const eventId of eventIds) {
    const { state } = await ticketing.eventState(eventId, { refresh: true });
    if (state.status !== 'scheduled') continue;
    for (const b of pvalues(state.bookings)) if (b.phase === 'payment_pending') pending.push({ eventId, bookingId: b.id });
  }
  return pending;
};
