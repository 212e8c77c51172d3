import t from 'tap';
import { testApp } from '../../support/app.js';

const day = 86_400_000;

t.test('productions and showtimes', async (t) => {
  const h = await testApp(t);
  const organizer = await h.organizer();
  const asOrganizer = h.as(organizer.token);
  const manchester = await h.createVenue(organizer, { name: 'Northern Screen', city: 'Manchester', location: { lat: 53.48, lng: -2.24 } });
  const london = await h.createVenue(organizer, { name: 'Thames Cinema', city: 'London', location: { lat: 51.5, lng: -0.12 } });
  const base = Date.now() + day;
  const times = (n: number) => Array.from({ length: n }, (_, i) => new Date(base + i * 3 * 3_600_000).toISOString());
  const batch = (venueId: string, startsAt: string[], extra: object = {}, as = asOrganizer) =>
    as({
      method: 'POST',
      url: '/events/batch',
      payload: {
        venueId,
        name: 'Dune: Part Three',
        category: 'film',
        performers: ['Zendaya'],
        production: 'Dune: Part Three',
        currency: 'GBP',
        sectionPrices: { A: 1200, PIT: 900 },
        startsAt,
        ...extra,
      },
    });

  t.test('POST /events/batch schedules one event per start time and answers per item', async (t) => {
    const r = await batch(manchester.id, times(4));
    t.equal(r.statusCode, 200, r.body);
    const body = r.json();
    t.equal(body.created, 4);
    t.equal(body.failed, 0);
    t.match(body.items[0], { status: 201, event: { id: String, production: { id: 'dune-part-three', name: 'Dune: Part Three' } } });
    const london2 = await batch(london.id, times(2));
    t.equal(london2.json().created, 2);
  });

  t.test('an item that fails is answered with its problem; the others are still scheduled', async (t) => {
    // onSaleAt after the first start time: that showtime alone is invalid
    const starts = [new Date(base - day / 2).toISOString(), new Date(base + day).toISOString()];
    const r = await batch(london.id, starts, { onSaleAt: new Date(base - day / 4).toISOString() });
    t.equal(r.statusCode, 200, r.body);
    t.match(r.json(), { created: 1, failed: 1, items: [{ status: 400, problem: { type: 'invalid-input' } }, { status: 201 }] });
  });

  t.test('more than 200 start times, or a customer, is refused', async (t) => {
    const many = await batch(
      london.id,
      Array.from({ length: 201 }, (_, i) => new Date(base + i * 60_000).toISOString()),
    );
    t.equal(many.statusCode, 400);
    t.equal(many.headers['content-type'], 'application/problem+json');
    const buyer = await h.user();
    const r = await batch(london.id, times(1), {}, h.as(buyer.token));
    t.equal(r.statusCode, 403);
  });

  t.test('GET /productions/:id lists upcoming showtimes, filtered by place and date', async (t) => {
    await h.settle();
    const all = await h.app.inject({ url: '/productions/dune-part-three' });
    t.equal(all.statusCode, 200, all.body);
    t.match(all.json(), { id: 'dune-part-three', name: 'Dune: Part Three', category: 'film', performers: [{ id: 'zendaya' }] });
    t.equal(all.json().showtimes.length, 7);
    const near = await h.app.inject({ url: '/productions/dune-part-three?near=53.48,-2.24&radiusKm=20' });
    const showtimes = near.json().showtimes as { venue: { city: string }; production: { id: string } }[];
    t.equal(showtimes.length, 4);
    t.ok(showtimes.every((s) => s.venue.city === 'Manchester' && s.production.id === 'dune-part-three'));
    const tonight = await h.app.inject({
      url: `/productions/dune-part-three?to=${encodeURIComponent(new Date(base + 4 * 3_600_000).toISOString())}`,
    });
    t.equal(tonight.json().showtimes.length, 4, 'the first two in each city');
    t.equal((await h.app.inject({ url: '/productions/no-such-film' })).statusCode, 404);
  });

  t.test('GET /productions is "now showing": near me, with counts and the next showtime', async (t) => {
    const r = await h.app.inject({ url: '/productions?near=51.5,-0.12&radiusKm=30' });
    t.equal(r.statusCode, 200, r.body);
    t.match(r.json(), {
      total: 1,
      items: [{ id: 'dune-part-three', name: 'Dune: Part Three', showtimeCount: 3, priceFrom: 900, currency: 'GBP', nextShowtime: String }],
    });
    t.equal((await h.app.inject({ url: '/productions?q=dune' })).json().total, 1);
    t.equal((await h.app.inject({ url: '/productions?q=aurora' })).json().total, 0);
    t.equal((await h.app.inject({ url: '/productions?category=music' })).json().total, 0);
  });

  t.test('browse and search items carry the production; search takes production=', async (t) => {
    const browse = await h.app.inject({ url: '/events' });
    t.ok(browse.json().items.every((i: { production?: { id: string } }) => i.production?.id === 'dune-part-three'));
    await h.onSaleEvent({ name: 'Dune tribute night' });
    await h.settle();
    const all = await h.app.inject({ url: '/events/search?q=dune' });
    t.ok(all.json().total >= 8, JSON.stringify(all.json().total));
    const only = await h.app.inject({ url: '/events/search?q=dune&production=dune-part-three' });
    t.equal(only.json().total, 7);
  });
});
