import t from 'tap';
import { testApp } from '../../support/app.js';

t.test('best available through POST /events/:id/bookings', async (t) => {
  const h = await testApp(t);
  const { eventId } = await h.onSaleEvent();
  const alice = await h.user();
  const bob = await h.user();
  const hold = (token: string, payload: unknown) =>
    h.as(token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: payload as object });

  t.test('asking for 4 answers 201 with a block of 4 in the front row, centred', async (t) => {
    // the default test layout: section A, rows 1 and 2 of 10 seats
    const r = await hold(alice.token, { best: { quantity: 4 } });
    t.equal(r.statusCode, 201, r.body);
    t.match(r.json(), { status: 'held', seats: ['A-1-4', 'A-1-5', 'A-1-6', 'A-1-7'], amount: 20_000 });
  });

  t.test('buyers asking at once never get the same seat', async (t) => {
    const buyers = await Promise.all(Array.from({ length: 6 }, () => h.user()));
    const answers = await Promise.all(buyers.map((b) => hold(b.token, { best: { quantity: 2, sectionId: 'A' } })));
    const seats = answers.filter((r) => r.statusCode === 201).flatMap((r) => r.json().seats as string[]);
    t.equal(answers.filter((r) => r.statusCode === 201).length, 6, 'the 16 free seats take six pairs');
    t.equal(new Set(seats).size, seats.length, `no seat twice: ${seats.join(' ')}`);
  });

  t.test('no block that fits is 409 seats-unavailable with an empty list', async (t) => {
    const r = await hold(bob.token, { best: { quantity: 8, sectionId: 'A' } });
    t.equal(r.statusCode, 409);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.match(r.json(), { type: 'seats-unavailable', status: 409, unavailable: [] });
    const cheap = await hold(bob.token, { best: { quantity: 1, maxPrice: 100 } });
    t.equal(cheap.statusCode, 409);
    t.strictSame(cheap.json().unavailable, []);
  });

  t.test('together: false takes single seats when no pair is left together', async (t) => {
    const r = await hold(bob.token, { best: { quantity: 2, sectionId: 'A', together: false } });
    t.equal(r.statusCode, 201, r.body);
    t.equal((r.json().seats as string[]).length, 2);
  });

  t.test('naming seats with best, or a bad quantity, is 400', async (t) => {
    for (const payload of [
      { seats: ['A-2-1'], best: { quantity: 1 } },
      { best: { quantity: 0 } },
      { best: { quantity: 2, colour: 'red' } },
    ]) {
      const r = await hold(bob.token, payload);
      t.equal(r.statusCode, 400, JSON.stringify(payload));
      t.equal(r.headers['content-type'], 'application/problem+json');
    }
  });

  t.test('best in a standing section holds standing places', async (t) => {
    const r = await hold(bob.token, { best: { quantity: 3, sectionId: 'PIT' } });
    t.equal(r.statusCode, 201, r.body);
    t.match(r.json(), { seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }] });
  });

  t.test('the OpenAPI document describes the best field', async (t) => {
    const doc = (await h.app.inject({ url: '/openapi.json' })).json();
    const body = doc.paths['/events/{id}/bookings'].post.requestBody.content['application/json'].schema;
    t.ok(body.properties.best, JSON.stringify(body).slice(0, 300));
  });
});
