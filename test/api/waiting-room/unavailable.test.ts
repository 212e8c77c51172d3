import { Redis } from 'ioredis';
import t from 'tap';
import type { AppDeps } from '../../../src/api/app/index.js';
import { WAITING_ROOM_PLUGIN_NAME } from '../../../src/api/waiting-room/routes.js';
import { wireWaitingRoom } from '../../../src/runtime/compose/index.js';
import type { Ticketing } from '../../../src/commands/ticketing/index.js';
import { testApp } from '../../support/app.js';

/** The app's plugins without the composition root's waiting room: the test brings its own, on its own clock. */
const others = (plugins: AppDeps['plugins']) => (plugins ?? []).filter((p) => p.name !== WAITING_ROOM_PLUGIN_NAME);

/**
 * Redis configured but unreachable (a real client to a port nothing listens on):
 * the queue answers 503, while holds go on, gated by the event stream's
 * configuration and self-verifying tokens.
 */
t.test('with the queue store unreachable, joins are 503 and holds still go through the gate', async (t) => {
  const now = Date.now();
  const dead = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  dead.on('error', () => undefined);
  t.teardown(() => dead.disconnect());
  const late: { ticketing?: Ticketing } = {};
  const wiring = wireWaitingRoom({
    ticketing: {
      configureWaitingRoom: (...a) => late.ticketing!.configureWaitingRoom(...a),
      eventState: (...a) => late.ticketing!.eventState(...a),
    },
    redis: dead,
    tokenKey: 'unavailable-test-key-0123456789ab',
    clock: () => now,
  });
  t.teardown(() => wiring.close());
  const h = await testApp(t, { deps: (d) => ({ ...d, admission: wiring.admission, plugins: [...others(d.plugins), wiring.plugin] }) });
  late.ticketing = h.runtime.ticketing;

  const { organizer, eventId } = await h.onSaleEvent();
  const plain = await h.onSaleEvent();
  const buyer = await h.user();
  const room = { enabled: true, opensAt: new Date(now - 60_000).toISOString(), admitPerMinute: 60, accessSeconds: 600 };

  const put = await h.as(organizer.token)({ method: 'PUT', url: `/events/${eventId}/waiting-room`, payload: room });
  t.equal(put.statusCode, 503, 'the PUT says the queue did not take it');
  t.equal(put.headers['retry-after'], '2');
  t.equal(put.json().type, 'queue-unavailable');
  const { state } = await h.runtime.ticketing.eventState(eventId, { refresh: true });
  t.ok(state.status === 'scheduled' && state.waitingRoom.enabled, 'but the configuration is recorded on the stream');

  const join = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/queue` });
  t.equal(join.statusCode, 503);
  t.equal(join.json().type, 'queue-unavailable');
  t.equal((await h.as(buyer.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).statusCode, 503);

  const hold = (id: string, seat: string, access?: string) =>
    h.as(buyer.token)({
      method: 'POST',
      url: `/events/${id}/bookings`,
      payload: { seats: [seat] },
      headers: access ? { 'x-access-token': access } : {},
    });
  const refused = await hold(eventId, 'A-1-1');
  t.equal(refused.statusCode, 403, 'the room is on (read from the stream): no token, no hold');
  t.equal(refused.json().type, 'waiting-room');
  const admittedBefore = wiring.tokens.sign({ eventId, userId: buyer.user.id, expiresAt: now + 300_000 });
  t.equal((await hold(eventId, 'A-1-1', admittedBefore)).statusCode, 201, 'a token issued before the outage still holds seats');
  t.equal((await hold(plain.eventId, 'A-1-1')).statusCode, 201, 'an event without a room is not affected');
});
