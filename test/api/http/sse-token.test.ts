import { Writable } from 'node:stream';
import { pino } from 'pino';
import t from 'tap';
import { redactUrl } from '../../../src/api/http/index.js';
import { testApp } from '../../support/app.js';

/** The app's log lines, captured (the access log among them). */
const captureLog = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
};

t.test('an EventSource signs in with ?access_token= on SSE routes, and the access log never shows the token', async (t) => {
  const { log, lines } = captureLog();
  const h = await testApp(t, { listen: true, deps: (d) => ({ ...d, log }) });
  const { organizer, eventId } = await h.onSaleEvent();
  const buyer = await h.user();
  const put = await h.as(organizer.token)({
    method: 'PUT',
    url: `/events/${eventId}/waiting-room`,
    payload: { enabled: true, opensAt: new Date(Date.now() + 3_600_000).toISOString(), admitPerMinute: 60, accessSeconds: 600 },
  });
  t.equal(put.statusCode, 200);
  t.equal((await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/queue` })).statusCode, 201);

  // Like a browser's EventSource: no Authorization header, the token in the URL.
  const res = await fetch(`${h.url}/events/${eventId}/queue/stream?access_token=${encodeURIComponent(buyer.token)}`, {
    headers: { accept: 'text/event-stream' },
  });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/event-stream/);
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  t.match(first, /^data: \{"state":"waiting"/, 'the stream answers the signed-in buyer’s place');
  await reader.cancel();

  const bad = await fetch(`${h.url}/events/${eventId}/queue/stream?access_token=not-a-token`, { headers: { accept: 'text/event-stream' } });
  t.equal(bad.status, 401, 'a bad token in the URL is refused like a bad header');

  await new Promise((r) => setTimeout(r, 100));
  const logged = lines.filter((l) => l.includes('/queue/stream'));
  t.ok(logged.length > 0, 'the stream requests are in the access log');
  t.notOk(
    logged.some((l) => l.includes(buyer.token)),
    'without the token',
  );
  t.ok(
    logged.some((l) => l.includes('access_token=[redacted]')),
    'which is marked redacted',
  );
});

t.test("the waitlist entry's stream signs in with ?access_token= too", async (t) => {
  const h = await testApp(t, { listen: true });
  const { eventId } = await h.onSaleEvent();
  const buyer = await h.user();
  const joined = await h.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/waitlist`, payload: { quantity: 1 } });
  t.ok(joined.statusCode === 201 || joined.statusCode === 200, `joined (${joined.statusCode})`);
  await h.settle(); // the stream reads the waitlist's read model
  const res = await fetch(`${h.url}/events/${eventId}/waitlist/me/stream?access_token=${encodeURIComponent(buyer.token)}`, {
    headers: { accept: 'text/event-stream' },
  });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/event-stream/);
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  t.match(first, /data: \{.*"id":"[0-9a-f-]{36}"/, "the stream answers the buyer's entry");
  await reader.cancel();
  const bad = await fetch(`${h.url}/events/${eventId}/waitlist/me/stream?access_token=not-a-token`, {
    headers: { accept: 'text/event-stream' },
  });
  t.equal(bad.status, 401, 'a bad token in the URL is refused');
});

t.test('the token in the URL counts only for event streams, so no other route invites tokens into URLs', async (t) => {
  const h = await testApp(t);
  const buyer = await h.user();
  const me = await h.as(undefined)({ method: 'GET', url: `/me?access_token=${buyer.token}` });
  t.equal(me.statusCode, 401, 'a plain GET with ?access_token= is not signed in');
  t.match(me.json().detail, /Authorization: Bearer/);
  const header = await h.as(buyer.token)({ method: 'GET', url: '/me' });
  t.equal(header.statusCode, 200, 'the header still works');
  const stream = await h.as(undefined)({
    method: 'POST',
    url: `/events/00000000-0000-4000-8000-000000000000/queue?access_token=${buyer.token}`,
    headers: { accept: 'text/event-stream' },
  });
  t.equal(stream.statusCode, 401, 'nor a POST that asks for an event stream');
});

t.test('the seat-map stream stays public', async (t) => {
  const h = await testApp(t, { listen: true });
  const { eventId } = await h.onSaleEvent();
  await h.settle();
  const res = await fetch(`${h.url}/events/${eventId}/seats/stream`, { headers: { accept: 'text/event-stream' } });
  t.equal(res.status, 200, 'no token needed');
  const reader = res.body!.getReader();
  t.match(new TextDecoder().decode((await reader.read()).value), /event: snapshot/);
  await reader.cancel();
});

t.test('redactUrl hides the value of access_token and keeps the rest', async (t) => {
  t.equal(redactUrl('/events/1/queue/stream?access_token=eyJabc.def'), '/events/1/queue/stream?access_token=[redacted]');
  t.equal(redactUrl('/x?a=1&access_token=t&b=2'), '/x?a=1&access_token=[redacted]&b=2');
  t.equal(redactUrl('/events/search?q=access_token'), '/events/search?q=access_token', 'a search for the words is not a token');
  t.equal(redactUrl('/health'), '/health');
});

t.test('every event-stream route that needs a user is one this file proves takes ?access_token=', async (t) => {
  const h = await testApp(t);
  const hooks = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const signedIn = h.app
    .registeredRoutes()
    .filter((r) => r.url.endsWith('/stream') && r.method === 'GET')
    .filter((r) =>
      [...hooks(r.preValidation), ...hooks(r.preHandler)].some((f) => f === h.app.authenticate || f === h.app.requireOrganizer),
    )
    .map((r) => r.url);
  t.same(signedIn.sort(), ['/events/:id/queue/stream', '/events/:id/waitlist/me/stream'], 'a new one must join the tests of this file');
});
