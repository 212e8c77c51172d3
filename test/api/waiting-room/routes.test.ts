import t from 'tap';
import type { AppDeps } from '../../../src/api/app/index.js';
import { WAITING_ROOM_PLUGIN_NAME } from '../../../src/api/waiting-room/routes.js';
import { wireWaitingRoom } from '../../../src/runtime/compose/index.js';
import type { Ticketing } from '../../../src/commands/ticketing/index.js';
import { testApp } from '../../support/app.js';

/** The app's plugins without the composition root's waiting room: the test brings its own, on its own clock. */
const others = (plugins: AppDeps['plugins']) => (plugins ?? []).filter((p) => p.name !== WAITING_ROOM_PLUGIN_NAME);

/**
 * The waiting room through the whole API (real PostgreSQL event store, real
 * auth, the real hold route), with the queue's clock in the test's hands.
 */

const SECOND = 1000;

t.test('the waiting room through the API', async (t) => {
  let now = Date.now();
  const clock = () => now;
  // The routes reach the ticketing only when called, which is after the app is built.
  const late: { ticketing?: Ticketing } = {};
  const wiring = wireWaitingRoom({
    ticketing: {
      configureWaitingRoom: (...a) => late.ticketing!.configureWaitingRoom(...a),
      eventState: (...a) => late.ticketing!.eventState(...a),
    },
    tokenKey: 'routes-test-key-0123456789abcdef',
    clock,
  });
  const h = await testApp(t, { deps: (d) => ({ ...d, admission: wiring.admission, plugins: [...others(d.plugins), wiring.plugin] }) });
  late.ticketing = h.runtime.ticketing;
  t.teardown(() => wiring.close());

  const { organizer, eventId } = await h.onSaleEvent();
  const other = await h.onSaleEvent();
  const [buyer, rival] = [await h.user(), await h.user()];
  const opensAt = new Date(now + 60 * SECOND).toISOString();
  const room = { enabled: true, opensAt, admitPerMinute: 60, accessSeconds: 120 };
  const hold = (token: string, accessToken?: string, seat = 'A-1-1', id = eventId) =>
    h.as(token)({
      method: 'POST',
      url: `/events/${id}/bookings`,
      payload: { seats: [seat] },
      headers: accessToken === undefined ? {} : { 'x-access-token': accessToken },
    });

  t.test('only the organizer of the event configures its room', async (t) => {
    const put = (token: string | undefined, body: unknown, id = eventId) =>
      h.as(token)({ method: 'PUT', url: `/events/${id}/waiting-room`, payload: body as object });
    t.equal((await put(undefined, room)).statusCode, 401);
    t.equal((await put(buyer.token, room)).statusCode, 403, 'a customer');
    const stranger = await put(other.organizer.token, room);
    t.equal(stranger.statusCode, 403, 'another organizer');
    t.equal(stranger.json().type, 'forbidden');
    t.equal((await put(organizer.token, room, '7b0f7d4e-0000-4000-8000-000000000000')).statusCode, 404, 'no such event');
    for (const bad of [
      { ...room, admitPerMinute: 0 },
      { ...room, accessSeconds: 5 },
      { ...room, opensAt: 'soon' },
      { ...room, surprise: 1 },
      { enabled: true },
    ]) {
      const r = await put(organizer.token, bad);
      t.equal(r.statusCode, 400, JSON.stringify(bad));
      t.equal(r.json().type, 'invalid-input');
    }
    const ok = await put(organizer.token, room);
    t.equal(ok.statusCode, 200);
    t.same(ok.json(), { eventId, ...room });
    const { state } = await h.runtime.ticketing.eventState(eventId, { refresh: true });
    t.same(state.status === 'scheduled' && state.waitingRoom, room, 'recorded as WaitingRoomConfigured on the event stream');
    t.same(await wiring.queue.config(eventId), { enabled: true, opensAt: Date.parse(opensAt), admitPerMinute: 60, accessSeconds: 120 });
  });

  t.test('while the room is on, a hold without an access token is 403 waiting-room', async (t) => {
    const r = await hold(buyer.token);
    t.equal(r.statusCode, 403);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.match(r.json(), { type: 'waiting-room', status: 403, reason: 'missing' });
    t.equal((await hold(buyer.token, '')).statusCode, 403, 'an empty header');
    t.equal((await hold(buyer.token, 'garbage')).json().reason, 'malformed');
  });

  t.test('joining answers a place, and joining again the same place', async (t) => {
    t.equal((await h.as(undefined)({ method: 'POST', url: `/events/${eventId}/queue` })).statusCode, 401);
    const first = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/queue` });
    t.equal(first.statusCode, 201);
    t.match(first.json(), { state: 'waiting', position: 1, ahead: 0 });
    t.ok(first.json().etaSeconds >= 60, 'the wait counts the minute until opening');
    const again = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/queue` });
    t.equal(again.statusCode, 201);
    t.same(again.json(), first.json());
    const me = await h.as(buyer.token)({ method: 'GET', url: `/events/${eventId}/queue/me` });
    t.equal(me.statusCode, 200);
    t.same(me.json(), first.json());
    const second = (await h.as(rival.token)({ method: 'POST', url: `/events/${eventId}/queue` })).json();
    t.equal(second.state, 'waiting');
    const mine = (await h.as(buyer.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).json();
    t.same([mine.position, second.position].sort(), [1, 2], 'before opening the two are in random order, one place each');
  });

  t.test('someone who never joined, or an event without a room, has no place', async (t) => {
    const stranger = await h.user();
    const me = await h.as(stranger.token)({ method: 'GET', url: `/events/${eventId}/queue/me` });
    t.equal(me.statusCode, 404);
    t.equal(me.json().type, 'not-found');
    const off = await h.as(stranger.token)({ method: 'POST', url: `/events/${other.eventId}/queue` });
    t.equal(off.statusCode, 409);
    t.equal(off.json().type, 'waiting-room-off');
    const none = await h.as(stranger.token)({ method: 'POST', url: '/events/7b0f7d4e-0000-4000-8000-000000000000/queue' });
    t.equal(none.statusCode, 404);
  });

  t.test('an admitted buyer holds with the access token; forged, foreign and expired tokens are 403', async (t) => {
    now += 62 * SECOND;
    const admitted = await wiring.queue.tick(eventId, now);
    t.same([...admitted].sort(), [buyer.user.id, rival.user.id].sort(), 'two seconds after opening at 1/s, both are admitted');
    const me = await h.as(buyer.token)({ method: 'GET', url: `/events/${eventId}/queue/me` });
    t.match(me.json(), {
      state: 'admitted',
      position: 0,
      ahead: 0,
      etaSeconds: 0,
      accessToken: String,
      accessExpiresAt: new Date(now + 120 * SECOND).toISOString(),
    });
    const access = me.json().accessToken as string;

    t.equal((await hold(rival.token, access)).json().reason, 'wrong-user', "another user's token");
    const [payload, signature] = access.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, u: rival.user.id })).toString('base64url')}.${signature}`;
    const f = await hold(rival.token, forged);
    t.equal(f.statusCode, 403);
    t.equal(f.json().reason, 'bad-signature', 'a token rewritten for another user');

    // A token for another event whose room is on too.
    await h.as(other.organizer.token)({ method: 'PUT', url: `/events/${other.eventId}/waiting-room`, payload: room });
    const foreign = await hold(buyer.token, access, 'A-1-1', other.eventId);
    t.equal(foreign.statusCode, 403);
    t.equal(foreign.json().reason, 'wrong-event', "another event's token");

    const ok = await hold(buyer.token, access);
    t.equal(ok.statusCode, 201, 'the admitted buyer holds a seat');
    t.equal(ok.json().status, 'held');

    now += 121 * SECOND;
    const expired = await hold(buyer.token, access, 'A-1-2');
    t.equal(expired.statusCode, 403);
    t.equal(expired.json().reason, 'expired');
    t.equal(
      (await h.as(buyer.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).statusCode,
      404,
      'the place lapsed with its token',
    );
  });

  t.test('with the room off, holds need no token and there is no queue', async (t) => {
    const r = await h.as(organizer.token)({ method: 'PUT', url: `/events/${eventId}/waiting-room`, payload: { ...room, enabled: false } });
    t.equal(r.statusCode, 200);
    t.equal((await hold(rival.token, undefined, 'A-2-5')).statusCode, 201);
    t.equal((await h.as(rival.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).json().type, 'waiting-room-off');
  });

  t.test('the routes are in the OpenAPI document', async (t) => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    for (const p of ['/events/{id}/waiting-room', '/events/{id}/queue', '/events/{id}/queue/me', '/events/{id}/queue/stream'])
      t.ok(doc.paths[p], p);
  });
});
