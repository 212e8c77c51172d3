import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { LoadRoomConfig, QueueAnswer, RoomConfig, WaitingRoomQueue } from '../../../src/commands/waiting-room/index.js';
import type { RoomLookup } from '../../../src/commands/waiting-room/queue.js';
import { createAccessTokens, type AccessTokens } from '../../../src/commands/waiting-room/index.js';

/**
 * The one contract every waiting-room queue adapter passes. Time is injected:
 * an hour of admissions runs in a moment.
 */

export type QueueSource = { readonly tokens: AccessTokens; readonly loadConfig: LoadRoomConfig };

export type QueueHarness = {
  readonly queue: WaitingRoomQueue;
  /** Loses everything the store holds, as a Redis restart would (in-process: a process restart); answers the queue to use afterwards. */
  readonly lose: () => Promise<WaitingRoomQueue>;
};

export type MakeQueue = (t: Test, source: QueueSource) => Promise<QueueHarness>;

export const TOKEN_KEY = 'contract-test-key-0123456789abcdef';
export const OPENS_AT = Date.parse('2027-01-01T10:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A source of truth for configurations, as the event streams would be. */
export const configSource = () => {
  const configs = new Map<string, RoomLookup>();
  const loadConfig: LoadRoomConfig = async (eventId) => configs.get(eventId) ?? 'unknown-event';
  return { configs, loadConfig };
};

type Fixture = {
  readonly queue: WaitingRoomQueue;
  readonly tokens: AccessTokens;
  readonly configs: Map<string, RoomLookup>;
  readonly lose: () => Promise<WaitingRoomQueue>;
  /** A new event with this room, recorded in the source and configured on the queue. */
  readonly room: (config?: Partial<RoomConfig>, queue?: WaitingRoomQueue) => Promise<string>;
};

export const fixture = async (t: Test, make: MakeQueue): Promise<Fixture> => {
  const tokens = createAccessTokens(TOKEN_KEY);
  const { configs, loadConfig } = configSource();
  const { queue, lose } = await make(t, { tokens, loadConfig });
  const room = async (overrides: Partial<RoomConfig> = {}, q: WaitingRoomQueue = queue): Promise<string> => {
    const eventId = randomUUID();
    const config: RoomConfig = { enabled: true, opensAt: OPENS_AT, admitPerMinute: 60, accessSeconds: 600, ...overrides };
    configs.set(eventId, config);
    await q.configure(eventId, config);
    return eventId;
  };
  return { queue, tokens, configs, lose, room };
};

export const users = (n: number, tag = 'u'): string[] =>
  Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(5, '0')}-${randomUUID().slice(0, 8)}`);

export const place = (a: QueueAnswer) => {
  if (a.state !== 'waiting' && a.state !== 'admitted') throw new Error(`expected a place, got ${a.state}`);
  return a;
};

export const positionOf = (a: QueueAnswer): number => {
  if (a.state !== 'waiting') throw new Error(`expected waiting, got ${a.state}`);
  return a.position;
};

/** Joins in the order given, one after another, each a millisecond later than the one before. */
export const joinInOrder = async (q: WaitingRoomQueue, eventId: string, ids: readonly string[], from: number): Promise<void> => {
  for (const [i, id] of ids.entries()) await q.join(eventId, id, from + i);
};

/** Joins many at once (order among them does not matter for the caller). */
export const joinMany = async (q: WaitingRoomQueue, eventId: string, ids: readonly string[], at: number): Promise<void> => {
  for (let i = 0; i < ids.length; i += 500) await Promise.all(ids.slice(i, i + 500).map((id) => q.join(eventId, id, at)));
};

/** Spearman's rank correlation of two rankings of the same n items (both permutations of 1..n). */
export const spearman = (a: readonly number[], b: readonly number[]): number => {
  const n = a.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
};

// Under independence Spearman's rho over 200 items has sd 1/sqrt(199) ~ 0.071: 0.35 is ~5 sd, a false alarm once in millions of runs.
const UNRELATED = 0.35;

const waitFor = async (cond: () => boolean, ms = 5000): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
};

export const queueContract = (t: Test, make: MakeQueue): void => {
  t.test('a user who joins before opening waits, and joining again keeps the place', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room();
    const [a, b, c] = users(3);
    const first = place(await f.queue.join(eventId, a!, OPENS_AT - 10 * MINUTE));
    t.equal(first.state, 'waiting');
    t.equal(first.position, 1);
    t.equal(first.ahead, 0);
    t.ok(first.etaSeconds >= 600, 'the wait includes the time until opening');
    await f.queue.join(eventId, b!, OPENS_AT - 9 * MINUTE);
    await f.queue.join(eventId, c!, OPENS_AT - 8 * MINUTE);
    const before = positionOf(await f.queue.status(eventId, b!, OPENS_AT - 7 * MINUTE));
    for (let i = 0; i < 5; i++)
      t.equal(positionOf(await f.queue.join(eventId, b!, OPENS_AT - 6 * MINUTE + i)), before, 'rejoining answers the same place');
    const all = await f.queue.statuses(eventId, [a!, b!, c!], OPENS_AT - MINUTE);
    t.same(all.map(positionOf).sort(), [1, 2, 3], 'three places, one each');
    t.equal((await f.queue.status(eventId, 'stranger', OPENS_AT)).state, 'not-queued');
  });

  t.test('joiners before opening are placed in an order unrelated to their arrival', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room();
    const ids = users(200);
    await joinInOrder(f.queue, eventId, ids, OPENS_AT - 30 * MINUTE);
    const positions = (await f.queue.statuses(eventId, ids, OPENS_AT)).map(positionOf);
    t.same(
      [...positions].sort((x, y) => x - y),
      ids.map((_, i) => i + 1),
      'the places are a permutation of 1..200',
    );
    t.notSame(
      positions,
      ids.map((_, i) => i + 1),
      'not the arrival order',
    );
    const rho = spearman(
      ids.map((_, i) => i + 1),
      positions,
    );
    t.ok(Math.abs(rho) < UNRELATED, `place is unrelated to arrival (Spearman rho ${rho.toFixed(3)})`);
    const firstTen = positions.slice(0, 10).reduce((s, p) => s + p, 0) / 10;
    t.ok(firstTen > 20, `the ten earliest arrivals are not at the front (mean place ${firstTen})`);

    // Joining again, often, in another order, even after opening, changes nothing.
    await joinInOrder(f.queue, eventId, [...ids].reverse(), OPENS_AT - 5 * MINUTE);
    for (let i = 0; i < 20; i++) await f.queue.join(eventId, ids[199]!, OPENS_AT - MINUTE + i);
    await joinInOrder(f.queue, eventId, ids.slice(0, 50), OPENS_AT + SECOND);
    t.same((await f.queue.statuses(eventId, ids, OPENS_AT + 2 * SECOND)).map(positionOf), positions, 'repeated joins keep every place');
  });

  t.test('two rooms given the same arrivals order them independently', async (t) => {
    const f = await fixture(t, make);
    const one = await f.room();
    const two = await f.room();
    const ids = users(200);
    await joinInOrder(f.queue, one, ids, OPENS_AT - 30 * MINUTE);
    await joinInOrder(f.queue, two, ids, OPENS_AT - 30 * MINUTE);
    const p1 = (await f.queue.statuses(one, ids, OPENS_AT)).map(positionOf);
    const p2 = (await f.queue.statuses(two, ids, OPENS_AT)).map(positionOf);
    const rho = spearman(p1, p2);
    t.ok(Math.abs(rho) < UNRELATED, `one room's order says nothing about the other's (Spearman rho ${rho.toFixed(3)})`);
  });

  t.test('joiners after opening are served first come first served, behind everyone who came early', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room();
    const early = users(30, 'early');
    const late = users(60, 'late');
    await joinMany(f.queue, eventId, early, OPENS_AT - MINUTE);
    await joinInOrder(f.queue, eventId, late, OPENS_AT + SECOND);
    await joinInOrder(f.queue, eventId, [...late].reverse(), OPENS_AT + 10 * SECOND);
    const positions = (await f.queue.statuses(eventId, late, OPENS_AT + 20 * SECOND)).map(positionOf);
    t.same(
      positions,
      late.map((_, i) => 31 + i),
      'late joiners in arrival order, after the 30 early ones',
    );
    const earlyPositions = (await f.queue.statuses(eventId, early, OPENS_AT + 20 * SECOND)).map(positionOf);
    t.ok(Math.max(...earlyPositions) === 30, 'every early joiner is ahead');
  });

  t.test('admission runs at the configured rate over an hour, smoothly', async (t) => {
    const f = await fixture(t, make);
    const admitPerMinute = 120;
    const eventId = await f.room({ admitPerMinute, accessSeconds: 3 * 3600 });
    await joinMany(f.queue, eventId, users(7400), OPENS_AT - MINUTE);
    const admittedAt: number[] = [];
    const end = OPENS_AT + 60 * MINUTE;
    // Ticks arrive irregularly, as from a loaded process or several processes.
    for (let now = OPENS_AT; now <= end; now = now + 100 + Math.floor(Math.random() * 1400)) {
      for (const _ of await f.queue.tick(eventId, now)) admittedAt.push(now);
    }
    for (const _ of await f.queue.tick(eventId, end)) admittedAt.push(end);
    const expected = admitPerMinute * 60;
    const total = admittedAt.length;
    t.ok(Math.abs(total - expected) <= expected * 0.05, `${total} admitted in the hour, configured ${expected} (±5%)`);
    t.ok(Math.abs(total - expected) <= 6, `in fact within the bucket's slack: ${total} vs ${expected}`);
    const perMinute = Array.from(
      { length: 60 },
      (_, m) => admittedAt.filter((x) => x > OPENS_AT + m * MINUTE && x <= OPENS_AT + (m + 1) * MINUTE).length,
    );
    t.ok(
      perMinute.every((n) => Math.abs(n - admitPerMinute) <= 8),
      `every minute close to the rate: ${Math.min(...perMinute)}..${Math.max(...perMinute)}`,
    );
    let worst = 0;
    for (const [i, start] of admittedAt.entries()) {
      let j = i;
      while (j < admittedAt.length && (admittedAt[j] ?? Infinity) < start + 5 * SECOND) j++;
      worst = Math.max(worst, j - i);
    }
    t.ok(worst <= 15, `no bursts: at most ${worst} admitted in any 5 s (rate gives 10)`);
    const status = await f.queue.status(eventId, 'nobody', end);
    t.equal(status.state, 'not-queued');
  });

  t.test('admission takes the front of the queue and everyone behind moves up as many places', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 600, accessSeconds: 3600 });
    const early = users(100, 'early');
    const late = users(100, 'late');
    await joinMany(f.queue, eventId, early, OPENS_AT - MINUTE);
    let now = OPENS_AT;
    let waiting = [...early];
    for (let round = 0; round < 12; round++) {
      now += 1500;
      if (round === 3) await joinInOrder(f.queue, eventId, late, now - 1000);
      if (round === 3) waiting = waiting.concat(late);
      const positions = (await f.queue.statuses(eventId, waiting, now)).map(positionOf);
      const before = new Map(waiting.map((id, i) => [id, positions[i] ?? 0]));
      const admitted = await f.queue.tick(eventId, now);
      const k = admitted.length;
      t.same(
        admitted.map((id) => before.get(id)),
        admitted.map((_, i) => i + 1),
        `round ${round}: the ${k} admitted were the first ${k}, in order`,
      );
      waiting = waiting.filter((id) => !admitted.includes(id));
      const after = (await f.queue.statuses(eventId, waiting, now)).map(positionOf);
      t.ok(
        after.every((p, i) => p === (before.get(waiting[i]!) ?? 0) - k),
        `round ${round}: everyone else moved up ${k}`,
      );
    }
  });

  t.test('ticks at the same instant admit once', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 600 });
    await joinMany(f.queue, eventId, users(100), OPENS_AT - MINUTE);
    const first = await f.queue.tick(eventId, OPENS_AT + SECOND);
    t.equal(first.length, 10, 'a second of a 600/min room');
    t.same(await f.queue.tick(eventId, OPENS_AT + SECOND), [], 'the same instant again admits nobody');
    t.same(await f.queue.tick(eventId, OPENS_AT + SECOND - 500), [], 'an earlier clock admits nobody');
    t.equal((await f.queue.tick(eventId, OPENS_AT + 1500)).length, 5, 'half a second later, half a second of admissions');
    t.same(await f.queue.tick(eventId, OPENS_AT - SECOND), [], 'nothing before opening');
  });

  t.test('an admitted user gets an access token bound to them and the event for accessSeconds', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 60, accessSeconds: 120 });
    const [a, b] = users(2);
    await f.queue.join(eventId, a!, OPENS_AT - MINUTE);
    const admittedNow = OPENS_AT + 1500;
    t.same(await f.queue.tick(eventId, admittedNow), [a], 'the only waiter is admitted after a second');
    await f.queue.join(eventId, b!, OPENS_AT + 1600);
    const s = place(await f.queue.status(eventId, a!, OPENS_AT + 2000));
    t.equal(s.state, 'admitted');
    if (s.state !== 'admitted') return;
    t.match(s, { position: 0, ahead: 0, etaSeconds: 0 });
    const expiresAt = admittedNow + 120 * SECOND;
    t.equal(s.accessExpiresAt, new Date(expiresAt).toISOString());
    t.same(f.tokens.verify(s.accessToken, { eventId, userId: a!, now: OPENS_AT + 2000 }), { ok: true, expiresAt });
    t.same(f.tokens.verify(s.accessToken, { eventId, userId: b!, now: OPENS_AT + 2000 }), { ok: false, reason: 'wrong-user' });
    t.same(f.tokens.verify(s.accessToken, { eventId: randomUUID(), userId: a!, now: OPENS_AT + 2000 }), {
      ok: false,
      reason: 'wrong-event',
    });
    t.same(f.tokens.verify(s.accessToken, { eventId, userId: a!, now: expiresAt }), { ok: false, reason: 'expired' });
    const again = place(await f.queue.join(eventId, a!, OPENS_AT + 3000));
    t.equal(again.state, 'admitted', 'joining again while admitted keeps the admission');
    t.equal(again.state === 'admitted' && again.accessToken, s.accessToken, 'and answers the same token');
    t.equal(positionOf(await f.queue.status(eventId, b!, OPENS_AT + 3000)), 1, 'the next user moved up');
  });

  t.test('an admitted user who does not use the place within accessSeconds loses it and rejoins at the back', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 60, accessSeconds: 30 });
    const [a] = users(1);
    await f.queue.join(eventId, a!, OPENS_AT - MINUTE);
    t.same(await f.queue.tick(eventId, OPENS_AT + SECOND), [a]);
    const others = users(20, 'later');
    await joinInOrder(f.queue, eventId, others, OPENS_AT + 2 * SECOND);
    t.equal(place(await f.queue.status(eventId, a!, OPENS_AT + 30 * SECOND)).state, 'admitted', 'still admitted just before the end');
    t.equal((await f.queue.status(eventId, a!, OPENS_AT + 31 * SECOND)).state, 'not-queued', 'the place lapsed with its token');
    await f.queue.tick(eventId, OPENS_AT + 31 * SECOND);
    t.equal((await f.queue.status(eventId, a!, OPENS_AT + 32 * SECOND)).state, 'not-queued', 'a tick does not bring it back');
    const waiting = (await f.queue.statuses(eventId, others, OPENS_AT + 32 * SECOND)).filter((s) => s.state === 'waiting').length;
    const back = positionOf(await f.queue.join(eventId, a!, OPENS_AT + 33 * SECOND));
    t.equal(back, waiting + 1, 'rejoining puts the user at the back');
  });

  t.test('position, ahead and the wait follow the observed admission rate', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 60, accessSeconds: 3600 });
    const ids = users(400);
    await joinMany(f.queue, eventId, ids, OPENS_AT - MINUTE);
    let now = OPENS_AT;
    for (; now <= OPENS_AT + 2 * MINUTE; now += 250) await f.queue.tick(eventId, now);
    const steady = (await f.queue.statuses(eventId, ids, now)).filter((s) => s.state === 'waiting');
    t.ok(steady.length > 250 && steady.length < 300, `about 120 admitted in two minutes (${400 - steady.length})`);
    for (const s of steady.filter((x) => x.state === 'waiting' && x.position % 50 === 0)) {
      if (s.state !== 'waiting') continue;
      t.equal(s.ahead, s.position - 1);
      t.ok(
        Math.abs(s.etaSeconds - s.position) <= s.position * 0.1 + 1,
        `at 1/s, place ${s.position} waits ~${s.position} s (${s.etaSeconds})`,
      );
    }
    // The ticker stalls: one tick every 10 s lets through 2 per 10 s, and the estimate follows.
    for (const stop = now + 5 * MINUTE; now <= stop; now += 10 * SECOND) await f.queue.tick(eventId, now);
    const slow = (await f.queue.statuses(eventId, ids, now)).filter((s) => s.state === 'waiting');
    const mid = slow.find((s) => s.state === 'waiting' && s.position === 100);
    t.ok(mid && mid.etaSeconds > 300, `at the observed ~0.2/s, place 100 waits ~500 s, not 100 (${mid?.etaSeconds})`);
  });

  t.test('a room that is off has no queue and admits nobody; turning it on again keeps the places', async (t) => {
    const f = await fixture(t, make);
    const off = await f.room({ enabled: false });
    t.same(await f.queue.join(off, 'x', OPENS_AT), { state: 'room-off' });
    t.same(await f.queue.status(off, 'x', OPENS_AT), { state: 'room-off' });
    t.same(await f.queue.config(off), { enabled: false, opensAt: OPENS_AT, admitPerMinute: 60, accessSeconds: 600 });

    const on = await f.room();
    const ids = users(5);
    await joinInOrder(f.queue, on, ids, OPENS_AT - MINUTE);
    const before = (await f.queue.statuses(on, ids, OPENS_AT - 1)).map(positionOf);
    await f.queue.configure(on, { enabled: false, opensAt: OPENS_AT, admitPerMinute: 60, accessSeconds: 600 });
    t.same(await f.queue.status(on, ids[0]!, OPENS_AT), { state: 'room-off' });
    t.same(await f.queue.tick(on, OPENS_AT + 10 * SECOND), [], 'nobody admitted while off');
    await f.queue.configure(on, { enabled: true, opensAt: OPENS_AT, admitPerMinute: 60, accessSeconds: 600 });
    t.same((await f.queue.statuses(on, ids, OPENS_AT - 1)).map(positionOf), before, 'places kept');
  });

  t.test('an event that does not exist has no queue', async (t) => {
    const f = await fixture(t, make);
    const eventId = randomUUID();
    t.same(await f.queue.join(eventId, 'x', OPENS_AT), { state: 'unknown-event' });
    t.same(await f.queue.status(eventId, 'x', OPENS_AT), { state: 'unknown-event' });
    t.same(await f.queue.statuses(eventId, ['x', 'y'], OPENS_AT), [{ state: 'unknown-event' }, { state: 'unknown-event' }]);
    t.equal(await f.queue.config(eventId), 'unknown-event');
    t.same(await f.queue.tick(eventId, OPENS_AT), []);
  });

  t.test('a queue first used after start-up takes its configuration from the source of truth', async (t) => {
    const f = await fixture(t, make);
    const eventId = randomUUID();
    f.configs.set(eventId, { enabled: true, opensAt: OPENS_AT, admitPerMinute: 30, accessSeconds: 60 });
    t.same(await f.queue.config(eventId), { enabled: true, opensAt: OPENS_AT, admitPerMinute: 30, accessSeconds: 60 });
    t.equal(positionOf(await f.queue.join(eventId, 'x', OPENS_AT + 1)), 1);
    t.equal(await f.queue.tickAll(OPENS_AT + 2 * SECOND), 1, 'the loop ticks it');
  });

  t.test('admissions are announced to listeners', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 600 });
    const ids = users(3);
    await joinMany(f.queue, eventId, ids, OPENS_AT - MINUTE);
    const heard: string[] = [];
    const unlisten = f.queue.onAdmitted((e, userIds) => {
      if (e === eventId) heard.push(...userIds);
    });
    t.teardown(unlisten);
    await new Promise((r) => setTimeout(r, 100)); // a subscription may take a moment to be in place
    const admitted = await f.queue.tick(eventId, OPENS_AT + SECOND);
    t.equal(admitted.length, 3);
    t.ok(await waitFor(() => heard.length === 3), `listeners heard ${heard.length} of 3`);
    t.same([...heard].sort(), [...admitted].sort());
  });

  t.test('tickAll ticks every enabled room', async (t) => {
    const f = await fixture(t, make);
    const a = await f.room({ admitPerMinute: 60 });
    const b = await f.room({ admitPerMinute: 60 });
    const off = await f.room({ enabled: false });
    await f.queue.join(a, 'x', OPENS_AT - 1);
    await f.queue.join(b, 'y', OPENS_AT - 1);
    t.ok((await f.queue.tickAll(OPENS_AT + 2 * SECOND)) >= 2);
    t.equal(place(await f.queue.status(a, 'x', OPENS_AT + 2 * SECOND)).state, 'admitted');
    t.equal(place(await f.queue.status(b, 'y', OPENS_AT + 2 * SECOND)).state, 'admitted');
    t.same(await f.queue.status(off, 'x', OPENS_AT), { state: 'room-off' });
  });

  t.test('when the store loses the queue, waiting users rejoin and admitted users keep access', async (t) => {
    const f = await fixture(t, make);
    const eventId = await f.room({ admitPerMinute: 60, accessSeconds: 600 });
    const ids = users(20);
    await joinMany(f.queue, eventId, ids, OPENS_AT - MINUTE);
    const admitted = await f.queue.tick(eventId, OPENS_AT + 2 * SECOND);
    t.equal(admitted.length, 2);
    const holder = admitted[0]!;
    const held = place(await f.queue.status(eventId, holder, OPENS_AT + 3 * SECOND));
    if (held.state !== 'admitted') throw new Error('expected an admission');

    const queue = await f.lose();

    t.same(await queue.config(eventId), f.configs.get(eventId), 'the configuration comes back from the source of truth');
    const waiter = ids.find((id) => !admitted.includes(id))!;
    t.equal((await queue.status(eventId, waiter, OPENS_AT + 4 * SECOND)).state, 'not-queued', 'a waiting user has lost the place');
    t.same(
      f.tokens.verify(held.accessToken, { eventId, userId: holder, now: OPENS_AT + 4 * SECOND }),
      { ok: true, expiresAt: Date.parse(held.accessExpiresAt) },
      'an issued access token still verifies: it needs no lookup',
    );
    const rejoined = ids.filter((id) => !admitted.includes(id));
    await joinInOrder(queue, eventId, rejoined, OPENS_AT + 5 * SECOND);
    t.same(
      (await queue.statuses(eventId, rejoined, OPENS_AT + 6 * SECOND)).map(positionOf),
      rejoined.map((_, i) => i + 1),
      'rejoiners queue in the order they come back',
    );
    let count = 0;
    for (let now = OPENS_AT + 6 * SECOND; now <= OPENS_AT + 16 * SECOND; now += 250) count += (await queue.tick(eventId, now)).length;
    t.ok(count >= 10 && count <= 13, `admission carries on at the rate (${count} in 10 s at 1/s, plus at most the bucket)`);
  });
};
