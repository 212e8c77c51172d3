import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import t from 'tap';
import { installProblemHandlers } from '../../../src/api/http/index.js';
import { searchRoutes } from '../../../src/api/search/index.js';
import { pgSearchIndex, searchProjection } from '../../../src/projections/search/index.js';
import { freshDatabase } from '../../support/services.js';
import { harness, openPool } from '../../projections/search/contract.js';
import { catalogue, venues } from '../../projections/search/fixtures.js';

// H6's testApp composes the whole app; these routes need only the search index, so a bare
// fastify with the same zod compilers and the app's one problem handler serves them here.
const url = await freshDatabase(t);
const pool = openPool(t, url);
const index = pgSearchIndex(pool);
const h = await harness(t, url, { index, pool, projection: searchProjection(index.store) });
for (const [id, events] of catalogue()) await h.append(id, events);

let clock = new Date('2029-06-01T00:00:00Z');
const app = Fastify();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
installProblemHandlers(app);
await app.register(searchRoutes({ search: index, now: () => clock }));
await app.ready();
t.teardown(() => app.close());

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() };
};

t.test('browsing near a place sorts by distance and gives distanceKm', async (t) => {
  const { lat, lng } = venues.odeon.location;
  const res = await get(`/events?near=${lat},${lng}&radiusKm=20`);
  t.equal(res.status, 200);
  t.same(
    res.body.items.map((i: { id: string }) => i.id),
    ['dune', 'taylor'],
  );
  t.equal(res.body.items[0].distanceKm, 0);
  t.ok(res.body.items[1].distanceKm > 10 && res.body.items[1].distanceKm < 13);
  t.match(res.body, { page: 1, pageSize: 20, total: 2 });
  t.match(res.body.items[1], {
    name: 'The Eras Tour',
    category: 'music',
    performers: [{ id: 'taylor-swift', name: 'Taylor Swift' }],
    venue: { id: 'wembley', name: 'Wembley Stadium', city: 'London', location: { lat: 51.556, lng: -0.2796 } },
    priceFrom: 4500,
    currency: 'GBP',
    available: 110,
    capacity: 110,
    status: 'scheduled',
  });
});

t.test('browsing without near sorts by start time and leaves out past events', async (t) => {
  const all = await get('/events?pageSize=3');
  t.same(
    all.body.items.map((i: { id: string }) => i.id),
    ['derby', 'dune', 'hamlet'],
  );
  t.equal(all.body.total, 31);
  t.notOk('distanceKm' in all.body.items[0]);
  clock = new Date('2030-05-01T00:00:00Z');
  try {
    const later = await get('/events?pageSize=3');
    t.same(
      later.body.items.map((i: { id: string }) => i.id),
      ['hamlet', 'taylor', 'coldplay'],
    );
    const window = await get('/events?from=2030-03-01T00:00:00Z&to=2030-04-30T00:00:00Z&category=sports');
    t.same(
      window.body.items.map((i: { id: string }) => i.id),
      ['derby'],
      'an explicit from looks back',
    );
  } finally {
    clock = new Date('2029-06-01T00:00:00Z');
  }
});

t.test('search is typo tolerant and ranked by relevance', async (t) => {
  const res = await get('/events/search?q=tayler%20swfit');
  t.equal(res.status, 200);
  t.equal(res.body.items[0].id, 'taylor');
  const filtered = await get(`/events/search?q=manchester&category=sports&performer=liverpool-fc&venue=old-trafford`);
  t.same(
    filtered.body.items.map((i: { id: string }) => i.id),
    ['derby'],
  );
  const empty = await get('/events/search?q=');
  t.equal(empty.body.total, 31);
});

t.test('a performer has a name and upcoming events', async (t) => {
  const res = await get('/performers/taylor-swift');
  t.equal(res.status, 200);
  t.match(res.body, { id: 'taylor-swift', name: 'Taylor Swift' });
  t.same(
    res.body.upcoming.map((i: { id: string }) => i.id),
    ['taylor'],
  );
  const missing = await get('/performers/nobody-at-all');
  t.equal(missing.status, 404);
  t.match(missing.body, { type: 'not-found', status: 404 });
});

t.test('a page past the end is an empty page, as on every list, even past the deepest page the index reads', async (t) => {
  const all = await get('/events');
  t.ok(all.body.total > 0);
  for (const url of ['/events?page=999', '/events/search?q=hamlet&page=999', '/events?page=100000&pageSize=100']) {
    const res = await get(url);
    t.equal(res.status, 200, url);
    t.same(res.body.items, [], url);
    t.equal(res.body.page, Number(/page=(\d+)/.exec(url)?.[1]), url);
  }
  t.equal((await get('/events?page=999')).body.total, all.body.total, 'the total still counts every match');
  t.equal((await get('/events?page=100000&pageSize=100')).body.total, all.body.total);
});

t.test('bad input is a 400 problem', async (t) => {
  for (const bad of [
    '/events?near=banana',
    '/events?near=91,0',
    '/events?near=51.5',
    '/events?radiusKm=5',
    '/events?near=51.5,0&radiusKm=-1',
    '/events?from=yesterday',
    '/events?from=2030-02-01T00:00:00Z&to=2030-01-01T00:00:00Z',
    '/events?category=opera',
    '/events?pageSize=101',
    '/events?page=0',
    '/events?color=red',
    '/events/search?q=x&sort=price',
    '/performers/taylor-swift?x=1',
  ]) {
    const res = await get(bad);
    t.equal(res.status, 400, bad);
    t.match(res.type, /application\/problem\+json/, `${bad} content-type`);
    t.match(res.body, { type: 'invalid-input', status: 400 }, bad);
  }
});

t.test('browse and search answers carry Cache-Control and an ETag; a current one is a 304 until the index changes', async (t) => {
  const first = await app.inject({ method: 'GET', url: '/events/search?q=hamlet' });
  t.equal(first.statusCode, 200);
  t.equal(first.headers['cache-control'], 'public, max-age=5');
  const tag = String(first.headers.etag);
  t.match(tag, /^W\/"\d+-\d+"$/, 'a weak tag: the index version and, for a window from now, the minute');
  const again = await app.inject({ method: 'GET', url: '/events/search?q=hamlet', headers: { 'if-none-match': tag } });
  t.equal(again.statusCode, 304, 'the same question while nothing changed');
  t.equal(again.body, '', 'with no body');
  t.equal(again.headers.etag, tag);
  const listed = await app.inject({ method: 'GET', url: '/events/search?q=hamlet', headers: { 'if-none-match': `"other", ${tag}` } });
  t.equal(listed.statusCode, 304, 'one of a list of tags');

  const windowed = await app.inject({ method: 'GET', url: '/events?from=2029-06-01T00:00:00Z&to=2029-07-01T00:00:00Z' });
  t.match(String(windowed.headers.etag), /^W\/"\d+"$/, 'an explicit window does not depend on the clock');

  clock = new Date(clock.getTime() + 60_000);
  try {
    const nextMinute = await app.inject({ method: 'GET', url: '/events/search?q=hamlet', headers: { 'if-none-match': tag } });
    t.equal(nextMinute.statusCode, 200, 'a window from now is answered afresh in a later minute');
  } finally {
    clock = new Date(clock.getTime() - 60_000);
  }

  await h.append('hamlet', [{ type: 'EventDetailsChanged', data: { eventId: 'hamlet', changes: { description: 'Now with swords.' } } }]);
  const changed = await app.inject({ method: 'GET', url: '/events/search?q=hamlet', headers: { 'if-none-match': tag } });
  t.equal(changed.statusCode, 200, 'a projected change makes the tag stale');
  t.not(changed.headers.etag, tag);
  const browse = await app.inject({ method: 'GET', url: '/events?pageSize=3' });
  await h.append('derby', [{ type: 'EventCancelled', data: { eventId: 'derby', reason: 'rain', cancelledAt: '2029-05-01T00:00:00Z' } }]);
  const cancelled = await app.inject({
    method: 'GET',
    url: '/events?pageSize=3',
    headers: { 'if-none-match': String(browse.headers.etag) },
  });
  t.equal(cancelled.statusCode, 200, 'so does a change of status (or stock) only');
  t.notOk(
    cancelled.json().items.some((i: { id: string }) => i.id === 'derby'),
    'and the fresh answer leaves the cancelled event out',
  );
});

t.test('with the answer cache, a question asked again at the same index version is answered without a search', async (t) => {
  let searches = 0;
  const counted = { ...index, search: (q: Parameters<typeof index.search>[0]) => (searches++, index.search(q)) };
  const cached = Fastify();
  cached.setValidatorCompiler(validatorCompiler);
  cached.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(cached);
  await cached.register(searchRoutes({ search: counted, now: () => clock, cacheEntries: 100 }));
  await cached.ready();
  t.teardown(() => cached.close());

  const first = await cached.inject({ method: 'GET', url: '/events/search?q=coldplay' });
  const second = await cached.inject({ method: 'GET', url: '/events/search?q=coldplay' });
  t.equal(searches, 1, 'one search for two answers');
  t.equal(second.statusCode, 200);
  t.same(second.json(), first.json(), 'the same answer');
  t.equal(second.headers.etag, first.headers.etag, 'with the same tag');
  t.ok(first.json().items.length > 0);
  await cached.inject({ method: 'GET', url: '/events/search?q=coldplay&pageSize=1' });
  t.equal(searches, 2, 'another page is another question');

  await h.append('coldplay', [
    { type: 'EventDetailsChanged', data: { eventId: 'coldplay', changes: { name: 'Music of the Spheres, again' } } },
  ]);
  await new Promise((r) => setTimeout(r, 300)); // past the version's 250 ms
  const changed = await cached.inject({ method: 'GET', url: '/events/search?q=coldplay' });
  t.equal(searches, 3, 'a projected change is searched afresh');
  t.not(changed.headers.etag, first.headers.etag);
  t.ok(
    changed.json().items.some((i: { name: string }) => i.name === 'Music of the Spheres, again'),
    'and the answer shows it',
  );
});

t.test('search keeps answering when the event store is down', async (t) => {
  await h.store.close();
  const res = await get('/events/search?q=hamlet');
  t.equal(res.status, 200);
  t.same(
    res.body.items.map((i: { id: string }) => i.id),
    ['hamlet'],
  );
});
