import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { buildApp } from '../../../src/api/app/index.js';
import { testApp } from '../../support/app.js';
import { redisUrlOrSkip } from '../../support/services.js';

t.test('operations', async (t) => {
  const h = await testApp(t, { env: { RATE_LIMIT: '0' } });

  t.test('/health answers ok; /ready lists every dependency as ok', async (t) => {
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    t.equal(health.statusCode, 200);
    t.same(health.json(), { status: 'ok' });
    const ready = await h.app.inject({ method: 'GET', url: '/ready' });
    t.equal(ready.statusCode, 200);
    t.match(ready.json(), { status: 'ready', checks: { eventStore: 'ok', readModels: 'ok', bus: 'ok' } });
  });

  t.test('/metrics is Prometheus text with request latency by route, holds, conflicts, writer batches and projector lag', async (t) => {
    const { eventId } = await h.onSaleEvent();
    const a = await h.user();
    const b = await h.user();
    await h.as(a.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1'] } });
    await h.as(b.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1'] } });
    const r = await h.app.inject({ method: 'GET', url: '/metrics' });
    t.equal(r.statusCode, 200);
    t.match(r.headers['content-type'], /^text\/plain/);
    t.match(r.body, /marquee_http_request_duration_seconds_bucket\{[^}]*route="\/events\/:id\/bookings"/);
    t.match(r.body, /marquee_holds_total\{outcome="held"\} 1/);
    t.match(r.body, /marquee_holds_total\{outcome="seats-unavailable"\} 1/);
    t.match(r.body, /marquee_conflicts_total\{reason="seats-unavailable"\} 1/);
    t.match(r.body, /marquee_writer_batch_commands_count \d+/);
    t.match(r.body, /marquee_projector_lag_seconds\{projection="seat-map"\}/);
  });

  t.test('a body over the limit is 413 body-too-large', async (t) => {
    const org = await h.organizer();
    const r = await h.as(org.token)({
      method: 'POST',
      url: '/venues',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...h.venueBody(), name: 'x'.repeat(1_100_000) }),
    });
    t.equal(r.statusCode, 413);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.equal(r.json().type, 'body-too-large');
  });

  t.test('malformed JSON is 400 invalid-input; a request id is echoed', async (t) => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    t.equal(r.statusCode, 400);
    t.equal(r.json().type, 'invalid-input');
    t.ok(r.headers['x-request-id']);
    const mine = await h.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-123' } });
    t.equal(mine.headers['x-request-id'], 'trace-123');
  });

  t.test('graceful shutdown lets an in-flight request finish', async (t) => {
    const app = await buildApp(h.runtime.appDeps);
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    app.get('/slow', async () => {
      entered();
      await new Promise((r) => setTimeout(r, 300));
      return { done: true };
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const inflight = fetch(`${url}/slow`);
    await inside;
    const closing = app.close();
    const res = await inflight;
    t.equal(res.status, 200);
    t.same(await res.json(), { done: true });
    await closing;
    await t.rejects(fetch(`${url}/health`), 'no new connections after close');
  });

  t.test('/ready is 503 not-ready naming the dependency that is down', async (t) => {
    await h.runtime.bus.close();
    const r = await h.app.inject({ method: 'GET', url: '/ready' });
    t.equal(r.statusCode, 503);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.match(r.json(), { type: 'not-ready', checks: { bus: 'down', eventStore: 'ok' } });
  });
});

const rateLimitSuite = (redis: boolean) => async (t: Test) => {
  // Its own counters: concurrent runs sharing the Redis would otherwise count each other's set-up writes from 127.0.0.1.
  const h = await testApp(t, {
    env: { RATE_LIMIT: '3' },
    redis,
    deps: (d) => ({ ...d, rateLimitNamespace: `marquee-rl-test-${randomUUID()}:` }),
  });
  const login = (ip: string) =>
    h.app.inject({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: ip,
      payload: { email: 'nobody@example.com', password: 'whatever1' },
    });
  // Random addresses: Redis keeps counters between runs for a minute.
  const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const ip = randomIp();
  for (let i = 0; i < 3; i++) t.equal((await login(ip)).statusCode, 401);
  const limited = await login(ip);
  t.equal(limited.statusCode, 429);
  t.equal(limited.headers['content-type'], 'application/problem+json');
  t.equal(limited.json().type, 'rate-limited');
  t.ok(Number(limited.headers['retry-after']) >= 1, `retry-after ${limited.headers['retry-after']}`);
  t.equal((await login(randomIp())).statusCode, 401, 'another address is not limited');

  // Per user: the same account from many addresses.
  const { eventId } = await h.onSaleEvent();
  const u = await h.user();
  const codes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await h.app.inject({
      method: 'POST',
      url: `/events/${eventId}/bookings`,
      remoteAddress: randomIp(),
      headers: { authorization: `Bearer ${u.token}` },
      payload: { seats: [`A-1-${i + 1}`] },
    });
    codes.push(r.statusCode);
  }
  t.same(codes, [201, 201, 201, 429]);
  t.equal((await h.app.inject({ method: 'GET', url: `/events/${eventId}`, remoteAddress: ip })).statusCode, 200, 'reads are not limited');
};

t.test('rate limits: past RATE_LIMIT writes a minute per address and per user, 429 rate-limited with retry-after', rateLimitSuite(false));

t.test('rate limits kept in Redis', async (t) => {
  if (!redisUrlOrSkip(t)) return;
  await rateLimitSuite(true)(t);
});
