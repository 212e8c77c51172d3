import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import t from 'tap';
import { call, createOnSale, expectStatus, followSeatMap, registerBuyers, seatMap, signIn, waitForFollowerToMatchStream } from './api.js';
import { crashLines, startMarquee, tempDir, waitFor, type Marquee } from './processes.js';
import { startNats, startRedis, startSuitePostgres } from './servers.js';

/** The first bytes of a GET on a fresh connection: its status line and the first SSE message. */
const firstStreamMessage = (base: string, path: string): Promise<{ status: number; first: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: { accept: 'text/event-stream' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const m = /event: (\w+)/.exec(text);
        if (m || res.statusCode !== 200) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, first: m?.[1] ?? text });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, first: text }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('no snapshot within 60 s')));
    req.on('error', reject);
    req.end();
  });

/** Writes `requests` back to back on one connection and returns the status of every answer read before it closed. */
const onOneConnection = (port: number, requests: readonly string[]): Promise<{ statuses: number[]; error?: string }> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    let error: string | undefined;
    socket.on('data', (chunk) => (got += chunk.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () =>
      resolve({ statuses: [...got.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])), ...(error ? { error } : {}) }),
    );
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('connect', () => {
      for (const r of requests) socket.write(r);
    });
  });

t.test('two api processes and a projector on one PostgreSQL, NATS and Redis serve one system', async (t) => {
  const [pg, nats, redis] = await Promise.all([startSuitePostgres(t), startNats(t), startRedis(t)]);
  const shared = { DATABASE_URL: pg.url, NATS_URL: nats?.url, REDIS_URL: redis?.url };
  const [projector, api1, api2] = await Promise.all([
    startMarquee(t, { ROLE: 'projector', DATA_DIR: await tempDir(t, 'projector'), ...shared }),
    startMarquee(t, { ROLE: 'api', DATA_DIR: await tempDir(t, 'api1'), ...shared }, { name: 'api-1' }),
    startMarquee(t, { ROLE: 'api', DATA_DIR: await tempDir(t, 'api2'), ...shared }, { name: 'api-2' }),
  ]);
  const all: Marquee[] = [projector, api1, api2];
  await Promise.all(all.map((m) => m.ready()));

  await t.test('each process is ready with every dependency it was given', async (t) => {
    for (const m of all) {
      const r = await expectStatus(call(m.url, 'GET', '/ready'), 200, `${m.name} /ready`);
      const checks = r.body.checks as Record<string, string>;
      t.equal(checks.eventStore, 'ok', `${m.name}: event store`);
      t.equal(checks.readModels, 'ok', `${m.name}: read models`);
      t.equal(checks.bus, 'ok', `${m.name}: bus`);
      if (redis) t.equal(checks.redis, 'ok', `${m.name}: redis`);
    }
    const health = await expectStatus(call(projector.url, 'GET', '/health'), 200, 'projector /health');
    t.same(health.body, { status: 'ok' }, 'the projector answers /health (it used to die building its schema)');
    const metrics = await fetch(`${projector.url}/metrics`);
    t.match(await metrics.text(), /marquee_|process_/, 'and serves Prometheus metrics');
  });

  const organizer = await signIn(api1.url);
  const [buyer] = await registerBuyers(api2.url, 1);
  const { eventId } = await createOnSale(api1.url, organizer, 4, 20);

  await t.test("a new event's seat-map stream answers at once, on the other process too, and starts with a snapshot", async (t) => {
    const first = await firstStreamMessage(api2.url, `/events/${eventId}/seats/stream`);
    t.equal(first.status, 200, 'not 404 while the projection catches up');
    t.equal(first.first, 'snapshot', 'the first message is the snapshot');
    const unknown = await call(api2.url, 'GET', `/events/no-such-event/seats/stream`);
    t.equal(unknown.status, 404, 'an event nobody scheduled is still 404');
  });

  await t.test(
    'a hold made through one api process shows up in the seat map the other serves, through the projector process',
    async (t) => {
      const follower = followSeatMap(() => api2.url, eventId);
      t.teardown(() => follower.close());
      await waitFor('the SSE snapshot', () => follower.version() >= 0, 60_000);
      const hold = await expectStatus(
        call(api1.url, 'POST', `/events/${eventId}/bookings`, { token: buyer!.token, body: { seats: ['A-2-5', 'A-2-6'] } }),
        201,
        'hold through api-1',
      );
      t.equal(hold.body.status, 'held');
      await waitFor('api-2 to show the hold', async () => {
        const map = await seatMap(api2.url, eventId);
        return map.seats.get('A-2-5') === 'H' && map.seats.get('A-2-6') === 'H';
      });
      t.pass('GET /events/:id/seats on api-2 shows both seats held');
      await waitForFollowerToMatchStream(follower, pg.url, eventId);
      t.equal(follower.seats.get('A-2-5'), 'H', 'the SSE stream on api-2 shows them too');
      // Another process knows a booking from the bookings read model, a projection apart from the seat map's:
      // it may be a batch behind the map for a moment.
      let mine = await call(api2.url, 'GET', `/bookings/${hold.body.id as string}`, { token: buyer!.token });
      await waitFor('api-2 to know the booking', async () => {
        mine = await call(api2.url, 'GET', `/bookings/${hold.body.id as string}`, { token: buyer!.token });
        return mine.status === 200;
      });
      t.same('body' in mine ? mine.body.seats : undefined, ['A-2-5', 'A-2-6'], 'and api-2 knows the booking');
    },
  );

  await t.test('two oversized bodies in a row on one keep-alive connection get two 413s', async (t) => {
    const big = `{"email":"${'x'.repeat(1024 * 1024 + 16)}"}`;
    const post = `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`;
    const last = 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const raw = await onOneConnection(api1.port, [post, post, last]);
    t.same(raw.statuses, [413, 413, 200], `written back to back, each gets its own answer${raw.error ? ` (socket: ${raw.error})` : ''}`);
    const viaFetch: number[] = [];
    for (let i = 0; i < 3; i++)
      viaFetch.push((await call(api1.url, 'POST', '/auth/login', { body: { email: 'x'.repeat(1024 * 1024 + 16) } })).status);
    viaFetch.push(
      (await call(api1.url, 'POST', '/auth/login', { body: { email: 'nobody@system.test', password: 'wrong-password' } })).status,
    );
    t.same(viaFetch, [413, 413, 413, 401], 'fetch on its keep-alive pool: three 413s, then the next request gets its own answer');
  });

  await t.test('ROLE=all joins the same servers as a hot-standby projector and is ready', async (t) => {
    const joined = await startMarquee(t, { ROLE: 'all', DATA_DIR: await tempDir(t, 'all'), ...shared }, { name: 'all' });
    await joined.ready();
    const map = await seatMap(joined.url, eventId);
    t.equal(map.seats.get('A-2-5'), 'H', 'it serves the same seat map');
    t.same(await joined.stop('SIGINT'), { code: 0, signal: null }, 'and stops on Ctrl-C with exit code 0');
  });

  await t.test('every process stops on SIGTERM with exit code 0 and logged no error', async (t) => {
    const exits = await Promise.all(all.map((m) => m.stop('SIGTERM')));
    for (const [i, m] of all.entries()) {
      t.same(exits[i], { code: 0, signal: null }, `${m.name} exits 0`);
      t.same(crashLines(m.output()), [], `${m.name} logged no error`);
    }
  });
});
