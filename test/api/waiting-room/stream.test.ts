import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import t from 'tap';
import type { Test } from 'tap';
import { authPlugin, installProblemHandlers } from '../../../src/api/http/index.js';
import { waitingRoomRoutes } from '../../../src/api/waiting-room/index.js';
import type { QueueStreamOptions } from '../../../src/api/waiting-room/routes.js';
import type { RoomConfig } from '../../../src/commands/waiting-room/index.js';
import { createMemoryWaitingRoom, createAccessTokens } from '../../../src/commands/waiting-room/index.js';
import { configSource, OPENS_AT } from '../../commands/waiting-room/contract.js';
import { openStream } from './sse.js';

/** GET /events/:id/queue/stream on the routes alone (real auth, the in-process queue, a clock the test moves). */
const streamApp = async (t: Test, stream: QueueStreamOptions) => {
  let now = OPENS_AT - 60_000;
  const { configs, loadConfig } = configSource();
  const queue = createMemoryWaitingRoom({ tokens: createAccessTokens('stream-test-key-0123456789abcdef'), loadConfig });
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  await app.register(authPlugin, { secret: `stream-test-${randomUUID()}` });
  const ticketing = {
    getEvent: async () => undefined,
    configureWaitingRoom: async () => {
      throw new Error('not used here');
    },
  };
  await app.register(waitingRoomRoutes({ queue, ticketing, clock: () => now, stream }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const eventId = randomUUID();
  const config: RoomConfig = { enabled: true, opensAt: OPENS_AT, admitPerMinute: 60, accessSeconds: 30 };
  configs.set(eventId, config);
  await queue.configure(eventId, config);
  return {
    queue,
    eventId,
    url: `${base}/events/${eventId}/queue/stream`,
    token: (id: string) => app.signToken({ id, email: `${id}@example.com`, role: 'customer' }),
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
};

t.test('the stream sends the place at once, when it changes, and again at least every heartbeat', async (t) => {
  const s = await streamApp(t, { pollMs: 50, heartbeatMs: 300 });
  await s.queue.join(s.eventId, 'me', s.now());
  const c = await openStream(t, s.url, s.token('me'));
  t.equal(c.status, 200);
  t.match(c.contentType, /^text\/event-stream/);
  const [hello] = await c.waitFor(1);
  t.match(hello, { event: 'message', data: { state: 'waiting', position: 1, ahead: 0 } });
  const repeated = await c.waitFor(3, 5000);
  t.same(repeated[2]?.data, hello?.data, 'unchanged, and still sent: the heartbeat');
});

t.test('the stream tells a user of the admission at once, without waiting for the next poll', async (t) => {
  const s = await streamApp(t, { pollMs: 60_000, heartbeatMs: 60_000 });
  await s.queue.join(s.eventId, 'me', s.now());
  const c = await openStream(t, s.url, s.token('me'));
  await c.waitFor(1);
  s.advance(61_000);
  const started = Date.now();
  t.same(await s.queue.tick(s.eventId, s.now()), ['me']);
  const [, admitted] = await c.waitFor(2, 5000);
  t.match(admitted, { event: 'message', data: { state: 'admitted', position: 0, accessToken: String, accessExpiresAt: String } });
  t.ok(Date.now() - started < 5000, 'well before the minute-long poll');
});

t.test('the stream follows the place as the queue moves, and ends with a problem when the place lapses', async (t) => {
  const s = await streamApp(t, { pollMs: 50, heartbeatMs: 60_000 });
  await s.queue.join(s.eventId, 'ahead', s.now());
  s.advance(60_000); // open now; 'me' joins after opening, behind 'ahead'
  await s.queue.join(s.eventId, 'me', s.now());
  const c = await openStream(t, s.url, s.token('me'));
  const [hello] = await c.waitFor(1);
  t.match(hello?.data, { state: 'waiting', position: 2, ahead: 1 });
  s.advance(1000);
  t.same(await s.queue.tick(s.eventId, s.now()), ['ahead']);
  // The hub re-reads within pollMs: 'me' moved up.
  const moved = await c.waitFor(2, 5000);
  t.match(moved[1]?.data, { state: 'waiting', position: 1, ahead: 0 });
  s.advance(1000);
  t.same(await s.queue.tick(s.eventId, s.now()), ['me']);
  const got = await c.waitFor(3, 5000);
  t.match(got[2]?.data, { state: 'admitted' });
  s.advance(31_000);
  const last = await c.waitFor(4, 5000);
  t.match(last[3], { event: 'problem', data: { type: 'not-found', status: 404 } });
  await new Promise((r) => setTimeout(r, 100));
  t.ok(c.ended(), 'and the stream ends');
});

t.test('a user with no place gets a problem, not a stream', async (t) => {
  const s = await streamApp(t, { pollMs: 50, heartbeatMs: 300 });
  const c = await openStream(t, s.url, s.token('nobody'));
  t.equal(c.status, 404);
  t.match(c.contentType, /application\/problem\+json/);
  await new Promise((r) => setTimeout(r, 100));
  t.match(JSON.parse(c.body()), { type: 'not-found' });
  const anon = await fetch(s.url);
  t.equal(anon.status, 401, 'and nobody gets one without signing in');
});
