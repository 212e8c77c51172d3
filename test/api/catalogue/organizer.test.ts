import t from 'tap';
import { testApp } from '../../support/app.js';

t.test('organizer routes', async (t) => {
  const h = await testApp(t);
  const organizer = await h.organizer();
  const customer = await h.user();
  const asOrg = h.as(organizer.token);

  t.test('POST /venues answers 201 with the venue and its capacity; GET /venues/:id is public', async (t) => {
    const r = await asOrg({ method: 'POST', url: '/venues', payload: h.venueBody() });
    t.equal(r.statusCode, 201);
    const venue = r.json();
    t.match(venue, { id: String, name: 'Test Hall', city: 'Manchester', country: 'GB', capacity: 70, layout: { sections: Array } });
    const g = await h.app.inject({ method: 'GET', url: `/venues/${venue.id}` });
    t.equal(g.statusCode, 200);
    t.same(g.json(), venue);
  });

  t.test('a customer gets 403 forbidden and an anonymous caller 401 on organizer routes', async (t) => {
    const c = await h.as(customer.token)({ method: 'POST', url: '/venues', payload: h.venueBody() });
    t.equal(c.statusCode, 403);
    t.equal(c.json().type, 'forbidden');
    const a = await h.app.inject({ method: 'POST', url: '/venues', payload: h.venueBody() });
    t.equal(a.statusCode, 401);
    t.equal(a.json().type, 'unauthorized');
  });

  t.test('a bad layout, a bad country or an unknown field is 400 with the fixed slugs', async (t) => {
    const badId = await asOrg({
      method: 'POST',
      url: '/venues',
      payload: h.venueBody({ layout: { sections: [{ id: 'A-B', name: 'x', kind: 'seated', rows: [{ label: '1', seats: 3 }] }] } }),
    });
    t.equal(badId.statusCode, 400);
    t.equal(badId.json().type, 'invalid-input');
    const dup = await asOrg({
      method: 'POST',
      url: '/venues',
      payload: h.venueBody({
        layout: {
          sections: [
            { id: 'A', name: 'x', kind: 'seated', rows: [{ label: '1', seats: 3 }] },
            { id: 'A', name: 'y', kind: 'standing', capacity: 3 },
          ],
        },
      }),
    });
    t.equal(dup.statusCode, 400);
    t.equal(dup.json().type, 'invalid-layout');
    const extra = await asOrg({ method: 'POST', url: '/venues', payload: { ...h.venueBody(), colour: 'red' } });
    t.equal(extra.statusCode, 400);
    t.match(extra.json(), { type: 'invalid-input', issues: [{ code: 'unrecognized_keys' }] });
  });

  t.test('GET /venues/:id of an unknown venue is 404 not-found', async (t) => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const r = await h.app.inject({ method: 'GET', url: `/venues/${id}` });
      t.equal(r.statusCode, 404);
      t.equal(r.json().type, 'not-found');
    }
  });

  let eventId = '';
  t.test('POST /events answers 201 with the event, readable at once with GET /events/:id', async (t) => {
    const venue = await h.createVenue(organizer);
    const r = await asOrg({
      method: 'POST',
      url: '/events',
      payload: {
        venueId: venue.id,
        name: 'Aurora Live',
        description: 'An evening with Aurora',
        category: 'music',
        performers: ['Aurora'],
        startsAt: '2031-03-01T19:30:00Z',
        currency: 'GBP',
        sectionPrices: { A: 6500, PIT: 4500 },
        onSaleAt: '2026-01-01T10:00:00Z',
      },
    });
    t.equal(r.statusCode, 201);
    const event = r.json();
    eventId = event.id;
    t.match(event, {
      id: String,
      name: 'Aurora Live',
      category: 'music',
      performers: [{ id: 'aurora', name: 'Aurora' }],
      startsAt: '2031-03-01T19:30:00.000Z',
      venue: { id: venue.id, name: 'Test Hall', city: 'Manchester', location: { lat: 53.4794, lng: -2.2453 } },
      priceFrom: 4500,
      currency: 'GBP',
      available: 70,
      capacity: 70,
      status: 'scheduled',
      description: 'An evening with Aurora',
      holdSeconds: 300,
      maxTicketsPerUser: 8,
      waitingRoom: { enabled: false },
    });
    t.same(
      event.sections.map((s: { id: string; price: number; capacity: number }) => [s.id, s.price, s.capacity]),
      [
        ['A', 6500, 20],
        ['PIT', 4500, 50],
      ],
    );
    t.equal(r.headers.location, `/events/${event.id}`);
    const g = await h.app.inject({ method: 'GET', url: `/events/${event.id}` });
    t.equal(g.statusCode, 200);
    t.match(g.json(), { id: event.id, name: 'Aurora Live', sections: Array, onSaleAt: String });
    await h.settle();
    const projected = await h.app.inject({ method: 'GET', url: `/events/${event.id}` });
    t.match(projected.json(), { id: event.id, name: 'Aurora Live', available: 70, capacity: 70, priceFrom: 4500 });
  });

  t.test('POST /events is 404 for an unknown venue and 400 for a missing section price or a bad holdSeconds', async (t) => {
    const venue = await h.createVenue(organizer);
    const base = {
      venueId: venue.id,
      name: 'X',
      category: 'music',
      startsAt: '2031-03-01T19:30:00Z',
      currency: 'GBP',
      sectionPrices: { A: 100, PIT: 100 },
    };
    const unknown = await asOrg({ method: 'POST', url: '/events', payload: { ...base, venueId: '00000000-0000-4000-8000-000000000000' } });
    t.equal(unknown.statusCode, 404);
    t.equal(unknown.json().type, 'not-found');
    const noPrice = await asOrg({ method: 'POST', url: '/events', payload: { ...base, sectionPrices: { A: 100 } } });
    t.equal(noPrice.statusCode, 400);
    t.equal(noPrice.json().type, 'invalid-input');
    const hold = await asOrg({ method: 'POST', url: '/events', payload: { ...base, holdSeconds: 10 } });
    t.equal(hold.statusCode, 400);
    t.equal(hold.json().type, 'invalid-input');
  });

  t.test('PATCH /events/:id changes details; another organizer gets 403 and an unknown event 404', async (t) => {
    const r = await asOrg({
      method: 'PATCH',
      url: `/events/${eventId}`,
      payload: { name: 'Aurora Live (extra date)', sectionPrices: { A: 7000 } },
    });
    t.equal(r.statusCode, 200);
    t.match(r.json(), {
      name: 'Aurora Live (extra date)',
      sections: [
        { id: 'A', price: 7000 },
        { id: 'PIT', price: 4500 },
      ],
    });
    const other = await h.organizer();
    const o = await h.as(other.token)({ method: 'PATCH', url: `/events/${eventId}`, payload: { name: 'Mine now' } });
    t.equal(o.statusCode, 403);
    t.equal(o.json().type, 'forbidden');
    const u = await asOrg({ method: 'PATCH', url: '/events/00000000-0000-4000-8000-000000000000', payload: { name: 'x' } });
    t.equal(u.statusCode, 404);
    const empty = await asOrg({ method: 'PATCH', url: `/events/${eventId}`, payload: {} });
    t.equal(empty.statusCode, 400);
  });

  t.test('GET /events/:id/sales counts held seats; POST /events/:id/cancel cancels (once), and then holds are refused', async (t) => {
    const buyer = await h.user();
    const hold = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1', 'A-1-2'] } });
    t.equal(hold.statusCode, 201);
    const sales = await asOrg({ method: 'GET', url: `/events/${eventId}/sales` });
    t.equal(sales.statusCode, 200);
    t.same(sales.json(), { sold: 0, held: 2, available: 68, revenue: 0, currency: 'GBP' });
    const forbidden = await h.as(buyer.token)({ method: 'GET', url: `/events/${eventId}/sales` });
    t.equal(forbidden.statusCode, 403);
    const c = await asOrg({ method: 'POST', url: `/events/${eventId}/cancel`, payload: { reason: 'storm' } });
    t.equal(c.statusCode, 200);
    t.equal(c.json().status, 'cancelled');
    const after = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-3'] } });
    t.equal(after.statusCode, 409);
    t.equal(after.json().type, 'event-cancelled');
    const again = await asOrg({ method: 'POST', url: `/events/${eventId}/cancel` });
    t.equal(again.statusCode, 200, 'cancelling again changes nothing');
    t.equal(again.json().status, 'cancelled');
  });

  t.test('an unknown route is a 404 problem', async (t) => {
    const r = await h.app.inject({ method: 'GET', url: '/no/such/route' });
    t.equal(r.statusCode, 404);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.equal(r.json().type, 'not-found');
  });

  t.test('/openapi.json documents the routes from the zod schemas; /docs serves the UI', async (t) => {
    const r = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    t.equal(r.statusCode, 200);
    const doc = r.json();
    t.equal(doc.openapi, '3.1.0');
    for (const path of ['/auth/register', '/venues', '/events', '/events/{id}/bookings', '/bookings/{id}', '/events/{id}/seats'])
      t.ok(doc.paths[path], path);
    t.ok(doc.paths['/events/{id}/bookings'].post.requestBody, 'request body schema');
    const docs = await h.app.inject({ method: 'GET', url: '/docs' });
    t.ok([200, 302].includes(docs.statusCode));
  });
});
