import fc from 'fast-check';
import t from 'tap';
import { testApp } from '../../support/app.js';

/**
 * Schema fuzz of every write route: arbitrary JSON and near-valid bodies never
 * make a 5xx, and a request answered with an error appends nothing to the store.
 */
t.test('write routes under fuzzed bodies', async (t) => {
  const h = await testApp(t);
  const buyer = await h.user();
  const { eventId } = await h.onSaleEvent();
  const mine = await h.onSaleEvent();
  const ownEventId = mine.eventId;
  const held = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1'] } });
  const bookingId = held.json().id as string;

  const countEvents = async () =>
    Number((await h.runtime.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM event_store.events')).rows[0]!.n);

  const weird = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.constant(''),
    fc.constant('A-1-1'),
    fc.constant(-1),
    fc.constant(1e308),
    fc.array(fc.string(), { maxLength: 5 }),
  );
  /** A valid body with some fields replaced or removed and maybe an extra one. */
  const mutated = (valid: Record<string, unknown>) =>
    fc
      .record({
        replace: fc.dictionary(fc.constantFrom(...Object.keys(valid)), weird, { maxKeys: 3 }),
        drop: fc.subarray(Object.keys(valid), { maxLength: 2 }),
        extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), weird), { nil: undefined }),
      })
      .map(({ replace, drop, extra }) => {
        const kept = Object.entries({ ...valid, ...replace }).filter(([k]) => !drop.includes(k));
        return Object.fromEntries(extra ? [...kept, extra] : kept);
      });
  const bodies = (valid: Record<string, unknown>) =>
    Object.keys(valid).length === 0 ? fc.jsonValue() : fc.oneof(fc.jsonValue(), mutated(valid));

  const routes: { name: string; method: 'POST' | 'PATCH' | 'DELETE'; url: string; token?: string; valid: Record<string, unknown> }[] = [
    { name: 'register', method: 'POST', url: '/auth/register', valid: { email: 'f@example.com', password: 'long enough', name: 'F' } },
    { name: 'login', method: 'POST', url: '/auth/login', valid: { email: 'f@example.com', password: 'long enough' } },
    { name: 'venues', method: 'POST', url: '/venues', token: mine.organizer.token, valid: h.venueBody() },
    {
      name: 'events',
      method: 'POST',
      url: '/events',
      token: mine.organizer.token,
      valid: {
        venueId: mine.venueId,
        name: 'Fuzz',
        category: 'music',
        startsAt: '2031-01-01T20:00:00Z',
        currency: 'GBP',
        sectionPrices: { A: 1, PIT: 1 },
      },
    },
    {
      name: 'patch event',
      method: 'PATCH',
      url: `/events/${ownEventId}`,
      token: mine.organizer.token,
      valid: { name: 'Renamed', sectionPrices: { A: 5 } },
    },
    {
      name: 'hold',
      method: 'POST',
      url: `/events/${eventId}/bookings`,
      token: buyer.token,
      valid: { seats: ['A-1-2'], standing: [{ sectionId: 'PIT', quantity: 1 }] },
    },
    { name: 'release (another user)', method: 'DELETE', url: `/bookings/${bookingId}`, token: (await h.user()).token, valid: {} },
    { name: 'release (owner)', method: 'DELETE', url: `/bookings/${bookingId}`, token: buyer.token, valid: {} },
  ];

  for (const route of routes) {
    t.test(`${route.method} ${route.name}: no 5xx, and nothing appended when refused`, async (t) => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(bodies(route.valid), fc.boolean(), async (body, whole) => {
          runs++;
          const before = await countEvents();
          const r = await h.as(route.token)({
            method: route.method,
            url: route.url,
            headers: { 'content-type': 'application/json' },
            // whole JSON, or the same body cut short by one character (malformed JSON)
            payload: whole ? JSON.stringify(body) : JSON.stringify(body).slice(0, Math.max(1, JSON.stringify(body).length - 1)),
          });
          if (r.statusCode >= 500) throw new Error(`${r.statusCode} for ${JSON.stringify(body)}: ${r.body}`);
          if (r.statusCode >= 400) {
            if (r.headers['content-type'] !== 'application/problem+json')
              throw new Error(`not a problem: ${String(r.headers['content-type'])}`);
            const after = await countEvents();
            if (after !== before) throw new Error(`${after - before} events appended by a refused request ${JSON.stringify(body)}`);
          }
        }),
        { numRuns: 60 },
      );
      t.equal(runs, 60);
    });
  }

  t.test('cancel with fuzzed bodies by a customer is refused and appends nothing', async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const before = await countEvents();
        const r = await h.as(buyer.token)({
          method: 'POST',
          url: `/events/${ownEventId}/cancel`,
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        if (r.statusCode >= 500 || r.statusCode < 400) throw new Error(`${r.statusCode}`);
        if ((await countEvents()) !== before) throw new Error('appended');
      }),
      { numRuns: 30 },
    );
    t.pass('refused');
  });
});
