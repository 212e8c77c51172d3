import fc from 'fast-check';
import t from 'tap';
import { checkoutSessionObject, localCheckoutEvent, localRefundEvent, stripeFormatEvent } from '../../../src/commands/payments/local.js';
import type { StripeFormatEvent } from '../../../src/commands/payments/local.js';
import { PaymentNotRecordedError } from '../../../src/commands/payments/index.js';
import { seatStatus, eventStream } from '../../../src/domain/ticketed-event/index.js';
import { core } from './helpers.js';

type Kind = 'completed' | 'failed' | 'expired' | 'refunded';
const KINDS: readonly Kind[] = ['completed', 'failed', 'expired', 'refunded'];

t.test('every ordering of completed, failed, expired and refunded deliveries (with repeats) ends in the same state', async (t) => {
  const c = await core(t);
  let run = 0;
  const seats = [...Array.from({ length: 20 }, (_, i) => `A-1-${i + 1}`), ...Array.from({ length: 20 }, (_, i) => `A-2-${i + 1}`)];

  await fc.assert(
    fc.asyncProperty(
      fc
        .array(fc.constantFrom(...KINDS), { maxLength: 4 })
        .chain((extra) => fc.shuffledSubarray([...KINDS, ...extra], { minLength: KINDS.length + extra.length })),
      fc.boolean(),
      async (order, lapsed) => {
        const seat = seats[run++ % seats.length]!;
        const userId = `prop-${run}`;
        const bookingId = await c.hold(userId, [seat]);
        const session = await c.payments.checkout(c.eventId, bookingId, userId);
        const b0 = await c.booking(bookingId);
        if (lapsed) c.clock.advance(301);
        const now = c.clock.now();
        const facts = { sessionId: session.paymentId, eventId: c.eventId, bookingId, amount: b0.amount, currency: b0.currency };
        // One Stripe event per kind: a repeat is the same event delivered again.
        const events: Record<Kind, StripeFormatEvent> = {
          completed: localCheckoutEvent(facts, 'paid', now),
          failed: localCheckoutEvent(facts, 'declined', now),
          expired: stripeFormatEvent(
            `evt_exp_${run}`,
            'checkout.session.expired',
            checkoutSessionObject(facts, 'expired', 'unpaid', now),
            now,
          ),
          refunded: localRefundEvent({ ...facts, reason: 'event-cancelled' }, now).event,
        };
        let pending: Kind[] = [...order];
        // Stripe redelivers what was not acknowledged.
        for (let round = 0; pending.length > 0 && round < 5; round++) {
          const again: Kind[] = [];
          for (const kind of pending) {
            try {
              await c.deliver(events[kind]);
            } catch (err) {
              if (!(err instanceof PaymentNotRecordedError)) throw err;
              again.push(kind);
            }
          }
          pending = again;
        }
        if (pending.length > 0) throw new Error(`never acknowledged: ${pending.join(', ')}`);

        const b = await c.booking(bookingId);
        const { state } = await c.ticketing.eventState(c.eventId);
        const recorded = (await c.store.readStream(eventStream(c.eventId))).filter(
          (e) => (e.data as { bookingId?: string }).bookingId === bookingId,
        );
        const n = (type: string) => recorded.filter((e) => e.type === type).length;
        const end = {
          phase: b.phase,
          refunds: b.payments.map((p) => p.refund),
          tickets: b.tickets.length,
          seat: seatStatus(state, seat, c.clock.now().toISOString()),
          paymentsRecorded: n('PaymentSucceeded'),
          confirmations: n('BookingConfirmed'),
          refundsIssued: n('RefundIssued'),
        };
        const expected = {
          phase: 'refunded',
          refunds: ['issued'],
          tickets: 1,
          seat: 'A',
          paymentsRecorded: 1,
          confirmations: 1,
          refundsIssued: 1,
        };
        if (JSON.stringify(end) !== JSON.stringify(expected)) {
          throw new Error(`order ${order.join(',')} (lapsed ${lapsed}) ended in ${JSON.stringify(end)}`);
        }
      },
    ),
    { numRuns: 40 },
  );
  t.equal(run, 40, 'forty orderings tried');
  t.ok((await c.types()).length > 40 * 5, 'each run recorded its hold, checkout, payment, confirmation and refund');
});
