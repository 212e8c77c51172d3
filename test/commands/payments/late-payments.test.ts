import t from 'tap';
import { localCheckoutEvent } from '../../../src/commands/payments/local.js';
import { startRefundProcessor } from '../../../src/commands/payments/index.js';
import type { BookingConfirmed } from '../../../src/domain/ticketed-event/index.js';
import { eventStream } from '../../../src/domain/ticketed-event/index.js';
import { core, count } from './helpers.js';
import type { Core } from './helpers.js';

const quiet = { warn: () => undefined, debug: () => undefined };

const waitFor = async <T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const paidLate = async (c: Core, seats: string[]) => {
  const userId = 'late-buyer';
  const bookingId = await c.hold(userId, seats);
  const session = await c.payments.checkout(c.eventId, bookingId, userId);
  const b = await c.booking(bookingId);
  c.clock.advance(301);
  return {
    userId,
    bookingId,
    facts: { sessionId: session.paymentId, eventId: c.eventId, bookingId, amount: b.amount, currency: b.currency },
  };
};

t.test('a payment after the hold lapsed confirms the booking when its seats are still free', async (t) => {
  const c = await core(t);
  const { bookingId, facts } = await paidLate(c, ['A-1-5', 'A-1-6']);
  const r = await c.deliver(localCheckoutEvent(facts, 'paid', c.clock.now()));
  t.equal(r.detail, 'booking confirmed');
  const b = await c.booking(bookingId);
  t.equal(b.phase, 'confirmed');
  t.equal(b.tickets.length, 2);
  const confirmed = (await c.store.readStream(eventStream(c.eventId))).find((e) => e.type === 'BookingConfirmed');
  t.equal((confirmed?.data as BookingConfirmed['data']).late, true);
});

t.test('a payment after the hold lapsed and its seats were taken is refunded automatically', async (t) => {
  const c = await core(t);
  const refunds = startRefundProcessor({ store: c.store, ticketing: c.ticketing, port: c.port, log: quiet, retryMs: 50 });
  t.teardown(() => refunds.stop());
  const { bookingId, facts } = await paidLate(c, ['A-2-1', 'A-2-2']);
  await c.hold('someone-else', ['A-2-2']);
  const r = await c.deliver(localCheckoutEvent(facts, 'paid', c.clock.now()));
  t.equal(r.detail, 'refund requested');
  const b = await waitFor(async () => {
    const x = await c.booking(bookingId);
    return x.phase === 'refunded' ? x : undefined;
  }, 'the refund to be issued');
  t.equal(b.payments[0]?.refund, 'issued');
  t.equal(b.tickets.length, 0, 'no tickets for a refunded booking');
  const types = await c.types();
  t.equal(count(types, 'RefundRequested'), 1);
  t.equal(count(types, 'RefundIssued'), 1);
  t.equal(refunds.requested(), 1);
});

t.test('when a hold lapses with its checkout open, the sweeper confirms instead of releasing if it was paid', async (t) => {
  const c = await core(t);
  const bookingId = await c.hold('sweep-buyer', ['A-1-9']);
  const session = await c.payments.checkout(c.eventId, bookingId, 'sweep-buyer');
  const calls: string[] = [];
  // Stands in for a provider that took the money but whose webhook has not arrived.
  const paidPort = {
    ...c.port,
    expireSession: async (id: string) => (calls.push(id), { state: 'paid' as const, amount: 5000, currency: 'GBP' }),
  };
  const { createPayments } = await import('../../../src/commands/payments/payments.js');
  const payments = createPayments({ ticketing: c.ticketing, port: paidPort, now: c.clock.now });
  c.clock.advance(301);
  await payments.expireHold(c.eventId, bookingId, c.clock.now());
  t.same(calls, [session.paymentId], 'the session was expired at the provider first');
  t.equal((await c.booking(bookingId)).phase, 'confirmed');
  t.equal(count(await c.types(), 'HoldReleased'), 0);
});

t.test('when a hold lapses with its checkout open and unpaid, the sweeper releases it', async (t) => {
  const c = await core(t);
  const bookingId = await c.hold('sweep-buyer-2', ['A-1-10']);
  await c.payments.checkout(c.eventId, bookingId, 'sweep-buyer-2');
  await c.payments.expireHold(c.eventId, bookingId, c.clock.now());
  t.equal((await c.booking(bookingId)).phase, 'payment_pending', 'a live hold is left alone');
  c.clock.advance(301);
  await c.payments.expireHold(c.eventId, bookingId, c.clock.now());
  t.equal((await c.booking(bookingId)).phase, 'expired');
});

t.test('cancelling the event refunds every confirmed booking', async (t) => {
  const c = await core(t);
  const refunds = startRefundProcessor({ store: c.store, ticketing: c.ticketing, port: c.port, log: quiet, retryMs: 50 });
  t.teardown(() => refunds.stop());
  const paid: string[] = [];
  for (const [i, seats] of [['A-1-1'], ['A-1-2', 'A-1-3'], ['A-2-7']].entries()) {
    const userId = `buyer-${i}`;
    const bookingId = await c.hold(userId, seats);
    const s = await c.payments.checkout(c.eventId, bookingId, userId);
    const b = await c.booking(bookingId);
    await c.deliver(
      localCheckoutEvent(
        { sessionId: s.paymentId, eventId: c.eventId, bookingId, amount: b.amount, currency: b.currency },
        'paid',
        c.clock.now(),
      ),
    );
    paid.push(bookingId);
  }
  const heldOnly = await c.hold('holder', ['A-2-9']);
  await c.ticketing.cancelEvent(c.eventId, 'the band is ill');
  for (const id of paid) {
    await waitFor(async () => (await c.booking(id)).phase === 'refunded', `booking ${id} refunded`);
  }
  t.equal((await c.booking(heldOnly)).phase, 'cancelled');
  const types = await c.types();
  t.equal(count(types, 'RefundRequested'), 3);
  t.equal(count(types, 'RefundIssued'), 3);
});

t.test('the refund processor retries until the provider takes the refund', async (t) => {
  const c = await core(t);
  let failures = 2;
  const flaky = {
    ...c.port,
    refund: async (r: Parameters<typeof c.port.refund>[0]) => {
      if (failures-- > 0) throw new Error('provider unavailable');
      return c.port.refund(r);
    },
  };
  const refunds = startRefundProcessor({ store: c.store, ticketing: c.ticketing, port: flaky, log: quiet, retryMs: 20 });
  t.teardown(() => refunds.stop());
  const { bookingId, facts } = await paidLate(c, ['A-1-15']);
  await c.hold('taker', ['A-1-15']);
  await c.deliver(localCheckoutEvent(facts, 'paid', c.clock.now()));
  await waitFor(async () => (await c.booking(bookingId)).phase === 'refunded', 'the refund after retries');
  t.equal(failures, -1, 'two failures, then the refund');
});

t.test('a restarted refund processor does not ask again for refunds already issued', async (t) => {
  const c = await core(t);
  const first = startRefundProcessor({ store: c.store, ticketing: c.ticketing, port: c.port, log: quiet, retryMs: 20 });
  const { bookingId, facts } = await paidLate(c, ['A-2-12']);
  await c.hold('taker2', ['A-2-12']);
  await c.deliver(localCheckoutEvent(facts, 'paid', c.clock.now()));
  await waitFor(async () => (await c.booking(bookingId)).phase === 'refunded', 'the refund');
  await first.stop();
  let asked = 0;
  const counting = { ...c.port, refund: async (r: Parameters<typeof c.port.refund>[0]) => (asked++, c.port.refund(r)) };
  const second = startRefundProcessor({ store: c.store, ticketing: c.ticketing, port: counting, log: quiet, retryMs: 20 });
  t.teardown(() => second.stop());
  await new Promise((r) => setTimeout(r, 500));
  t.equal(asked, 0);
  t.equal(count(await c.types(), 'RefundIssued'), 1);
});
