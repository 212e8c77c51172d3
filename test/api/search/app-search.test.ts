import t from 'tap';
import { testApp } from '../../support/app.js';

// The whole app on real parts: an organizer schedules through the API, the projector indexes,
// and the public search routes find it, holds change availability, cancelling removes it.
t.test('search through the composed app', async (t) => {
  const h = await testApp(t);
  const organizer = await h.organizer();
  const asOrg = h.as(organizer.token);
  const venue = await asOrg({
    method: 'POST',
    url: '/venues',
    payload: h.venueBody({ name: 'Bridgewater Hall', city: 'Manchester', location: { lat: 53.4761, lng: -2.2441 } }),
  });
  t.equal(venue.statusCode, 201);
  const venueId = venue.json().id as string;
  const created = await asOrg({
    method: 'POST',
    url: '/events',
    payload: {
      venueId,
      name: 'Aurora Live',
      description: 'Nordic pop under the northern lights.',
      category: 'music',
      performers: ['Aurora', 'Sigrid'],
      startsAt: '2030-03-01T19:30:00Z',
      currency: 'GBP',
      sectionPrices: { A: 6500, PIT: 4500 },
    },
  });
  t.equal(created.statusCode, 201);
  const eventId = created.json().id as string;
  await h.settle();

  const get = (url: string) => h.app.inject({ method: 'GET', url });

  t.test('a typo still finds the event, with the API item shape', async (t) => {
    const r = await get('/events/search?q=auorra%20lvie');
    t.equal(r.statusCode, 200);
    t.match(r.json(), { page: 1, pageSize: 20, total: 1 });
    t.match(r.json().items[0], {
      id: eventId,
      name: 'Aurora Live',
      category: 'music',
      performers: [
        { id: 'aurora', name: 'Aurora' },
        { id: 'sigrid', name: 'Sigrid' },
      ],
      startsAt: '2030-03-01T19:30:00.000Z',
      venue: { id: venueId, name: 'Bridgewater Hall', city: 'Manchester', location: { lat: 53.4761, lng: -2.2441 } },
      priceFrom: 4500,
      currency: 'GBP',
      available: 70,
      capacity: 70,
      status: 'scheduled',
    });
  });

  t.test('browse near Manchester gives the distance; near London finds nothing', async (t) => {
    const near = await get('/events?near=53.4808,-2.2426&radiusKm=5');
    t.equal(near.json().items[0]?.id, eventId);
    t.ok(near.json().items[0].distanceKm < 1);
    const far = await get('/events?near=51.5072,-0.1276');
    t.same(far.json().items, []);
  });

  t.test('the performer page lists the event', async (t) => {
    const r = await get('/performers/sigrid');
    t.equal(r.statusCode, 200);
    t.match(r.json(), { id: 'sigrid', name: 'Sigrid', upcoming: [{ id: eventId }] });
  });

  t.test('a hold lowers availability once the projector has seen it', async (t) => {
    const customer = await h.user();
    const hold = await h.as(customer.token)({
      method: 'POST',
      url: `/events/${eventId}/bookings`,
      payload: { seats: ['A-1-1', 'A-1-2'], standing: [] },
    });
    t.equal(hold.statusCode, 201, hold.body);
    await h.settle();
    const r = await get('/events/search?q=aurora');
    t.equal(r.json().items[0]?.available, 68);
  });

  t.test('the OpenAPI document describes the search routes', async (t) => {
    const r = await get('/openapi.json');
    t.equal(r.statusCode, 200);
    const paths = r.json().paths as Record<string, { get?: { parameters?: { name: string }[] } }>;
    t.ok(paths['/events']?.get, 'GET /events');
    t.ok(paths['/performers/{id}']?.get, 'GET /performers/{id}');
    t.ok(
      paths['/events/search']?.get?.parameters?.some((p) => p.name === 'q'),
      'q is documented',
    );
  });

  t.test('a cancelled event leaves search and browse', async (t) => {
    const c = await asOrg({ method: 'POST', url: `/events/${eventId}/cancel`, payload: { reason: 'weather' } });
    t.equal(c.statusCode, 200);
    await h.settle();
    t.equal((await get('/events/search?q=aurora')).json().total, 0);
    t.equal((await get('/events?near=53.4808,-2.2426')).json().total, 0);
  });
});
