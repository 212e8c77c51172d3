import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import t from 'tap';
import type { Test } from 'tap';
import { buildApp, type AppDeps } from '../../../src/api/app/index.js';
import { WAITING_ROOM_PLUGIN_NAME } from '../../../src/api/waiting-room/routes.js';
import { wireWaitingRoom, type WaitingRoomWiring } from '../../../src/runtime/compose/index.js';
import type { Ticketing } from '../../../src/commands/ticketing/index.js';
import { testApp } from '../../support/app.js';
import { redisUrlOrSkip } from '../../support/services.js';
import { openStream } from './sse.js';

/** The app's plugins without the composition root's waiting room: the test brings its own, on its own clock. */
const others = (plugins: AppDeps['plugins']) => (plugins ?? []).filter((p) => p.name !== WAITING_ROOM_PLUGIN_NAME);

/**
 * Two API instances over one event store and one Redis, each with its own
 * Redis connection and waiting-room wiring, as two processes would be.
 */

const url = redisUrlOrSkip(t);
const SECOND = 1000;

const connect = (t: Test): Redis => {
  const redis = new Redis(url!, { maxRetriesPerRequest: 3 });
  t.teardown(() => redis.quit().catch(() => redis.disconnect()));
  return redis;
};

const deletePrefix = async (redis: Redis, prefix: string): Promise<void> => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
};

if (url) {
  t.test('two API instances sharing Redis run one waiting room', async (t) => {
    let now = Date.now();
    const clock = () => now;
    const late: { ticketing?: Ticketing } = {};
    const ticketing = {
      configureWaitingRoom: (...a: Parameters<Ticketing['configureWaitingRoom']>) => late.ticketing!.configureWaitingRoom(...a),
      eventState: (...a: Parameters<Ticketing['eventState']>) => late.ticketing!.eventState(...a),
    };
    const prefix = `test:wr:${randomUUID()}:`;
    const [redisA, redisB] = [connect(t), connect(t)];
    t.teardown(() => deletePrefix(redisA, prefix));
    const wire = (redis: Redis): WaitingRoomWiring => {
      const w = wireWaitingRoom({
        ticketing,
        redis,
        prefix,
        tokenKey: 'shared-key-0123456789abcdef0123',
        clock,
        tickMs: 20,
        stream: { pollMs: 60_000, heartbeatMs: 60_000 },
      });
      t.teardown(() => w.close());
      return w;
    };
    const [wa, wb] = [wire(redisA), wire(redisB)];

    const h = await testApp(t, {
      redis: true,
      deps: (d) => ({ ...d, admission: wa.admission, plugins: [...others(d.plugins), wa.plugin] }),
    });
    late.ticketing = h.runtime.ticketing;
    const appB = await buildApp({
      ...h.runtime.appDeps,
      admission: wb.admission,
      plugins: [...others(h.runtime.appDeps.plugins), wb.plugin],
    });
    const baseB = await appB.listen({ host: '127.0.0.1', port: 0 });
    t.teardown(() => appB.close());
    const A = h.as;
    const B = (token: string) => (opts: InjectOptions) =>
      appB.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } });

    const { organizer, eventId } = await h.onSaleEvent();
    const room = { enabled: true, opensAt: new Date(now + 60 * SECOND).toISOString(), admitPerMinute: 60, accessSeconds: 300 };
    t.equal((await A(organizer.token)({ method: 'PUT', url: `/events/${eventId}/waiting-room`, payload: room })).statusCode, 200);

    const buyers = await Promise.all(Array.from({ length: 30 }, () => h.user()));
    await Promise.all(buyers.map((b, i) => (i % 2 ? A(b.token) : B(b.token))({ method: 'POST', url: `/events/${eventId}/queue` })));
    const seenByA = await Promise.all(
      buyers.map(async (b) => (await A(b.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).json().position as number),
    );
    const seenByB = await Promise.all(
      buyers.map(async (b) => (await B(b.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).json().position as number),
    );
    t.same(seenByA, seenByB, 'both instances report the same places');
    t.same(
      [...seenByA].sort((x, y) => x - y),
      buyers.map((_, i) => i + 1),
      'one queue of 30',
    );

    const twice = await h.user();
    const joins = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? A : B)(twice.token)({ method: 'POST', url: `/events/${eventId}/queue` })),
    );
    t.equal(new Set(joins.map((r) => r.json().position)).size, 1, 'joining through both at once gives one place');
    const everyone = buyers.concat([twice]);
    const after = await Promise.all(
      everyone.map(async (b) => (await B(b.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).json().position as number),
    );
    t.same(
      [...after].sort((x, y) => x - y),
      after.map((_, i) => i + 1),
      'and the queue grew by one',
    );

    // The first in line watches the stream on B; A admits. (A later early joiner is drawn in at random, so it may be first.)
    const first = everyone[after.indexOf(1)]!;
    const stream = await openStream(t, `${baseB}/events/${eventId}/queue/stream`, first.token);
    await stream.waitFor(1);
    now += 61 * SECOND;
    const admitted = await wa.queue.tick(eventId, now);
    t.same(admitted, [first.user.id], 'a second after opening at 1/s admits the first in line');
    const [, update] = await stream.waitFor(2, 5000);
    t.match(update?.data, { state: 'admitted', accessToken: String }, "B's stream hears of A's admission at once");
    const access = (update?.data as { accessToken: string }).accessToken;

    const held = await A(first.token)({
      method: 'POST',
      url: `/events/${eventId}/bookings`,
      payload: { seats: ['A-1-1'] },
      headers: { 'x-access-token': access },
    });
    t.equal(held.statusCode, 201, 'the token from B holds seats through A');
    const refused = await B(buyers[seenByA.indexOf(2)]!.token)({
      method: 'POST',
      url: `/events/${eventId}/bookings`,
      payload: { seats: ['A-1-2'] },
      headers: { 'x-access-token': access },
    });
    t.equal(refused.statusCode, 403, "and nobody else's");

    // Both instances run their admission loops: together they admit at the room's rate, not twice it.
    wa.start();
    wb.start();
    const from = now;
    for (let i = 0; i < 40; i++) {
      now += 250;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
    const states = await Promise.all(
      buyers
        .concat([twice])
        .map(async (b) => (await B(b.token)({ method: 'GET', url: `/events/${eventId}/queue/me` })).json().state as string),
    );
    const count = states.filter((s) => s === 'admitted').length;
    const allowed = 1 + ((now - from) / 60_000) * 60 + 2 + 1; // the first, the rate, the bucket, rounding
    t.ok(count >= 5, `the loops move the queue (${count} of 31 admitted)`);
    t.ok(count <= allowed, `never faster than the room allows (${count} <= ${allowed})`);
  });
}
