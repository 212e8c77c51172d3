import t from 'tap';
import Stripe from 'stripe';
import { localCheckoutEvent, signedDelivery } from '../../../src/commands/payments/local.js';
import { SECRET } from '../../commands/payments/helpers.js';
import { holdSeats, paymentsApp } from './app.js';

type Checkout = { provider: string; paymentId: string; url: string; expiresAt: string };
type Booking = { id: string; status: string; amount: number; tickets: { id: string; seat?: string; section: string; code?: string }[] };

t.test('the buyer flow over real HTTP with the local provider: hold, checkout, Pay, tickets, check-in', async (t) => {
  const app = await paymentsApp(t, { listen: true });
  const base = app.url!;
  const buyer = await app.register('Ada Buyer');
  const { organizer, eventId } = await app.onSaleEvent();
  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  const hold = await fetch(`${base}/events/${eventId}/bookings`, {
    method: 'POST',
    headers: auth(buyer.token),
    body: JSON.stringify({ seats: ['A-1-1', 'A-1-2'] }),
  });
  t.equal(hold.status, 201);
  const booking = (await hold.json()) as Booking;

  const co = await fetch(`${base}/bookings/${booking.id}/checkout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${buyer.token}` },
  });
  t.equal(co.status, 200);
  const checkout = (await co.json()) as Checkout;
  t.equal(checkout.provider, 'local');
  t.match(checkout.paymentId, /^cs_local_/);
  t.equal(new URL(checkout.url).pathname, `/pay/${checkout.paymentId}`);

  const again = await fetch(`${base}/bookings/${booking.id}/checkout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${buyer.token}` },
  });
  t.same(((await again.json()) as Checkout).paymentId, checkout.paymentId, 'a retried checkout answers the same session');

  const payUrl = `${base}/pay/${checkout.paymentId}`;
  const pageRes = await fetch(payUrl);
  t.equal(pageRes.status, 200);
  t.match(pageRes.headers.get('content-type'), /text\/html/);
  const html = await pageRes.text();
  t.match(html, /<button[^>]*value="pay"[^>]*>Pay<\/button>/);
  t.match(html, /<button[^>]*value="decline"[^>]*>Decline<\/button>/);
  t.match(html, /£100\.00/);
  t.notMatch(html, /<input/i, 'no card (or any other) fields');

  const paid = await fetch(payUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=pay',
  });
  t.equal(paid.status, 200);
  const paidHtml = await paid.text();
  t.match(paidHtml, /data-status="confirmed"/);
  t.match(paidHtml, new RegExp(`href="[^"]*/booking/${booking.id}"`), 'links to the booking');

  const got = await fetch(`${base}/bookings/${booking.id}`, { headers: { authorization: `Bearer ${buyer.token}` } });
  const confirmed = (await got.json()) as Booking;
  t.equal(confirmed.status, 'confirmed');
  t.equal(confirmed.tickets.length, 2);
  for (const ticket of confirmed.tickets) t.match(ticket.code, /^mq1\./, 'every ticket carries a signed code');

  const code = confirmed.tickets[0]!.code!;
  const scan = (token: string, body: unknown, event = eventId) =>
    fetch(`${base}/events/${event}/check-ins`, { method: 'POST', headers: auth(token), body: JSON.stringify(body) });
  const first = await scan(organizer.token, { code });
  t.equal(first.status, 200);
  t.match(await first.json(), { ticketId: confirmed.tickets[0]!.id, bookingId: booking.id, eventId, section: 'A' });
  const second = await scan(organizer.token, { code });
  t.equal(second.status, 409);
  t.match(await second.json(), { type: 'already-checked-in' });
  t.match(second.headers.get('content-type'), /application\/problem\+json/);

  const forged = code.slice(0, -3) + (code.endsWith('AAA') ? 'BBB' : 'AAA');
  const bad = await scan(organizer.token, { code: forged });
  t.equal(bad.status, 400);
  t.match(await bad.json(), { type: 'invalid-code' });
  const other = await scan(organizer.token, { code: confirmed.tickets[1]!.code }, eventId);
  t.equal(other.status, 200, 'the second ticket scans once too');
  t.equal((await scan(buyer.token, { code })).status, 403, 'customers cannot scan');

  await app.settle();
  const mine = await fetch(`${base}/me/tickets`, { headers: { authorization: `Bearer ${buyer.token}` } });
  const tickets = (await mine.json()) as { items: { id: string; code?: string }[] };
  t.equal(tickets.items.length, 2);
  for (const ticket of tickets.items) t.match(ticket.code, /^mq1\./);

  const paidAgain = await fetch(`${base}/bookings/${booking.id}/checkout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${buyer.token}` },
  });
  t.equal(paidAgain.status, 409);
  t.match(await paidAgain.json(), { type: 'booking-confirmed' });
});

t.test("a code for another event's ticket is invalid-code at this event's door", async (t) => {
  const app = await paymentsApp(t);
  const buyer = await app.register();
  const one = await app.onSaleEvent();
  const organizer = one.organizer;
  const two = await app.as(organizer.token)({
    method: 'POST',
    url: '/events',
    payload: {
      venueId: one.venueId,
      name: 'Second',
      description: '',
      category: 'music',
      performers: [],
      currency: 'GBP',
      startsAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
      onSaleAt: new Date(Date.now() - 60_000).toISOString(),
      sectionPrices: { A: 1000, PIT: 1000 },
    },
  });
  t.equal(two.statusCode, 201);
  const otherEvent = two.json<{ id: string }>().id;
  const b = await holdSeats(app, buyer, otherEvent, ['A-2-3']);
  const co = (await app.as(buyer.token)({ method: 'POST', url: `/bookings/${b.id}/checkout` })).json<Checkout>();
  const delivered = await app.deliver(
    localCheckoutEvent(
      { sessionId: co.paymentId, eventId: otherEvent, bookingId: b.id, amount: b.amount, currency: b.currency },
      'paid',
      new Date(),
    ),
  );
  t.equal(delivered.statusCode, 200);
  const confirmed = (await app.as(buyer.token)({ method: 'GET', url: `/bookings/${b.id}` })).json<Booking>();
  t.equal(confirmed.status, 'confirmed');
  const r = await app.as(organizer.token)({
    method: 'POST',
    url: `/events/${one.eventId}/check-ins`,
    payload: { code: confirmed.tickets[0]!.code },
  });
  t.equal(r.statusCode, 400);
  t.match(r.json(), { type: 'invalid-code' });
  const ok = await app.as(organizer.token)({
    method: 'POST',
    url: `/events/${otherEvent}/check-ins`,
    payload: { code: confirmed.tickets[0]!.code },
  });
  t.equal(ok.statusCode, 200);
});

t.test('Decline on the pay page sends the booking back to held', async (t) => {
  const app = await paymentsApp(t);
  const buyer = await app.register();
  const { eventId } = await app.onSaleEvent();
  const b = await holdSeats(app, buyer, eventId, ['A-1-5']);
  const co = (await app.as(buyer.token)({ method: 'POST', url: `/bookings/${b.id}/checkout` })).json<Checkout>();
  const r = await app.app.inject({
    method: 'POST',
    url: `/pay/${co.paymentId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'action=decline',
  });
  t.equal(r.statusCode, 200);
  t.match(r.body, /data-status="held"/);
  t.equal((await app.as(buyer.token)({ method: 'GET', url: `/bookings/${b.id}` })).json<Booking>().status, 'held');
  const page = await app.app.inject({ method: 'GET', url: `/pay/${co.paymentId}` });
  t.notMatch(page.body, /<button/, 'the declined session shows no buttons');
  const gone = await app.app.inject({ method: 'GET', url: '/pay/cs_local_forged' });
  t.equal(gone.statusCode, 404);
});

t.test('POST /webhooks/stripe takes the raw body, refuses forgeries with invalid-signature and acknowledges the rest', async (t) => {
  const app = await paymentsApp(t);
  const buyer = await app.register();
  const { eventId } = await app.onSaleEvent();
  const b = await holdSeats(app, buyer, eventId, ['A-2-1']);
  const co = (await app.as(buyer.token)({ method: 'POST', url: `/bookings/${b.id}/checkout` })).json<Checkout>();
  const { payload, signature } = signedDelivery(
    localCheckoutEvent({ sessionId: co.paymentId, eventId, bookingId: b.id, amount: b.amount, currency: b.currency }, 'paid', new Date()),
    SECRET,
  );
  const post = (body: string, headers: Record<string, string>) =>
    app.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      payload: body,
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    });

  for (const [what, body, headers] of [
    ['no signature', payload, {}],
    ['a wrong secret', payload, { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_nope' }) }],
    ['a re-serialised body', JSON.stringify(JSON.parse(payload)), { 'stripe-signature': signature }],
    [
      'a stale timestamp',
      payload,
      {
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: SECRET,
          timestamp: Math.floor(Date.now() / 1000) - 301,
        }),
      },
    ],
  ] as const) {
    const r = await post(body, headers);
    t.equal(r.statusCode, 400, what);
    t.match(r.json(), { type: 'invalid-signature' }, what);
  }
  t.equal(
    (await app.as(buyer.token)({ method: 'GET', url: `/bookings/${b.id}` })).json<Booking>().status,
    'payment_pending',
    'nothing recorded',
  );

  const ok = await post(payload, { 'stripe-signature': signature });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { received: true, outcome: 'applied' });
  const dup = await post(payload, { 'stripe-signature': signature });
  t.equal(dup.statusCode, 200);
  t.match(dup.json(), { received: true, outcome: 'unchanged' });
  const other = await app.app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    payload: 'not json at all',
    headers: { 'content-type': 'text/plain', 'stripe-signature': signature },
  });
  t.equal(other.statusCode, 400);
});

t.test("checkout of a released hold or of another buyer's booking is refused, saying which", async (t) => {
  const app = await paymentsApp(t);
  const buyer = await app.register();
  const stranger = await app.register();
  const { eventId } = await app.onSaleEvent();
  const b = await holdSeats(app, buyer, eventId, ['A-2-9']);
  const r = await app.as(stranger.token)({ method: 'POST', url: `/bookings/${b.id}/checkout` });
  t.equal(r.statusCode, 404);
  const unknown = await app.as(buyer.token)({ method: 'POST', url: '/bookings/00000000-0000-4000-8000-000000000000/checkout' });
  t.equal(unknown.statusCode, 404);
  const released = await app.as(buyer.token)({ method: 'DELETE', url: `/bookings/${b.id}` });
  t.equal(released.statusCode, 200);
  const late = await app.as(buyer.token)({ method: 'POST', url: `/bookings/${b.id}/checkout` });
  t.equal(late.statusCode, 409);
  t.match(late.json(), { type: 'booking-released', bookingStatus: 'released' });
});

t.test('the payment routes are in the OpenAPI document, the HTML pay page too', async (t) => {
  const app = await paymentsApp(t);
  const r = await app.app.inject({ method: 'GET', url: '/openapi.json' });
  t.equal(r.statusCode, 200);
  const paths = Object.keys(r.json<{ paths: Record<string, unknown> }>().paths);
  for (const p of ['/bookings/{id}/checkout', '/webhooks/stripe', '/events/{id}/check-ins', '/pay/{sessionId}', '/pay/return'])
    t.ok(paths.includes(p), p);
});
