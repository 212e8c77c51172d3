import t from 'tap';
import { buildApp } from '../../../src/api/app/index.js';
import { ProblemError } from '../../../src/api/http/index.js';
import { testApp } from '../../support/app.js';

const countEvents = async (h: Awaited<ReturnType<typeof testApp>>, eventId: string): Promise<number> =>
  (await h.runtime.store.readStream(`event-${eventId}`)).length;

t.test('holds and bookings', async (t) => {
  const h = await testApp(t);
  const { eventId } = await h.onSaleEvent();
  const alice = await h.user();
  const bob = await h.user();
  const asAlice = h.as(alice.token);
  const asBob = h.as(bob.token);
  const hold = (as: typeof asAlice, payload: unknown, headers: Record<string, string> = {}, id = eventId) =>
    as({ method: 'POST', url: `/events/${id}/bookings`, payload: payload as object, headers });

  let aliceBooking = '';
  t.test('a hold answers 201 with the booking, readable at once with GET /bookings/:id', async (t) => {
    const before = Date.now();
    const r = await hold(asAlice, { seats: ['A-1-1', 'A-1-2'] });
    t.equal(r.statusCode, 201);
    const b = r.json();
    aliceBooking = b.id;
    t.match(b, {
      id: String,
      eventId,
      status: 'held',
      seats: ['A-1-1', 'A-1-2'],
      standing: [],
      amount: 10_000,
      currency: 'GBP',
      tickets: [],
    });
    t.notOk('userId' in b, 'the owner id is not echoed');
    const expires = Date.parse(b.expiresAt) - Date.parse(b.createdAt);
    t.equal(expires, 300_000);
    t.ok(Date.parse(b.createdAt) >= before - 1000);
    t.equal(r.headers.location, `/bookings/${b.id}`);
    const g = await asAlice({ method: 'GET', url: `/bookings/${b.id}` });
    t.equal(g.statusCode, 200);
    t.same(g.json(), b);
  });

  t.test('standing places are held by quantity and priced', async (t) => {
    const r = await hold(asAlice, { standing: [{ sectionId: 'PIT', quantity: 3 }] });
    t.equal(r.statusCode, 201);
    t.match(r.json(), { seats: [], standing: [{ sectionId: 'PIT', quantity: 3 }], amount: 15_000 });
  });

  t.test('a seat already held is 409 seats-unavailable listing it; nothing is appended', async (t) => {
    const n = await countEvents(h, eventId);
    const r = await hold(asBob, { seats: ['A-1-2', 'A-1-3'] });
    t.equal(r.statusCode, 409);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.match(r.json(), { type: 'seats-unavailable', status: 409, unavailable: ['A-1-2'] });
    const pit = await hold(asBob, { standing: [{ sectionId: 'PIT', quantity: 48 }] });
    t.equal(pit.statusCode, 409);
    t.match(pit.json(), { type: 'seats-unavailable', unavailable: ['PIT'] });
    t.equal(await countEvents(h, eventId), n);
  });

  t.test('unknown seats are 400 unknown-seats listing them', async (t) => {
    const r = await hold(asBob, { seats: ['A-1-3', 'A-9-1', 'Z-1-1'], standing: [{ sectionId: 'NOPE', quantity: 1 }] });
    t.equal(r.statusCode, 400);
    const body = r.json();
    t.equal(body.type, 'unknown-seats');
    t.ok(Array.isArray(body.unknown) && body.unknown.includes('A-9-1') && body.unknown.includes('Z-1-1'), JSON.stringify(body));
  });

  t.test('more than maxTicketsPerUser (held and bought) is 409 ticket-limit', async (t) => {
    // Alice holds 2 seats and 3 standing places; 4 more makes 9 > 8.
    const r = await hold(asAlice, { seats: ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4'] });
    t.equal(r.statusCode, 409);
    t.equal(r.json().type, 'ticket-limit');
  });

  t.test('bad bodies are 400 invalid-input: nothing asked, a seat twice, an unknown field, a bad quantity', async (t) => {
    for (const payload of [
      {},
      { seats: [] },
      { seats: ['A-1-5', 'A-1-5'] },
      { seats: ['A-1-5'], note: 'hi' },
      { standing: [{ sectionId: 'PIT', quantity: 0 }] },
      { seats: 'A-1-5' },
    ]) {
      const r = await hold(asBob, payload);
      t.equal(r.statusCode, 400, JSON.stringify(payload));
      t.equal(r.json().type, 'invalid-input');
    }
  });

  t.test('an unknown event is 404; an event not yet on sale is 409 not-on-sale; no token is 401', async (t) => {
    const r = await hold(asBob, { seats: ['A-1-5'] }, {}, '00000000-0000-4000-8000-000000000000');
    t.equal(r.statusCode, 404);
    t.equal(r.json().type, 'not-found');
    const later = await h.onSaleEvent({ onSaleAt: new Date(Date.now() + 86_400_000).toISOString() });
    const n = await hold(asBob, { seats: ['A-1-5'] }, {}, later.eventId);
    t.equal(n.statusCode, 409);
    t.equal(n.json().type, 'not-on-sale');
    const anon = await h.app.inject({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-5'] } });
    t.equal(anon.statusCode, 401);
  });

  t.test('an Idempotency-Key repeat returns the first booking and appends nothing; another body with it is 422', async (t) => {
    const first = await hold(asBob, { seats: ['A-1-9'] }, { 'idempotency-key': 'k-1' });
    t.equal(first.statusCode, 201);
    const n = await countEvents(h, eventId);
    const again = await hold(asBob, { seats: ['A-1-9'] }, { 'idempotency-key': 'k-1' });
    t.equal(again.statusCode, 201);
    t.equal(again.json().id, first.json().id);
    t.equal(await countEvents(h, eventId), n, 'nothing appended');
    const other = await hold(asBob, { seats: ['A-1-10'] }, { 'idempotency-key': 'k-1' });
    t.equal(other.statusCode, 422);
    t.equal(other.json().type, 'idempotency-key-reused');
  });

  t.test('BOLA: another user cannot read or release a booking (404), nor can anyone without a token (401)', async (t) => {
    const g = await asBob({ method: 'GET', url: `/bookings/${aliceBooking}` });
    t.equal(g.statusCode, 404);
    t.equal(g.json().type, 'not-found');
    const d = await asBob({ method: 'DELETE', url: `/bookings/${aliceBooking}` });
    t.equal(d.statusCode, 404);
    const anon = await h.app.inject({ method: 'GET', url: `/bookings/${aliceBooking}` });
    t.equal(anon.statusCode, 401);
    t.equal((await asAlice({ method: 'GET', url: `/bookings/${aliceBooking}` })).json().status, 'held', 'still held');
    const bogus = await asAlice({ method: 'GET', url: '/bookings/not-a-uuid' });
    t.equal(bogus.statusCode, 404);
  });

  t.test('DELETE /bookings/:id releases a held booking (200 released) once; the seats are free again', async (t) => {
    const r = await asAlice({ method: 'DELETE', url: `/bookings/${aliceBooking}` });
    t.equal(r.statusCode, 200);
    t.match(r.json(), { id: aliceBooking, status: 'released' });
    t.equal((await asAlice({ method: 'GET', url: `/bookings/${aliceBooking}` })).json().status, 'released');
    const again = await asAlice({ method: 'DELETE', url: `/bookings/${aliceBooking}` });
    t.equal(again.statusCode, 409);
    const retake = await hold(asBob, { seats: ['A-1-1'] });
    t.equal(retake.statusCode, 201);
  });

  t.test('GET /me/bookings lists mine newest first with pages; GET /me/tickets lists tickets of confirmed bookings', async (t) => {
    const carol = await h.user();
    const asCarol = h.as(carol.token);
    const ids: string[] = [];
    for (const seat of ['A-2-5', 'A-2-6', 'A-2-7']) {
      const r = await hold(asCarol, { seats: [seat] });
      ids.push(r.json().id);
      await new Promise((r) => setTimeout(r, 5));
    }
    const b = (await asCarol({ method: 'GET', url: `/bookings/${ids[0]}` })).json();
    await h.runtime.ticketing.recordPaymentSucceeded(eventId, {
      bookingId: b.id,
      paymentId: 'cs_test_1',
      paymentEventId: 'evt_test_1',
      amount: b.amount,
      currency: b.currency,
    });
    const confirmed = await asCarol({ method: 'GET', url: `/bookings/${b.id}` });
    t.match(confirmed.json(), { status: 'confirmed', tickets: [{ id: String, seat: 'A-2-5', section: 'A', code: String }] });
    await h.settle();
    const p1 = await asCarol({ method: 'GET', url: '/me/bookings?pageSize=2' });
    t.equal(p1.statusCode, 200);
    const page1 = p1.json();
    t.equal(page1.total, 3);
    t.equal(page1.page, 1);
    t.equal(page1.pageSize, 2);
    t.same(
      page1.items.map((x: { id: string }) => x.id),
      [ids[2], ids[1]],
    );
    const p2 = (await asCarol({ method: 'GET', url: '/me/bookings?page=2&pageSize=2' })).json();
    t.same(
      p2.items.map((x: { id: string }) => x.id),
      [ids[0]],
    );
    const tickets = (await asCarol({ method: 'GET', url: '/me/tickets' })).json();
    t.equal(tickets.total, 1);
    t.match(tickets.items[0], { seat: 'A-2-5', section: 'A', bookingId: ids[0], eventId });
    const bad = await asCarol({ method: 'GET', url: '/me/bookings?pageSize=500' });
    t.equal(bad.statusCode, 400);
    const none = (await asBob({ method: 'GET', url: '/me/tickets' })).json();
    t.same(none, { items: [], page: 1, pageSize: 20, total: 0 });
  });

  t.test('another API process (no local cache) answers GET /bookings/:id from the read model, still 404 to others', async (t) => {
    await h.settle();
    const other = await buildApp(h.runtime.appDeps);
    t.teardown(() => other.close());
    const r = await other.inject({ method: 'GET', url: `/bookings/${aliceBooking}`, headers: { authorization: `Bearer ${alice.token}` } });
    t.equal(r.statusCode, 200);
    t.match(r.json(), { id: aliceBooking, status: 'released', seats: ['A-1-1', 'A-1-2'] });
    const b = await other.inject({ method: 'GET', url: `/bookings/${aliceBooking}`, headers: { authorization: `Bearer ${bob.token}` } });
    t.equal(b.statusCode, 404);
  });

  t.test('50 users racing for one seat: exactly one 201, 49 409 seats-unavailable', async (t) => {
    const users = await Promise.all(Array.from({ length: 50 }, () => h.user()));
    const results = await Promise.all(users.map((u) => hold(h.as(u.token), { seats: ['A-2-10'] })));
    const codes = results.map((r) => r.statusCode);
    t.equal(codes.filter((c) => c === 201).length, 1);
    t.equal(codes.filter((c) => c === 409).length, 49);
    t.ok(results.filter((r) => r.statusCode === 409).every((r) => r.json().type === 'seats-unavailable'));
  });
});

t.test('the waiting-room seam: an admission check that refuses makes the hold 403 and appends nothing', async (t) => {
  const h = await testApp(t, {
    admission: {
      check: async (request) => {
        if (request.headers['x-access-token'] !== 'let-me-in')
          throw new ProblemError(403, 'waiting-room', 'Waiting room', 'join the queue first');
      },
    },
  });
  const { eventId } = await h.onSaleEvent();
  const buyer = await h.user();
  const n = (await h.runtime.store.readStream(`event-${eventId}`)).length;
  const r = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1'] } });
  t.equal(r.statusCode, 403);
  t.equal(r.json().type, 'waiting-room');
  t.equal((await h.runtime.store.readStream(`event-${eventId}`)).length, n);
  const ok = await h.as(buyer.token)({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: { seats: ['A-1-1'] },
    headers: { 'x-access-token': 'let-me-in' },
  });
  t.equal(ok.statusCode, 201);
});
