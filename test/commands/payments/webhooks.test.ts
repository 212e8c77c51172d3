import { createHmac } from 'node:crypto';
import t from 'tap';
import Stripe from 'stripe';
import { checkoutSessionObject, localCheckoutEvent, signedDelivery, stripeFormatEvent } from '../../../src/commands/payments/local.js';
import type { SessionFacts } from '../../../src/commands/payments/local.js';
import { InvalidSignatureError, LivemodeMismatchError } from '../../../src/commands/payments/index.js';
import { eventStream } from '../../../src/domain/ticketed-event/index.js';
import { OLD_SECRET, SECRET, core, count } from './helpers.js';
import type { Core } from './helpers.js';

const checkedOut = async (c: Core, seats = ['A-1-1', 'A-1-2']): Promise<SessionFacts & { userId: string }> => {
  const userId = `user-${Math.random().toString(36).slice(2)}`;
  const bookingId = await c.hold(userId, seats);
  const session = await c.payments.checkout(c.eventId, bookingId, userId);
  const b = await c.booking(bookingId);
  return { sessionId: session.paymentId, eventId: c.eventId, bookingId, amount: b.amount, currency: b.currency, userId };
};

const versionOf = async (c: Core): Promise<number> => (await c.store.readStream(eventStream(c.eventId))).length;

t.test('a forged or mangled delivery is refused as invalid-signature and records nothing', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const event = localCheckoutEvent(s, 'paid', c.clock.now());
  const { payload, signature } = signedDelivery(event, SECRET);
  const before = await versionOf(c);
  const ts = Math.floor(Date.now() / 1000);
  const hmac = (body: string, secret: string, at = ts) => createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  const forgeries: Record<string, [string, string | undefined]> = {
    'no header': [payload, undefined],
    'an empty header': [payload, ''],
    'a malformed header': [payload, 'this is not a signature'],
    'a header without a timestamp': [payload, `v1=${hmac(payload, SECRET)}`],
    'the wrong secret': [payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' })],
    'the body re-serialised': [JSON.stringify(JSON.parse(payload)), signature],
    'a timestamp older than 300 s': [payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: ts - 301 })],
    'an unknown scheme': [payload, `t=${ts},v0=${hmac(payload, SECRET)}`],
    'an altered amount': [payload.replace(`"amount_total": ${s.amount}`, '"amount_total": 1'), signature],
    'an empty body': ['', signature],
  };
  for (const [what, [body, header]] of Object.entries(forgeries)) {
    await t.rejects(c.webhooks.handle(body, header), InvalidSignatureError, what);
  }
  t.equal(await versionOf(c), before, 'the stream did not change');
  t.equal((await c.booking(s.bookingId)).phase, 'payment_pending');

  const ok = await c.webhooks.handle(payload, signature);
  t.equal(ok.outcome, 'applied', 'the genuine delivery is applied');
  t.equal((await c.booking(s.bookingId)).phase, 'confirmed');
});

t.test('a delivery signed with an older secret still verifies while it is being rotated', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const r = await c.deliver(localCheckoutEvent(s, 'paid', c.clock.now()), OLD_SECRET);
  t.equal(r.outcome, 'applied');
  t.equal((await c.booking(s.bookingId)).phase, 'confirmed');
});

t.test('an event of the other mode (live vs test) is refused and records nothing', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const event = { ...localCheckoutEvent(s, 'paid', c.clock.now()), livemode: true };
  const before = await versionOf(c);
  await t.rejects(c.deliver(event), LivemodeMismatchError);
  t.equal(await versionOf(c), before);
});

t.test('unknown event types are acknowledged and ignored', async (t) => {
  const c = await core(t);
  const before = await versionOf(c);
  const r = await c.deliver(stripeFormatEvent('evt_unknown_1', 'customer.created', { id: 'cus_1', object: 'customer' }, c.clock.now()));
  t.equal(r.outcome, 'ignored');
  t.equal(await versionOf(c), before);
});

t.test('checkout.session.completed that is not paid yet waits for the delayed payment', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const r = await c.deliver(
    stripeFormatEvent(
      'evt_unpaid_1',
      'checkout.session.completed',
      checkoutSessionObject(s, 'complete', 'unpaid', c.clock.now()),
      c.clock.now(),
    ),
  );
  t.equal(r.outcome, 'ignored');
  t.equal((await c.booking(s.bookingId)).phase, 'payment_pending');
  const later = await c.deliver(
    stripeFormatEvent(
      'evt_async_ok_1',
      'checkout.session.async_payment_succeeded',
      checkoutSessionObject(s, 'complete', 'paid', c.clock.now()),
      c.clock.now(),
    ),
  );
  t.equal(later.outcome, 'applied');
  t.equal((await c.booking(s.bookingId)).phase, 'confirmed');
});

t.test('a failed delayed payment puts the booking back to held, and a new checkout can still pay', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const r = await c.deliver(localCheckoutEvent(s, 'declined', c.clock.now()));
  t.equal(r.outcome, 'applied');
  const b = await c.booking(s.bookingId);
  t.equal(b.phase, 'held');
  const again = await c.payments.checkout(c.eventId, s.bookingId, s.userId);
  t.equal(again.paymentId, s.sessionId, 'the local provider answers the same session for the booking');
  t.equal((await c.booking(s.bookingId)).phase, 'payment_pending');
  await c.deliver(localCheckoutEvent(s, 'paid', c.clock.now()));
  t.equal((await c.booking(s.bookingId)).phase, 'confirmed');
});

t.test('one event delivered 10 times one after another confirms once', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const { payload, signature } = signedDelivery(localCheckoutEvent(s, 'paid', c.clock.now()), SECRET);
  const outcomes: string[] = [];
  for (let i = 0; i < 10; i++) outcomes.push((await c.webhooks.handle(payload, signature)).outcome);
  t.same(outcomes, ['applied', ...Array(9).fill('unchanged')]);
  const types = await c.types();
  t.equal(count(types, 'PaymentSucceeded'), 1);
  t.equal(count(types, 'BookingConfirmed'), 1);
});

t.test('one event delivered 10 times at once confirms once, and every delivery is answered', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const { payload, signature } = signedDelivery(localCheckoutEvent(s, 'paid', c.clock.now()), SECRET);
  const results = await Promise.all(Array.from({ length: 10 }, () => c.webhooks.handle(payload, signature)));
  t.equal(results.filter((r) => r.outcome === 'applied').length, 1);
  t.equal(results.filter((r) => r.outcome === 'unchanged').length, 9);
  const types = await c.types();
  t.equal(count(types, 'PaymentSucceeded'), 1);
  t.equal(count(types, 'BookingConfirmed'), 1);
  t.equal((await c.booking(s.bookingId)).tickets.length, 2);
});

t.test('two different events for the same payment (a retry with a new id) still confirm once', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  await c.deliver(localCheckoutEvent(s, 'paid', c.clock.now()));
  const second = await c.deliver(localCheckoutEvent(s, 'paid', c.clock.now()));
  t.equal(second.outcome, 'unchanged');
  t.equal(count(await c.types(), 'BookingConfirmed'), 1);
});

t.test('a refund delivered twice is recorded once, and every handled type survives a duplicate', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  await c.deliver(localCheckoutEvent(s, 'paid', c.clock.now()));
  const refund = await c.port.refund({
    eventId: c.eventId,
    bookingId: s.bookingId,
    paymentId: s.sessionId,
    amount: s.amount,
    currency: s.currency,
    reason: 'event-cancelled',
  });
  t.match(refund.refundId, /^re_local_/);
  t.equal((await c.booking(s.bookingId)).phase, 'refunded');
  await c.port.refund({
    eventId: c.eventId,
    bookingId: s.bookingId,
    paymentId: s.sessionId,
    amount: s.amount,
    currency: s.currency,
    reason: 'event-cancelled',
  });
  t.equal(count(await c.types(), 'RefundIssued'), 1, 'the second refund is the same Stripe event and changes nothing');

  const expired = stripeFormatEvent(
    'evt_exp_1',
    'checkout.session.expired',
    checkoutSessionObject(s, 'expired', 'unpaid', c.clock.now()),
    c.clock.now(),
  );
  const before = await c.types();
  t.equal((await c.deliver(expired)).outcome, 'unchanged');
  t.equal((await c.deliver(expired)).outcome, 'unchanged');
  t.same(await c.types(), before);
});

t.test('a refund that arrives before its payment is refused for now and applies once redelivered', async (t) => {
  const c = await core(t);
  const s = await checkedOut(c);
  const before = await c.types();
  await t.rejects(
    c.port.refund({
      eventId: c.eventId,
      bookingId: s.bookingId,
      paymentId: s.sessionId,
      amount: s.amount,
      currency: s.currency,
      reason: 'seats-taken',
    }),
    { name: 'PaymentNotRecordedError' },
  );
  t.same(await c.types(), before, 'nothing recorded');
  await c.deliver(localCheckoutEvent(s, 'paid', c.clock.now()));
  await c.port.refund({
    eventId: c.eventId,
    bookingId: s.bookingId,
    paymentId: s.sessionId,
    amount: s.amount,
    currency: s.currency,
    reason: 'seats-taken',
  });
  t.equal((await c.booking(s.bookingId)).phase, 'refunded');
});

t.test('an event for a booking Marquee does not know is acknowledged and ignored', async (t) => {
  const c = await core(t);
  const facts = {
    sessionId: 'cs_test_nobody',
    eventId: c.eventId,
    bookingId: '00000000-0000-4000-8000-000000000000',
    amount: 100,
    currency: 'GBP',
  };
  const r = await c.deliver(localCheckoutEvent(facts, 'paid', c.clock.now()));
  t.equal(r.outcome, 'ignored');
});
