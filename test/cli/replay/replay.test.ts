import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { SeatsHeld, HoldReleased } from '../../../src/domain/ticketed-event/index.js';
import { freshDatabase } from '../../support/services.js';
import { append, cliEnv, eventScheduled, openStore, runInProcess, venueRegistered } from '../helpers.js';

const url = await freshDatabase(t);
const env = cliEnv(url);
const store = await openStore(url);
t.teardown(() => store.close());

const venueId = randomUUID();
const eventId = randomUUID();
const stream = `event-${eventId}`;
const bookingId = randomUUID();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await append(store, `venue-${venueId}`, [venueRegistered(venueId)], 'no_stream');
await append(store, stream, [eventScheduled(eventId, venueId, '2026-01-01T00:00:00.000Z')], 'no_stream');
const heldAt = new Date();
const held: SeatsHeld = {
  type: 'SeatsHeld',
  data: {
    eventId,
    bookingId,
    userId: 'user-1',
    seats: ['A-1-2', 'A-1-3'],
    standing: [{ sectionId: 'PIT', quantity: 3 }],
    amount: 2 * 6500 + 3 * 4500,
    currency: 'GBP',
    heldAt: heldAt.toISOString(),
    expiresAt: new Date(heldAt.getTime() + 300_000).toISOString(),
  },
};
await append(store, stream, [held], 0);
await sleep(60);
const released: HoldReleased = {
  type: 'HoldReleased',
  data: {
    eventId,
    bookingId,
    reason: 'cancelled',
    seats: held.data.seats,
    standing: held.data.standing,
    releasedAt: new Date().toISOString(),
  },
};
await append(store, stream, [released], 1);

const recorded = await store.readStream(stream);
const holdTime = recorded[1]?.recordedAt.getTime() ?? 0;
const releaseTime = recorded[2]?.recordedAt.getTime() ?? 0;
// Between the hold and its release, by the database's own clock.
const cutoff = new Date(Math.floor((holdTime + releaseTime) / 2)).toISOString();

type Line = Record<string, unknown>;
const lines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

t.test('replay prints a stream as NDJSON, one event per line in version order', async (t) => {
  t.ok(releaseTime - holdTime >= 20, 'the hold and the release were recorded apart');
  const r = await runInProcess(['replay', '--stream', stream], env);
  t.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  t.same(
    out.map((l) => [l.version, l.type]),
    [
      [0, 'EventScheduled'],
      [1, 'SeatsHeld'],
      [2, 'HoldReleased'],
    ],
  );
  const first = out[0] ?? {};
  t.same(Object.keys(first), ['stream', 'version', 'position', 'id', 'type', 'data', 'metadata', 'recordedAt'], 'every field of the event');
  t.equal(first.stream, stream);
  t.match(first.position, /^\d+:\d+$/, 'position as commit:prepare');
  t.same(first.data, eventScheduled(eventId, venueId, '2026-01-01T00:00:00.000Z').data, 'data as appended');
  t.equal(first.id, recorded[0]?.id);
  t.equal(first.recordedAt, recorded[0]?.recordedAt.toISOString());
  t.match(first.metadata, { userId: 'user-1' });
});

t.test('replay --format table prints aligned columns', async (t) => {
  const r = await runInProcess(['replay', '--stream', stream, '--format', 'table'], env);
  t.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n');
  const header = rows.find((l) => l.startsWith('VERSION'));
  t.ok(header, 'a header row');
  const body = rows.filter((l) => /^\d+\s/.test(l));
  t.equal(body.length, 3, 'one row per event');
  const typeColumn = header?.indexOf('TYPE') ?? -1;
  t.same(
    body.map((l) => l.slice(typeColumn).split(/\s+/)[0]),
    ['EventScheduled', 'SeatsHeld', 'HoldReleased'],
    'the type column lines up under its header',
  );
});

t.test('replay --until shows the events up to that time and the seat map as it was then', async (t) => {
  const r = await runInProcess(['replay', '--stream', stream, '--until', cutoff, '--format', 'table'], env);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, `2 events recorded at or before ${cutoff} (of 3)`);
  t.notMatch(r.stdout, 'HoldReleased', 'the release came after the cut-off');
  t.match(r.stdout, `State as of ${cutoff} (version 1)`);
  t.match(r.stdout, /held 5 +available 15/, 'the summary counts the held seats and places');
  const rows = r.stdout.split('\n').map((l) => l.trim());
  t.ok(rows.includes('1  AHHAAA'), 'row 1 of block A shows the two held seats');
  t.ok(rows.includes('2  AAAA'), 'row 2 is free');
  t.match(r.stdout, /PIT\s+Standing pit \(standing, price 4500\): 7 of 10 available/);
});

t.test('replay --until in NDJSON ends with the folded state', async (t) => {
  const r = await runInProcess(['replay', '--stream', stream, '--until', cutoff], env);
  t.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  t.equal(out.length, 3, 'two events and the state');
  const last = out.at(-1) as {
    asOf: string;
    version: number;
    state: { kind: string; seatMap: { id: string; rows?: { seats: string }[]; available?: number }[] };
  };
  t.equal(last.asOf, cutoff);
  t.equal(last.version, 1);
  t.equal(last.state.kind, 'event');
  t.same(
    last.state.seatMap.find((s) => s.id === 'A')?.rows?.map((r) => r.seats),
    ['AHHAAA', 'AAAA'],
  );
  t.equal(last.state.seatMap.find((s) => s.id === 'PIT')?.available, 7);
});

t.test('after the release every seat is available again', async (t) => {
  const later = new Date(releaseTime + 1000).toISOString();
  const r = await runInProcess(['replay', '--stream', stream, '--until', later], env);
  t.equal(r.code, 0, r.stderr);
  const state = (lines(r.stdout).at(-1) as { state: { seatMap: { id: string; rows?: { seats: string }[]; available?: number }[] } }).state;
  t.same(
    state.seatMap.find((s) => s.id === 'A')?.rows?.map((r) => r.seats),
    ['AAAAAA', 'AAAA'],
  );
  t.equal(state.seatMap.find((s) => s.id === 'PIT')?.available, 10);
});

t.test('a hold that had lapsed by the cut-off shows as available', async (t) => {
  const otherId = randomUUID();
  const other = `event-${otherId}`;
  await append(store, other, [eventScheduled(otherId, venueId, '2026-01-01T00:00:00.000Z')], 'no_stream');
  const past = new Date(Date.now() - 600_000);
  await append(
    store,
    other,
    [
      {
        ...held,
        data: { ...held.data, eventId: otherId, heldAt: past.toISOString(), expiresAt: new Date(past.getTime() + 300_000).toISOString() },
      },
    ],
    0,
  );
  const r = await runInProcess(['replay', '--stream', other, '--until', new Date(Date.now() + 1000).toISOString()], env);
  t.equal(r.code, 0, r.stderr);
  const state = (lines(r.stdout).at(-1) as { state: { seatMap: { id: string; rows?: { seats: string }[] }[] } }).state;
  t.same(state.seatMap.find((s) => s.id === 'A')?.rows?.[0]?.seats, 'AAAAAA');
});

t.test('replay --until of a venue stream shows the venue', async (t) => {
  const r = await runInProcess(
    ['replay', '--stream', `venue-${venueId}`, '--until', new Date(Date.now() + 1000).toISOString(), '--format', 'table'],
    env,
  );
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, 'Riverside Arena, 1 Quay St, Manchester, GB');
  t.match(r.stdout, 'capacity 20');
  t.match(r.stdout, /A\s+Block A: 2 rows/);
});

t.test('a cut-off before the stream began shows no events and an empty state', async (t) => {
  const r = await runInProcess(['replay', '--stream', stream, '--until', '2000-01-01T00:00:00Z', '--format', 'table'], env);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, '0 events recorded at or before 2000-01-01T00:00:00.000Z (of 3)');
  t.match(r.stdout, 'the stream had no events yet');
  t.match(r.stdout, 'not scheduled yet');
});

t.test('a bare id is answered with the stream it names: did you mean event-<id>?', async (t) => {
  const bare = await runInProcess(['replay', eventId], env);
  t.equal(bare.code, 1);
  t.match(bare.stderr, `did you mean event-${eventId}?`);
  const venue = await runInProcess(['replay', '--stream', venueId], env);
  t.match(venue.stderr, `did you mean venue-${venueId}?`);
  const unknown = randomUUID();
  const none = await runInProcess(['replay', unknown], env);
  t.match(none.stderr, `did you mean event-${unknown}?`);
  const positional = await runInProcess(['replay', stream], env);
  t.equal(positional.code, 0, 'the stream may be given without --stream');
  t.equal(positional.stdout.trim().split('\n').length, 3);
});
