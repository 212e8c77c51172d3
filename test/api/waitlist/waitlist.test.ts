import t from 'tap';
import { testApp } from '../../support/app.js';

const tinyVenue = {
  layout: { sections: [{ id: 'A', name: 'Block A', kind: 'seated', rows: [{ label: '1', seats: 4 }] }] },
};

t.test('the waitlist of a sold-out event', async (t) => {
  const h = await testApp(t);
  const { organizer, eventId } = await h.onSaleEvent({ sectionPrices: { A: 5000 } }, tinyVenue);
  const [holder, first, second] = await Promise.all([h.user(), h.user(), h.user()]);
  const asHolder = h.as(holder.token);
  const asFirst = h.as(first.token);
  const asSecond = h.as(second.token);
  const join = (as: typeof asFirst, payload: object) => as({ method: 'POST', url: `/events/${eventId}/waitlist`, payload });

  const full = await asHolder({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { best: { quantity: 4 } } });
  t.equal(full.statusCode, 201, full.body);
  const holderBooking = full.json().id as string;

  let firstEntry = '';
  t.test('joining answers 201 with a waiting entry and its position; joining again 200 with the same entry', async (t) => {
    const r = await join(asFirst, { quantity: 2 });
    t.equal(r.statusCode, 201, r.body);
    t.match(r.json(), { id: String, eventId, quantity: 2, status: 'waiting', position: 1, createdAt: String });
    firstEntry = r.json().id;
    const again = await join(asFirst, { quantity: 3 });
    t.equal(again.statusCode, 200);
    t.equal(again.json().id, firstEntry);
    const s = await join(asSecond, { quantity: 2 });
    t.equal(s.statusCode, 201);
    t.equal(s.json().position, 2);
  });

  t.test('bad bodies are 400 problems; a quantity over the limit too', async (t) => {
    for (const payload of [{}, { quantity: 0 }, { quantity: 2, colour: 'red' }, { quantity: 9 }]) {
      const r = await join(asHolder, payload);
      t.equal(r.statusCode, 400, JSON.stringify(payload));
      t.equal(r.headers['content-type'], 'application/problem+json');
    }
  });

  t.test('a released hold goes to the waitlist in joining order, before the public pool', async (t) => {
    const released = await asHolder({ method: 'DELETE', url: `/bookings/${holderBooking}` });
    t.equal(released.statusCode, 200);
    const seats = await h.waitFor(async () => {
      const r = await asFirst({ method: 'GET', url: '/me/waitlist' });
      const e = r.json().items[0];
      return e?.status === 'offered' ? e : undefined;
    });
    t.match(seats, { id: firstEntry, status: 'offered', bookingId: String });
    // the bookings read model may trail the waitlist's by a moment
    const booking = await h.waitFor(async () => {
      const r = await asFirst({ method: 'GET', url: `/bookings/${seats.bookingId}` });
      return r.statusCode === 200 ? r : undefined;
    });
    t.match(booking.json(), { status: 'held', seats: ['A-1-2', 'A-1-3'], amount: 10_000 });
    const public_ = await asHolder({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { best: { quantity: 1 } } });
    t.equal(public_.statusCode, 409, 'the other two went to the second entry');
    // Its offer may reach the waitlist read model in a later batch than the first one's.
    const mine = await h.waitFor(async () => {
      const e = (await asSecond({ method: 'GET', url: '/me/waitlist' })).json().items[0];
      return e?.status === 'offered' ? e : undefined;
    });
    t.match(mine, { status: 'offered', bookingId: String });
  });

  t.test('an offer that lapses unpaid (the sweeper) becomes expired and passes its seats on', async (t) => {
    const third = await h.user();
    const joined = await join(h.as(third.token), { quantity: 2 });
    t.equal(joined.json().status, 'waiting');
    const offer = (await asFirst({ method: 'GET', url: '/me/waitlist' })).json().items[0];
    // what the hold sweeper sends once the offer's hold has lapsed
    await h.runtime.ticketing.expire(eventId, offer.bookingId, new Date(Date.now() + 301_000));
    const mine = await h.waitFor(async () => {
      const e = (await h.as(third.token)({ method: 'GET', url: '/me/waitlist' })).json().items[0];
      return e?.status === 'offered' ? e : undefined;
    });
    t.ok(mine.bookingId);
    const lapsed = (await asFirst({ method: 'GET', url: '/me/waitlist' })).json().items[0];
    t.equal(lapsed.status, 'expired');
  });

  t.test('the organizer sees counts; a customer is 403', async (t) => {
    await h.settle();
    const r = await h.as(organizer.token)({ method: 'GET', url: `/events/${eventId}/waitlist` });
    t.equal(r.statusCode, 200);
    t.strictSame(r.json(), { waiting: 0, offered: 2, fulfilled: 0 });
    t.equal((await asFirst({ method: 'GET', url: `/events/${eventId}/waitlist` })).statusCode, 403);
  });

  t.test('leaving answers the entry with status left; leaving again is 404', async (t) => {
    const r = await asSecond({ method: 'DELETE', url: `/events/${eventId}/waitlist` });
    t.equal(r.statusCode, 200, r.body);
    t.equal(r.json().status, 'left');
    const again = await asSecond({ method: 'DELETE', url: `/events/${eventId}/waitlist` });
    t.equal(again.statusCode, 404);
    t.equal(again.headers['content-type'], 'application/problem+json');
  });

  t.test('the OpenAPI document lists the waitlist routes', async (t) => {
    const doc = (await h.app.inject({ url: '/openapi.json' })).json();
    t.ok(doc.paths['/events/{id}/waitlist']?.post);
    t.ok(doc.paths['/events/{id}/waitlist']?.delete);
    t.ok(doc.paths['/me/waitlist']?.get);
    t.ok(doc.paths['/events/{id}/waitlist/me/stream']?.get);
  });
});

t.test('waitlist before the on-sale is 409 not-on-sale; the entry stream sends the entry', async (t) => {
  const h = await testApp(t, { listen: true });
  const later = await h.onSaleEvent({ onSaleAt: new Date(Date.now() + 86_400_000).toISOString() });
  const buyer = await h.user();
  const r = await h.as(buyer.token)({ method: 'POST', url: `/events/${later.eventId}/waitlist`, payload: { quantity: 1 } });
  t.equal(r.statusCode, 409);
  t.equal(r.json().type, 'not-on-sale');

  const { eventId } = await h.onSaleEvent({ sectionPrices: { A: 5000 } }, tinyVenue);
  await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { best: { quantity: 4 } } });
  const other = await h.user();
  await h.as(other.token)({ method: 'POST', url: `/events/${eventId}/waitlist`, payload: { quantity: 1 } });
  await h.settle();
  const controller = new AbortController();
  const res = await fetch(`${h.url}/events/${eventId}/waitlist/me/stream?access_token=${other.token}`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /text\/event-stream/);
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  const text = new TextDecoder().decode(value);
  t.match(text, /"status":"waiting"/);
  t.match(text, /"position":1/);
  controller.abort();
});
