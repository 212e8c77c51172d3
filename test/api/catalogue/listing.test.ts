import t from 'tap';
import { testApp } from '../../support/app.js';

type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

t.test('an organizer lists their own events (soonest first) and their venues; nobody else’s', async (t) => {
  const h = await testApp(t);
  const organizer = await h.organizer();
  const rival = await h.organizer();
  const buyer = await h.user();
  const venue = await h.createVenue(organizer, { name: 'Own Hall' });
  await h.createVenue(rival, { name: 'Rival Hall' });
  const schedule = async (name: string, days: number) => {
    const r = await h.as(organizer.token)({
      method: 'POST',
      url: '/events',
      payload: {
        venueId: venue.id,
        name,
        category: 'music',
        startsAt: new Date(Date.now() + days * 86_400_000).toISOString(),
        currency: 'GBP',
        sectionPrices: { A: 1000, PIT: 500 },
      },
    });
    t.equal(r.statusCode, 201, name);
  };
  await schedule('Later', 20);
  await schedule('Soon', 2);
  await schedule('Middle', 10);
  await h.settle();

  const events = await h.as(organizer.token)({ method: 'GET', url: '/me/events' });
  t.equal(events.statusCode, 200);
  const page = events.json<Page<{ name: string }>>();
  t.same(
    page.items.map((e) => e.name),
    ['Soon', 'Middle', 'Later'],
  );
  t.equal(page.total, 3);
  t.equal(page.page, 1);

  const second = await h.as(organizer.token)({ method: 'GET', url: '/me/events?page=2&pageSize=2' });
  t.same(
    second.json<Page<{ name: string }>>().items.map((e) => e.name),
    ['Later'],
    'pages',
  );

  const venues = await h.as(organizer.token)({ method: 'GET', url: '/me/venues' });
  t.same(
    venues.json<Page<{ name: string; timezone: string }>>().items.map((v) => [v.name, v.timezone]),
    [['Own Hall', 'Europe/London']],
  );

  t.same(
    (await h.as(rival.token)({ method: 'GET', url: '/me/events' })).json<Page<unknown>>().items,
    [],
    'another organizer sees none of them',
  );
  t.equal((await h.as(buyer.token)({ method: 'GET', url: '/me/events' })).statusCode, 403, 'a customer is not an organizer');
  t.equal((await h.as(undefined)({ method: 'GET', url: '/me/venues' })).statusCode, 401);
});
