import t from 'tap';
import { SESSION_GRACE_MS, checkoutRequestFor } from '../../../src/commands/payments/payments.js';
import { isLiveKey } from '../../../src/commands/payments/stripe.js';
import { stripePaymentPort } from '../../../src/commands/payments/index.js';
import { stripeFormatEvent } from '../../../src/commands/payments/local.js';
import { core } from './helpers.js';
import { fakeStripe } from './fake-stripe.js';
import type { FakeStripe } from './fake-stripe.js';

const KEY = 'sk_test_marquee_fake_key';
const PUBLIC_URL = 'https://tickets.example.com';

const portOn = (stripe: FakeStripe) =>
  stripePaymentPort({
    secretKey: KEY,
    publicUrl: PUBLIC_URL,
    host: '127.0.0.1',
    port: stripe.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });

t.test('the key says the mode', async (t) => {
  t.equal(isLiveKey('sk_live_abc'), true);
  t.equal(isLiveKey('rk_live_abc'), true);
  t.equal(isLiveKey('sk_test_abc'), false);
});

t.test(
  'checkout creates a Checkout Session with a line per section, the booking named, a key per booking and expiry 31 min past the hold',
  async (t) => {
    const stripe = await fakeStripe(t);
    const c = await core(t, { port: () => portOn(stripe) });
    const bookingId = await c.hold('buyer-1', ['A-1-1', 'A-1-2'], [{ sectionId: 'PIT', quantity: 3 }]);
    const b = await c.booking(bookingId);
    const answer = await c.payments.checkout(c.eventId, bookingId, 'buyer-1');

    const creates = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
    t.equal(creates.length, 1);
    const req = creates[0]!;
    t.equal(req.headers['idempotency-key'], `marquee-checkout-${bookingId}`);
    t.equal(req.headers.authorization, `Bearer ${KEY}`);
    t.same(req.form, {
      mode: 'payment',
      'line_items[0][quantity]': '2',
      'line_items[0][price_data][currency]': 'gbp',
      'line_items[0][price_data][unit_amount]': '5000',
      'line_items[0][price_data][product_data][name]': 'Aurora Live - Block A',
      'line_items[1][quantity]': '3',
      'line_items[1][price_data][currency]': 'gbp',
      'line_items[1][price_data][unit_amount]': '2000',
      'line_items[1][price_data][product_data][name]': 'Aurora Live - Standing pit',
      client_reference_id: bookingId,
      'metadata[bookingId]': bookingId,
      'metadata[eventId]': c.eventId,
      'payment_intent_data[metadata][bookingId]': bookingId,
      'payment_intent_data[metadata][eventId]': c.eventId,
      'payment_intent_data[description]': req.form['payment_intent_data[description]'],
      expires_at: String(Math.floor((b.expiresAtMs + SESSION_GRACE_MS) / 1000)),
      success_url: `${PUBLIC_URL}/pay/return?booking=${bookingId}&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${PUBLIC_URL}/pay/return?booking=${bookingId}&cancelled=1`,
    });
    t.equal(10_000 + 6000, b.amount, 'the line items add up to the booking amount');
    const expiresAt = Number(req.form.expires_at) * 1000;
    t.ok(expiresAt - c.clock.ms() >= 30 * 60 * 1000, 'at least 30 minutes ahead, as Stripe requires');
    t.ok(expiresAt - c.clock.ms() <= 24 * 3600 * 1000, 'at most 24 hours ahead');

    t.equal(answer.provider, 'stripe');
    t.match(answer.paymentId, /^cs_test_/);
    t.equal(answer.url, `https://checkout.stripe.test/c/pay/${answer.paymentId}`);
    t.equal(answer.expiresAt, b.expiresAt, 'the buyer must pay before the hold lapses');
    const after = await c.booking(bookingId);
    t.equal(after.phase, 'payment_pending');
    t.equal(after.checkout?.provider, 'stripe');
    t.equal(after.checkout?.paymentId, answer.paymentId);
  },
);

t.test('a retried checkout answers the same session: recorded once, and the same key replays at Stripe', async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, { port: () => portOn(stripe) });
  const bookingId = await c.hold('buyer-2', ['A-1-3']);
  const first = await c.payments.checkout(c.eventId, bookingId, 'buyer-2');
  const second = await c.payments.checkout(c.eventId, bookingId, 'buyer-2');
  t.same(second.paymentId, first.paymentId);
  t.equal(stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').length, 1, 'no second session asked for');

  // A crash between Stripe's answer and the recorded checkout: the adapter asks again with the same key.
  const port = portOn(stripe);
  const { state } = await c.ticketing.eventState(c.eventId);
  if (state.status !== 'scheduled') throw new Error('no event');
  const again = await port.createCheckout(checkoutRequestFor(state, await c.booking(bookingId)));
  t.equal(again.paymentId, first.paymentId);
  const keys = stripe.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions')
    .map((r) => r.headers['idempotency-key']);
  t.same(keys, [`marquee-checkout-${bookingId}`, `marquee-checkout-${bookingId}`]);
  t.equal(stripe.sessions.size, 1);
});

t.test('after a failed delayed payment a new checkout makes a new session, keyed after the finished one', async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, { port: () => portOn(stripe) });
  const bookingId = await c.hold('buyer-3', ['A-1-4']);
  const first = await c.payments.checkout(c.eventId, bookingId, 'buyer-3');
  stripe.complete(first.paymentId, false);
  const s = stripe.sessions.get(first.paymentId)!;
  await c.deliver(stripeFormatEvent('evt_failed_1', 'checkout.session.async_payment_failed', s, c.clock.now()));
  t.equal((await c.booking(bookingId)).phase, 'held');
  const second = await c.payments.checkout(c.eventId, bookingId, 'buyer-3');
  t.not(second.paymentId, first.paymentId);
  const keys = stripe.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions')
    .map((r) => r.headers['idempotency-key']);
  t.same(keys, [
    `marquee-checkout-${bookingId}`,
    `marquee-checkout-${bookingId}`,
    `marquee-checkout-${bookingId}-after-${first.paymentId}`,
  ]);
  t.equal((await c.booking(bookingId)).checkout?.paymentId, second.paymentId);
});

t.test('expiring a session: an open one expires; a paid one says it was paid', async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, { port: () => portOn(stripe) });
  const port = portOn(stripe);
  const a = await c.hold('buyer-4', ['A-2-1']);
  const sa = await c.payments.checkout(c.eventId, a, 'buyer-4');
  t.same(await port.expireSession(sa.paymentId), { state: 'expired' });
  t.equal(stripe.requests.at(-1)?.path, `/v1/checkout/sessions/${sa.paymentId}/expire`);

  const b = await c.hold('buyer-5', ['A-2-2']);
  const sb = await c.payments.checkout(c.eventId, b, 'buyer-5');
  stripe.complete(sb.paymentId, true);
  t.same(await port.expireSession(sb.paymentId), { state: 'paid', amount: 5000, currency: 'GBP' });
  t.same(await port.retrieveSession(sb.paymentId), { state: 'paid', amount: 5000, currency: 'GBP' });

  // The sweeper: the hold lapsed, but Stripe took the money meanwhile.
  c.clock.advance(301);
  await c.payments.expireHold(c.eventId, b, c.clock.now());
  t.equal((await c.booking(b)).phase, 'confirmed');
  await c.payments.expireHold(c.eventId, a, c.clock.now());
  t.equal((await c.booking(a)).phase, 'expired');
});

t.test("a refund goes to the session's payment intent with the amount, metadata and a key per booking and payment", async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, { port: () => portOn(stripe) });
  const port = portOn(stripe);
  const bookingId = await c.hold('buyer-6', ['A-2-3', 'A-2-4']);
  const s = await c.payments.checkout(c.eventId, bookingId, 'buyer-6');
  stripe.complete(s.paymentId, true);
  const r = await port.refund({
    eventId: c.eventId,
    bookingId,
    paymentId: s.paymentId,
    amount: 10_000,
    currency: 'GBP',
    reason: 'seats-taken',
  });
  t.match(r.refundId, /^re_test_/);
  const req = stripe.requests.filter((x) => x.path === '/v1/refunds');
  t.equal(req.length, 1);
  t.equal(req[0]!.headers['idempotency-key'], `marquee-refund-${bookingId}-${s.paymentId}`);
  t.same(req[0]!.form, {
    payment_intent: `pi_for_${s.paymentId}`,
    amount: '10000',
    reason: 'requested_by_customer',
    'metadata[bookingId]': bookingId,
    'metadata[eventId]': c.eventId,
    'metadata[paymentId]': s.paymentId,
    'metadata[reason]': 'seats-taken',
  });
  const twice = await port.refund({
    eventId: c.eventId,
    bookingId,
    paymentId: s.paymentId,
    amount: 10_000,
    currency: 'GBP',
    reason: 'seats-taken',
  });
  t.equal(twice.refundId, r.refundId, 'the same key answers the same refund');
});

t.test('a charge.refunded without our metadata is traced to its booking through the payment intent', async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, { port: () => portOn(stripe) });
  const bookingId = await c.hold('buyer-7', ['A-2-5']);
  const s = await c.payments.checkout(c.eventId, bookingId, 'buyer-7');
  stripe.complete(s.paymentId, true);
  await c.deliver(stripeFormatEvent('evt_paid_7', 'checkout.session.completed', stripe.sessions.get(s.paymentId)!, c.clock.now()));
  t.equal((await c.booking(bookingId)).phase, 'confirmed');
  const charge = {
    id: 'ch_7',
    object: 'charge',
    amount: 5000,
    amount_refunded: 5000,
    currency: 'gbp',
    refunded: true,
    payment_intent: `pi_for_${s.paymentId}`,
    metadata: {},
  };
  const r = await c.deliver(stripeFormatEvent('evt_refunded_7', 'charge.refunded', charge, c.clock.now()));
  t.equal(r.outcome, 'applied');
  const list = stripe.requests.find((x) => x.method === 'GET' && x.path === '/v1/checkout/sessions');
  t.equal(list?.query.get('payment_intent'), `pi_for_${s.paymentId}`);
  t.equal((await c.booking(bookingId)).phase, 'refunded');
});

t.test('a retry with other parameters under the same key is refused by Stripe and reported as a provider error', async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, { port: () => portOn(stripe) });
  const bookingId = await c.hold('buyer-9', ['A-2-7']);
  await c.payments.checkout(c.eventId, bookingId, 'buyer-9');
  const { state } = await c.ticketing.eventState(c.eventId);
  if (state.status !== 'scheduled') throw new Error('no event');
  const request = checkoutRequestFor(state, await c.booking(bookingId));
  await t.rejects(portOn(stripe).createCheckout({ ...request, description: 'changed' }), {
    name: 'PaymentProviderError',
    message: /same parameters/,
  });
});

t.test('a Stripe outage is a PaymentProviderError and no checkout is recorded', async (t) => {
  const c = await core(t, {
    port: () =>
      stripePaymentPort({
        secretKey: KEY,
        publicUrl: PUBLIC_URL,
        host: '127.0.0.1',
        port: 1,
        protocol: 'http',
        maxNetworkRetries: 0,
        timeoutMs: 2000,
      }),
  });
  const bookingId = await c.hold('buyer-8', ['A-2-6']);
  await t.rejects(c.payments.checkout(c.eventId, bookingId, 'buyer-8'), { name: 'PaymentProviderError' });
  t.equal((await c.booking(bookingId)).phase, 'held');
});
