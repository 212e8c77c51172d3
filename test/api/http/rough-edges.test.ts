import { randomUUID } from 'node:crypto';
import t from 'tap';
import { testApp } from '../../support/app.js';

// The newcomer's rough edges, through the whole app: each answers what happened, in problem JSON.
const h = await testApp(t);
const { organizer, eventId } = await h.onSaleEvent();
const buyer = await h.user();
const asBuyer = h.as(buyer.token);
const asOrganizer = h.as(organizer.token);

t.test('organizer routes check the role before the body: a customer with a bad body is 403, not 400', async (t) => {
  const bad = { nonsense: true };
  for (const [method, url] of [
    ['POST', '/venues'],
    ['POST', '/events'],
    ['PATCH', `/events/${eventId}`],
    ['POST', `/events/${eventId}/cancel`],
    ['POST', `/events/${eventId}/check-ins`],
    ['PUT', `/events/${eventId}/waiting-room`],
  ] as const) {
    const r = await asBuyer({ method, url, payload: bad });
    t.equal(r.statusCode, 403, `${method} ${url}`);
    t.equal(r.json().type, 'forbidden', `${method} ${url}`);
    const anonymous = await h.as(undefined)({ method, url, payload: bad });
    t.equal(anonymous.statusCode, 401, `${method} ${url} without a token`);
  }
  const organizerBad = await asOrganizer({ method: 'POST', url: '/venues', payload: bad });
  t.equal(organizerBad.statusCode, 400, 'the organizer then learns what is wrong with the body');
  t.equal(organizerBad.json().type, 'invalid-input');
});

t.test('a malformed path id is 404 on every route, before the token or the role is looked at', async (t) => {
  for (const [method, url] of [
    ['GET', '/events/not-a-uuid'],
    ['PATCH', '/events/not-a-uuid'],
    ['POST', '/events/not-a-uuid/cancel'],
    ['GET', '/events/not-a-uuid/sales'],
    ['POST', '/bookings/not-a-uuid/checkout'],
    ['GET', '/bookings/not-a-uuid'],
  ] as const) {
    for (const as of [h.as(undefined), asBuyer]) {
      const r = await as({ method, url, payload: {} });
      t.equal(r.statusCode, 404, `${method} ${url}`);
      t.equal(r.json().type, 'not-found');
    }
  }
});

t.test('every list answers a page past its end with an empty page', async (t) => {
  for (const [as, url] of [
    [asBuyer, '/me/bookings?page=999'],
    [asBuyer, '/me/tickets?page=999'],
    [asOrganizer, '/me/events?page=999'],
    [asOrganizer, '/me/venues?page=999'],
    [asBuyer, '/events?page=999'],
    [asBuyer, '/events/search?q=test&page=999'],
  ] as const) {
    const r = await as({ method: 'GET', url });
    t.equal(r.statusCode, 200, url);
    t.match(r.json(), { items: [], page: 999, pageSize: 20 }, url);
  }
  for (const url of ['/me/bookings?page=0', '/events?page=0', '/me/bookings?page=100001', '/events?page=100001']) {
    const r = await asBuyer({ method: 'GET', url });
    t.equal(r.statusCode, 400, `${url}: out of the one range every list takes`);
  }
});

t.test('a seated section asked for as standing is 400 section-seated, naming it', async (t) => {
  const r = await asBuyer({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { standing: [{ sectionId: 'A', quantity: 2 }] } });
  t.equal(r.statusCode, 400);
  t.match(r.json(), { type: 'section-seated', seated: ['A'] });
  t.match(r.headers['content-type'], /^application\/problem\+json/);
});

t.test('checkout of a booking its buyer released says booking-released (a paid one: booking-confirmed, in buyer-flow)', async (t) => {
  const held = await asBuyer({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1'] } });
  t.equal(held.statusCode, 201);
  const id = held.json<{ id: string }>().id;
  t.equal((await asBuyer({ method: 'DELETE', url: `/bookings/${id}` })).statusCode, 200);
  const released = await asBuyer({ method: 'POST', url: `/bookings/${id}/checkout` });
  t.equal(released.statusCode, 409);
  t.match(released.json(), { type: 'booking-released', bookingStatus: 'released' });
});

t.test('JSON sent as text/plain is 415 naming application/json, as a body without a content type is', async (t) => {
  const payload = JSON.stringify({ email: 'x@example.com', password: 'whatever-it-is' });
  const plain = await h.as(undefined)({ method: 'POST', url: '/auth/login', payload, headers: { 'content-type': 'text/plain' } });
  t.equal(plain.statusCode, 415);
  t.match(plain.json(), { type: 'unsupported-media-type', accepted: ['application/json'] });
  t.match(plain.json().detail, /application\/json, not text\/plain/);
  const none = await h.app.inject({ method: 'POST', url: '/auth/login', body: Buffer.from(payload) });
  t.equal(none.statusCode, 415);
  t.match(none.json().detail, /application\/json/);
});

t.test('a known path with the wrong method is 405 with Allow; an unknown path stays 404', async (t) => {
  const cases: [string, string, string][] = [
    ['DELETE', `/events/${eventId}/sales`, 'GET, HEAD'],
    ['GET', '/auth/login', 'POST'],
    ['PUT', '/me', 'GET, HEAD'],
    ['POST', `/bookings/${randomUUID()}`, 'DELETE, GET, HEAD'],
  ];
  for (const [method, url, allow] of cases) {
    const r = await asBuyer({ method: method as 'GET', url, ...(method === 'GET' ? {} : { payload: {} }) });
    t.equal(r.statusCode, 405, `${method} ${url}`);
    t.equal(r.headers.allow, allow, `${method} ${url}`);
    t.match(r.json(), { type: 'method-not-allowed', status: 405 });
  }
  const unknown = await asBuyer({ method: 'DELETE', url: '/no/such/path' });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().type, 'not-found');
});
