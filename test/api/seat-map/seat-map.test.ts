import { request as httpRequest, type IncomingMessage } from 'node:http';
import t from 'tap';
import { mergeDeltas } from '../../../src/api/seat-map/hub.js';
import { testApp } from '../../support/app.js';
import { natsUrlOrSkip } from '../../support/services.js';

type SseMessage = { event: string; id?: string; data?: string; comment?: string; at: number };

/** A minimal SSE client over real HTTP: collects messages as they arrive. */
const openStream = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{
    res: IncomingMessage;
    messages: SseMessage[];
    next: (pred: (m: SseMessage) => boolean, timeoutMs?: number) => Promise<SseMessage>;
    close: () => void;
  }>((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const messages: SseMessage[] = [];
      const waiters: { pred: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const m: SseMessage = { event: 'message', at: Date.now() };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) m.comment = line.slice(1).trim();
            else if (line.startsWith('event: ')) m.event = line.slice(7);
            else if (line.startsWith('id: ')) m.id = line.slice(4);
            else if (line.startsWith('data: ')) m.data = (m.data ?? '') + line.slice(6);
          }
          if (m.comment !== undefined && m.data === undefined) m.event = 'comment';
          messages.push(m);
          for (const w of [...waiters])
            if (w.pred(m)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(m);
            }
        }
      });
      const next = (pred: (m: SseMessage) => boolean, timeoutMs = 10_000) =>
        new Promise<SseMessage>((res2, rej2) => {
          const found = messages.find(pred);
          if (found) {
            res2(found);
            return;
          }
          const timer = setTimeout(() => rej2(new Error('no such SSE message in time')), timeoutMs);
          waiters.push({
            pred,
            resolve: (m) => {
              clearTimeout(timer);
              res2(m);
            },
          });
        });
      resolve({ res, messages, next, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });

t.test('mergeDeltas folds deltas in order: later statuses win, the version is the last one', async (t) => {
  t.same(
    mergeDeltas([
      { version: 3, changes: { 'A-1-1': 'H', 'A-1-2': 'H' }, standing: { PIT: 10 } },
      { version: 5, changes: { 'A-1-1': 'A' }, standing: { PIT: 8 } },
    ]),
    { version: 5, changes: { 'A-1-1': 'A', 'A-1-2': 'H' }, standing: { PIT: 8 } },
  );
  t.equal(mergeDeltas([]), undefined);
});

t.test('seat map', async (t) => {
  const h = await testApp(t, { listen: true, deps: (d) => ({ ...d, sse: { heartbeatMs: 300 } }) });
  const { eventId } = await h.onSaleEvent();
  // A buyer per hold, so maxTicketsPerUser never gets in the way.
  const hold = async (seats: string[], standing: { sectionId: string; quantity: number }[] = []) =>
    h.as((await h.user()).token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats, standing } });
  await h.settle();

  t.test('GET /events/:id/seats answers the map with ETag "<version>"; If-None-Match gives 304', async (t) => {
    const r = await h.app.inject({ method: 'GET', url: `/events/${eventId}/seats` });
    t.equal(r.statusCode, 200);
    const map = r.json();
    t.match(map, {
      eventId,
      version: Number,
      sections: [
        {
          id: 'A',
          kind: 'seated',
          price: 5000,
          rows: [
            { label: '1', seats: 'AAAAAAAAAA' },
            { label: '2', seats: 'AAAAAAAAAA' },
          ],
        },
        { id: 'PIT', kind: 'standing', price: 5000, capacity: 50, available: 50 },
      ],
    });
    t.equal(r.headers.etag, `"${map.version}"`);
    const again = await h.app.inject({
      method: 'GET',
      url: `/events/${eventId}/seats`,
      headers: { 'if-none-match': r.headers.etag as string },
    });
    t.equal(again.statusCode, 304);
    t.equal(again.body, '');
  });

  t.test('after a hold the map shows the seats held, under a new ETag', async (t) => {
    const before = await h.app.inject({ method: 'GET', url: `/events/${eventId}/seats` });
    t.equal((await hold(['A-1-1', 'A-1-2'], [{ sectionId: 'PIT', quantity: 2 }])).statusCode, 201);
    const after = await h.waitFor(async () => {
      const r = await h.app.inject({
        method: 'GET',
        url: `/events/${eventId}/seats`,
        headers: { 'if-none-match': before.headers.etag as string },
      });
      return r.statusCode === 200 ? r : undefined;
    });
    t.not(after.headers.etag, before.headers.etag);
    const map = after.json();
    t.equal(map.sections[0].rows[0].seats, 'HHAAAAAAAA');
    t.equal(map.sections[1].available, 48);
  });

  t.test('an unknown event is 404 for the map and for the stream', async (t) => {
    const r = await h.app.inject({ method: 'GET', url: '/events/00000000-0000-4000-8000-000000000000/seats' });
    t.equal(r.statusCode, 404);
    const s = await fetch(`${h.url}/events/00000000-0000-4000-8000-000000000000/seats/stream`);
    t.equal(s.status, 404);
    t.equal(s.headers.get('content-type'), 'application/problem+json');
  });

  t.test('the SSE stream sends a snapshot, then a hold as a delta with id = version, coalesced, with keep-alive comments', async (t) => {
    const s = await openStream(`${h.url}/events/${eventId}/seats/stream`);
    t.teardown(s.close);
    t.equal(s.res.statusCode, 200);
    t.match(s.res.headers['content-type'], /^text\/event-stream/);
    const snap = await s.next((m) => m.event === 'snapshot');
    t.equal(
      s.messages.find((m) => m.event !== 'comment'),
      snap,
      'the snapshot comes first',
    );
    const snapshot = JSON.parse(snap.data!);
    t.equal(snap.id, String(snapshot.version));
    t.equal(snapshot.sections[0].rows[0].seats, 'HHAAAAAAAA');

    const sentAt = Date.now();
    t.equal((await hold(['A-1-5'])).statusCode, 201);
    const delta = await s.next((m) => m.event === 'seats' && JSON.parse(m.data!).changes['A-1-5'] === 'H');
    t.comment(`delta arrived ${delta.at - sentAt} ms after the hold was sent`);
    const body = JSON.parse(delta.data!);
    t.equal(delta.id, String(body.version));
    t.ok(body.version > snapshot.version);
    t.same(body.changes, { 'A-1-5': 'H' });

    // A burst of holds: every change arrives, and messages are at least ~100 ms apart.
    for (const seat of ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4', 'A-2-5', 'A-2-6']) t.equal((await hold([seat])).statusCode, 201);
    await s.next((m) => m.event === 'seats' && JSON.parse(m.data!).changes['A-2-6'] === 'H');
    const seats = s.messages.filter((m) => m.event === 'seats');
    const seen = Object.assign({}, ...seats.map((m) => JSON.parse(m.data!).changes));
    for (const seat of ['A-2-1', 'A-2-2', 'A-2-3', 'A-2-4', 'A-2-5', 'A-2-6']) t.equal(seen[seat], 'H', seat);
    // Messages leave at least 100 ms apart. On a loaded machine one may arrive late, close to the next, so the
    // burst's whole span is checked, with half of each interval as slack, not each gap.
    const span = (seats.at(-1)?.at ?? 0) - (seats[0]?.at ?? 0);
    t.ok(span >= (seats.length - 1) * 50, `${seats.length} messages over ${span} ms`);
    const versions = seats.map((m) => Number(m.id));
    t.same(
      versions,
      [...versions].sort((a, b) => a - b),
      'ids increase',
    );
    await s.next((m) => m.event === 'comment' && (m.comment ?? '').startsWith('keep-alive'), 5_000);
  });

  t.test('Last-Event-ID resumes with the missed deltas when they are at hand, else a fresh snapshot', async (t) => {
    const first = await openStream(`${h.url}/events/${eventId}/seats/stream`);
    const snap = await first.next((m) => m.event === 'snapshot');
    first.close();
    t.equal((await hold(['A-1-7'])).statusCode, 201);
    await h.settle();
    // Wait until the hub has seen the delta (another stream receives it).
    const watcher = await openStream(`${h.url}/events/${eventId}/seats/stream`, { 'last-event-id': snap.id! });
    t.teardown(watcher.close);
    const resumed = await watcher.next((m) => m.event === 'seats' || m.event === 'snapshot');
    t.equal(resumed.event, 'seats', 'resumed with a delta, not a snapshot');
    t.equal(JSON.parse(resumed.data!).changes['A-1-7'], 'H');
    const current = await openStream(`${h.url}/events/${eventId}/seats/stream`, { 'last-event-id': resumed.id! });
    t.teardown(current.close);
    await current.next((m) => m.event === 'comment' && m.comment === 'resumed');
    t.notOk(
      current.messages.some((m) => m.event === 'snapshot'),
      'nothing to send when current',
    );
    const stale = await openStream(`${h.url}/events/${eventId}/seats/stream`, { 'last-event-id': '-5' });
    t.teardown(stale.close);
    const fresh = await stale.next((m) => m.event === 'snapshot' || m.event === 'seats');
    t.equal(fresh.event, 'snapshot');
    t.equal(JSON.parse(fresh.data!).sections[0].rows[0].seats.slice(0, 7), 'HHAAHAH');
  });

  t.test('a closed stream is cleaned up (the open-stream gauge goes back down)', async (t) => {
    const gauge = async () => (await h.runtime.metrics.sseClients.get()).values[0]?.value ?? 0;
    // The streams of the tests before are closing too: start from none.
    await h.waitFor(async () => (await gauge()) === 0, 5_000, 'earlier streams to close');
    const base = 0;
    const s = await openStream(`${h.url}/events/${eventId}/seats/stream`);
    await s.next((m) => m.event === 'snapshot');
    t.equal(await gauge(), base + 1);
    s.close();
    await h.waitFor(async () => (await gauge()) === base, 5_000, 'the gauge to drop');
    t.pass('cleaned up');
  });
});

t.test('over NATS, the SSE stream relays a hold as a delta too', async (t) => {
  if (!natsUrlOrSkip(t)) return;
  const h = await testApp(t, { listen: true, nats: true });
  const { eventId } = await h.onSaleEvent();
  await h.settle();
  const s = await openStream(`${h.url}/events/${eventId}/seats/stream`);
  t.teardown(s.close);
  await s.next((m) => m.event === 'snapshot');
  const buyer = await h.user();
  const r = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-2-2'] } });
  t.equal(r.statusCode, 201);
  const delta = await s.next((m) => m.event === 'seats' && JSON.parse(m.data!).changes['A-2-2'] === 'H');
  t.equal(delta.id, String(JSON.parse(delta.data!).version));
});

t.test("in one process a hold's seats are on the map as its 201 is sent, before any projection ran", async (t) => {
  const h = await testApp(t);
  const { eventId } = await h.onSaleEvent();
  await h.settle();
  // Stop the projector: what the map shows now can only come from the event's writer.
  await h.runtime.projector()?.stop();
  const r = await h.as((await h.user()).token)({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: { seats: ['A-2-9', 'A-2-10'] },
  });
  t.equal(r.statusCode, 201);
  const map = (await h.app.inject({ method: 'GET', url: `/events/${eventId}/seats` })).json();
  t.equal(map.sections[0].rows[1].seats, 'AAAAAAAAHH');
  const { version } = await h.runtime.ticketing.eventState(eventId);
  t.equal(map.version, version, 'at the stream version');
});
