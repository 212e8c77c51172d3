import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type {
  AllSubscription,
  EventShape,
  EventStore,
  LogPosition,
  NewEvent,
  RecordedEvent,
} from '../../../src/commands/event-store/index.js';
import type { ExpectedVersion, ReadAllOptions } from '../../../src/commands/event-store/port.js';
import { WrongExpectedVersionError, comparePositions } from '../../../src/commands/event-store/index.js';

/** Stream names unique to one run, so the suite also works on a shared server (EventStoreDB). */
const uniquePrefix = (): string => `c${randomUUID().slice(0, 8)}`;

const ev = (type: string, n: number): NewEvent<EventShape> => ({ type, data: { n }, metadata: { correlationId: `corr-${n}` } });
const evs = (type: string, from: number, count: number): NewEvent<EventShape>[] =>
  Array.from({ length: count }, (_, i) => ev(type, from + i));

const TAKE_TIMEOUT_MS = 30_000;

/** The next `n` events of a subscription; fails rather than hangs when they do not come. */
const take = async (iterator: AsyncIterator<RecordedEvent<EventShape>>, n: number): Promise<RecordedEvent<EventShape>[]> => {
  const out: RecordedEvent<EventShape>[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`subscription delivered ${out.length} of ${n} events in ${TAKE_TIMEOUT_MS} ms`)),
      TAKE_TIMEOUT_MS,
    );
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([iterator.next(), timeout]);
      if (r.done) throw new Error(`subscription ended after ${out.length} of ${n} events`);
      out.push(r.value);
    }
    return out;
  } finally {
    clearTimeout(timer);
  }
};

/** Resolves to the next event, or undefined if none arrives within `ms` (the pending next() stays with the iterator). */
const nextWithin = (iterator: AsyncIterator<RecordedEvent<EventShape>>, ms: number): Promise<RecordedEvent<EventShape> | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    iterator.next().then((r) => (r.done ? undefined : r.value)),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

/**
 * readAll once it reaches `last`: a gap-free log (PostgreSQL) shows a commit
 * only when no older transaction is still in flight anywhere on the server.
 */
const readAllThrough = async (
  store: EventStore<EventShape>,
  options: ReadAllOptions,
  last: LogPosition,
): Promise<RecordedEvent<EventShape>[]> => {
  const deadline = Date.now() + TAKE_TIMEOUT_MS;
  for (;;) {
    const events = await store.readAll(options);
    if (events.some((e) => comparePositions(e.position, last) >= 0)) return events;
    if (Date.now() > deadline) throw new Error(`readAll did not reach ${last.commit}/${last.prepare} in ${TAKE_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const expectWrongVersion = async (t: Test, attempt: Promise<unknown>, stream: string, actual: number, message: string): Promise<void> => {
  try {
    await attempt;
    t.fail(`${message}: the append was accepted`);
  } catch (e) {
    t.type(e, WrongExpectedVersionError, message);
    const err = e as WrongExpectedVersionError;
    t.equal(err.stream, stream, `${message}: names the stream`);
    if (err.actual !== undefined) t.equal(err.actual, actual, `${message}: reports the actual version`);
  }
};

const assertIncreasing = (t: Test, positions: readonly LogPosition[], message: string): void => {
  const ok = positions.every((p, i) => i === 0 || comparePositions(positions[i - 1] as LogPosition, p) < 0);
  t.ok(ok, message);
};

/**
 * The behaviour every EventStore adapter must show. `open` gives a store on
 * which this suite may create streams; each test closes what it opens.
 */
export const eventStoreContract = (
  t: Test,
  open: () => Promise<EventStore<EventShape>>,
  /** EventStoreDB has no transaction across streams: a failing appendMany may have written the streams before. */
  { atomicAppendMany = true }: { readonly atomicAppendMany?: boolean } = {},
): void => {
  const storeFor = async (t: Test): Promise<EventStore<EventShape>> => {
    const store = await open();
    t.teardown(() => store.close());
    return store;
  };

  t.test('appendMany writes many streams, in the order given, each from its expected version', async (t) => {
    const store = await storeFor(t);
    const p = uniquePrefix();
    await store.append(`${p}-old`, evs('Opened', 0, 2), { expectedVersion: 'no_stream' });
    const result = await store.appendMany([
      { stream: `${p}-b`, events: evs('Opened', 10, 2), expectedVersion: 'no_stream' },
      { stream: `${p}-old`, events: evs('Added', 20, 1), expectedVersion: 1 },
      { stream: `${p}-a`, events: evs('Opened', 30, 1), expectedVersion: 'no_stream' },
    ]);
    t.same(result.skipped, []);
    t.same(
      (await store.readStream(`${p}-old`)).map((e) => [e.version, (e.data as { n: number }).n]),
      [
        [0, 0],
        [1, 1],
        [2, 20],
      ],
      'an existing stream continues from its version',
    );
    t.same(
      (await store.readStream(`${p}-b`)).map((e) => e.version),
      [0, 1],
    );
    if (!result.position) throw new Error('appendMany reported no position');
    const all = await readAllThrough(store, { maxCount: 1000, streamPrefixes: [`${p}-`] }, result.position);
    t.same(
      all.map((e) => (e.data as { n: number }).n),
      [0, 1, 10, 11, 20, 30],
      'the log holds the appends in the order given, not in stream-name order',
    );
    t.equal(comparePositions(all[all.length - 1]?.position as LogPosition, result.position), 0, 'the position is the last event written');
  });

  t.test('appendMany with a wrong expected version writes nothing, or with onWrongVersion skip writes the rest', async (t) => {
    const store = await storeFor(t);
    const p = uniquePrefix();
    await store.append(`${p}-taken`, evs('Opened', 0, 1), { expectedVersion: 'no_stream' });
    const appends = [
      { stream: `${p}-new`, events: evs('Opened', 1, 1), expectedVersion: 'no_stream' as const },
      { stream: `${p}-taken`, events: evs('Opened', 2, 1), expectedVersion: 'no_stream' as const },
    ] as const;
    await expectWrongVersion(t, store.appendMany(appends), `${p}-taken`, 0, 'a stream that exists fails the call');
    if (atomicAppendMany) t.same(await store.readStream(`${p}-new`), [], 'and nothing of the call was written');
    const fresh = atomicAppendMany ? `${p}-new` : `${p}-new2`;
    const skipping = await store.appendMany([{ ...appends[0], stream: fresh }, appends[1]], { onWrongVersion: 'skip' });
    t.same(skipping.skipped, [`${p}-taken`]);
    t.same(
      (await store.readStream(fresh)).map((e) => e.type),
      ['Opened'],
    );
    t.same(
      (await store.readStream(`${p}-taken`)).map((e) => (e.data as { n: number }).n),
      [0],
      'the skipped stream is left as it was',
    );
    t.same((await store.appendMany([])).skipped, []);
    await t.rejects(
      store.appendMany([
        { stream: `${p}-x`, events: evs('Opened', 0, 1), expectedVersion: 'any' },
        { stream: `${p}-x`, events: evs('Opened', 1, 1), expectedVersion: 'any' },
      ]),
      RangeError,
      'a stream twice in one call is refused',
    );
  });

  t.test('a new stream starts at version 0 and reads back in order with data, metadata and ids', async (t) => {
    const store = await storeFor(t);
    const stream = `${uniquePrefix()}-order`;
    const id = randomUUID();
    const first = await store.append(
      stream,
      [{ id, type: 'Opened', data: { a: 1 }, metadata: { userId: 'u1', at: '2026-01-01T00:00:00.000Z' } }],
      {
        expectedVersion: 'no_stream',
      },
    );
    t.equal(first.nextExpectedVersion, 0);
    const second = await store.append(stream, evs('Added', 1, 3), { expectedVersion: 0 });
    t.equal(second.nextExpectedVersion, 3);
    t.ok(comparePositions(first.position, second.position) < 0, 'a later append has a later position');

    const read = await store.readStream(stream);
    t.same(
      read.map((e) => [e.version, e.type]),
      [
        [0, 'Opened'],
        [1, 'Added'],
        [2, 'Added'],
        [3, 'Added'],
      ],
    );
    t.equal(read[0]?.id, id, 'a given id is kept');
    t.same(read[0]?.data, { a: 1 });
    t.same(read[0]?.metadata, { userId: 'u1', at: '2026-01-01T00:00:00.000Z' });
    t.same(read[2]?.data, { n: 2 });
    t.equal(read[2]?.metadata.correlationId, 'corr-2');
    t.ok(
      read.every((e) => e.stream === stream && e.recordedAt instanceof Date),
      'stream name and time are recorded',
    );
    t.equal(new Set(read.map((e) => e.id)).size, 4, 'missing ids are generated, distinct');
    t.same(read[3]?.position, second.position, 'the append result is the position of its last event');
    assertIncreasing(
      t,
      read.map((e) => e.position),
      'positions increase with versions',
    );
  });

  t.test('readStream starts at fromVersion and a missing stream reads as empty', async (t) => {
    const store = await storeFor(t);
    const stream = `${uniquePrefix()}-from`;
    await store.append(stream, evs('E', 0, 5), { expectedVersion: 'no_stream' });
    t.same(
      (await store.readStream(stream, { fromVersion: 3 })).map((e) => e.version),
      [3, 4],
    );
    t.same(await store.readStream(stream, { fromVersion: 5 }), []);
    t.same(await store.readStream(`${uniquePrefix()}-missing`), []);
  });

  t.test('a numeric expected version accepts the current version and rejects any other', async (t) => {
    const store = await storeFor(t);
    const stream = `${uniquePrefix()}-num`;
    await store.append(stream, evs('E', 0, 2), { expectedVersion: 'no_stream' });
    await expectWrongVersion(t, store.append(stream, [ev('E', 9)], { expectedVersion: 0 }), stream, 1, 'a stale version');
    await expectWrongVersion(t, store.append(stream, [ev('E', 9)], { expectedVersion: 5 }), stream, 1, 'a future version');
    const ok = await store.append(stream, [ev('E', 2)], { expectedVersion: 1 });
    t.equal(ok.nextExpectedVersion, 2);
    const missing = `${uniquePrefix()}-none`;
    await expectWrongVersion(t, store.append(missing, [ev('E', 0)], { expectedVersion: 0 }), missing, -1, 'a version on a missing stream');
    t.equal((await store.readStream(stream)).length, 3, 'rejected appends wrote nothing');
  });

  t.test('no_stream accepts only a stream without events', async (t) => {
    const store = await storeFor(t);
    const stream = `${uniquePrefix()}-nostream`;
    const r = await store.append(stream, [ev('E', 0)], { expectedVersion: 'no_stream' });
    t.equal(r.nextExpectedVersion, 0);
    await expectWrongVersion(
      t,
      store.append(stream, [ev('E', 1)], { expectedVersion: 'no_stream' }),
      stream,
      0,
      'no_stream on an existing stream',
    );
    t.equal((await store.readStream(stream)).length, 1);
  });

  t.test('exists accepts only a stream with events', async (t) => {
    const store = await storeFor(t);
    const stream = `${uniquePrefix()}-exists`;
    await expectWrongVersion(
      t,
      store.append(stream, [ev('E', 0)], { expectedVersion: 'exists' }),
      stream,
      -1,
      'exists on a missing stream',
    );
    t.same(await store.readStream(stream), [], 'the rejected append wrote nothing');
    await store.append(stream, [ev('E', 0)], { expectedVersion: 'no_stream' });
    const r = await store.append(stream, [ev('E', 1)], { expectedVersion: 'exists' });
    t.equal(r.nextExpectedVersion, 1);
  });

  t.test('any accepts a missing stream and an existing one', async (t) => {
    const store = await storeFor(t);
    const stream = `${uniquePrefix()}-any`;
    t.equal((await store.append(stream, [ev('E', 0)], { expectedVersion: 'any' })).nextExpectedVersion, 0);
    t.equal((await store.append(stream, evs('E', 1, 2), { expectedVersion: 'any' })).nextExpectedVersion, 2);
    t.same(
      (await store.readStream(stream)).map((e) => e.version),
      [0, 1, 2],
    );
  });

  t.test('of 20 concurrent appenders with the same expected version exactly one wins', async (t) => {
    const store = await storeFor(t);
    for (const expected of [0, 'no_stream'] as const satisfies readonly ExpectedVersion[]) {
      const stream = `${uniquePrefix()}-race`;
      if (expected === 0) await store.append(stream, [ev('Start', 0)], { expectedVersion: 'no_stream' });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.append(stream, evs(`By${i}`, 0, 2), { expectedVersion: expected })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      t.equal(won.length, 1, `exactly one append with expected ${String(expected)} wins`);
      t.ok(
        lost.every((r) => r.reason instanceof WrongExpectedVersionError),
        'every other gets WrongExpectedVersionError',
      );
      const read = await store.readStream(stream);
      const base = expected === 0 ? 1 : 0;
      t.equal(read.length, base + 2, 'only the winner wrote');
      t.equal(new Set(read.slice(base).map((e) => e.type)).size, 1, "the winner's events are together");
    }
  });

  t.test('appends to different streams at once all succeed', async (t) => {
    const store = await storeFor(t);
    const prefix = uniquePrefix();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.append(`${prefix}-s${i}`, evs('E', 0, 3), { expectedVersion: 'no_stream' })),
    );
    t.ok(results.every((r) => r.nextExpectedVersion === 2));
  });

  t.test('readAll returns events in append order, after is exclusive, and filters by stream prefix', async (t) => {
    const store = await storeFor(t);
    const prefix = uniquePrefix();
    const a = `${prefix}-a`;
    const b = `${prefix}-b`;
    await store.append(a, evs('A', 0, 2), { expectedVersion: 'no_stream' });
    await store.append(b, evs('B', 0, 1), { expectedVersion: 'no_stream' });
    await store.append(a, evs('A', 2, 1), { expectedVersion: 1 });
    const last = await store.append(b, evs('B', 1, 2), { expectedVersion: 0 });

    const all = await readAllThrough(store, { maxCount: 100, streamPrefixes: [`${prefix}-`] }, last.position);
    t.same(
      all.map((e) => `${e.stream.slice(prefix.length + 1)}${e.version}`),
      ['a0', 'a1', 'b0', 'a2', 'b1', 'b2'],
      'global order is append order',
    );
    assertIncreasing(
      t,
      all.map((e) => e.position),
      'positions strictly increase',
    );
    t.same(all.at(-1)?.position, last.position);

    const third = all[2] as RecordedEvent<EventShape>;
    const rest = await store.readAll({ after: third.position, maxCount: 100, streamPrefixes: [`${prefix}-`] });
    t.same(
      rest.map((e) => e.id),
      all.slice(3).map((e) => e.id),
      'after excludes the given position',
    );

    const pages: RecordedEvent<EventShape>[] = [];
    let after: LogPosition | undefined;
    for (;;) {
      const page = await store.readAll({ ...(after ? { after } : {}), maxCount: 2, streamPrefixes: [`${prefix}-`] });
      if (page.length === 0) break;
      t.ok(page.length <= 2, 'a page holds at most maxCount events');
      pages.push(...page);
      after = page.at(-1)?.position;
    }
    t.same(
      pages.map((e) => e.id),
      all.map((e) => e.id),
      'paging yields the same sequence',
    );

    const onlyA = await store.readAll({ maxCount: 100, streamPrefixes: [a] });
    t.same(
      onlyA.map((e) => e.version),
      [0, 1, 2],
    );
    t.ok(onlyA.every((e) => e.stream === a));
    const both = await store.readAll({ maxCount: 100, streamPrefixes: [a, b] });
    t.equal(both.length, 6, 'several prefixes combine');
    t.same(await store.readAll({ maxCount: 10, streamPrefixes: [`${prefix}-zzz`] }), []);
  });

  t.test('headPosition is at or past the last append', async (t) => {
    const store = await storeFor(t);
    const r = await store.append(`${uniquePrefix()}-head`, evs('E', 0, 2), { expectedVersion: 'no_stream' });
    const deadline = Date.now() + TAKE_TIMEOUT_MS;
    let head = await store.headPosition();
    while ((!head || comparePositions(head, r.position) < 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      head = await store.headPosition();
    }
    t.ok(head && comparePositions(head, r.position) >= 0, 'the head reaches the append (once no older transaction is in flight)');
    await store.ping();
  });

  t.test('a subscription delivers every event once in order, live, and again from its last position after a reconnect', async (t) => {
    const store = await storeFor(t);
    const prefix = uniquePrefix();
    const s1 = `${prefix}-x`;
    const s2 = `${prefix}-y`;
    await store.append(s1, evs('E', 0, 3), { expectedVersion: 'no_stream' });
    await store.append(`${uniquePrefix()}-other`, evs('Other', 0, 2), { expectedVersion: 'no_stream' });
    await store.append(s2, evs('E', 0, 2), { expectedVersion: 'no_stream' });

    let sub: AllSubscription<EventShape> = store.subscribeToAll({ streamPrefixes: [`${prefix}-`] });
    let it = sub[Symbol.asyncIterator]();
    const seen: RecordedEvent<EventShape>[] = await take(it, 5);
    t.same(
      seen.map((e) => `${e.stream}/${e.version}`),
      [`${s1}/0`, `${s1}/1`, `${s1}/2`, `${s2}/0`, `${s2}/1`],
      'catch-up',
    );

    // Live: appended while the subscription waits.
    const live = take(it, 4);
    await store.append(s1, evs('E', 3, 2), { expectedVersion: 2 });
    await store.append(s2, evs('E', 2, 2), { expectedVersion: 1 });
    seen.push(...(await live));
    t.same(
      seen.slice(5).map((e) => `${e.stream}/${e.version}`),
      [`${s1}/3`, `${s1}/4`, `${s2}/2`, `${s2}/3`],
      'live',
    );

    // Reconnect: close, append meanwhile, resume after the last delivered event.
    await sub.close();
    t.equal((await it.next()).done, true, 'a closed subscription ends');
    await store.append(s1, evs('E', 5, 3), { expectedVersion: 4 });
    const resumeAfter = seen.at(-1)?.position;
    sub = store.subscribeToAll({ ...(resumeAfter ? { after: resumeAfter } : {}), streamPrefixes: [`${prefix}-`] });
    it = sub[Symbol.asyncIterator]();
    const resumed = take(it, 4);
    await store.append(s2, evs('E', 4, 1), { expectedVersion: 3 });
    seen.push(...(await resumed));
    t.same(
      seen.slice(9).map((e) => `${e.stream}/${e.version}`),
      [`${s1}/5`, `${s1}/6`, `${s1}/7`, `${s2}/4`],
      'after the reconnect',
    );

    t.equal(new Set(seen.map((e) => e.id)).size, seen.length, 'no event twice');
    assertIncreasing(
      t,
      seen.map((e) => e.position),
      'in global order',
    );
    const fromReadAll = await readAllThrough(
      store,
      { maxCount: 100, streamPrefixes: [`${prefix}-`] },
      (seen.at(-1) as RecordedEvent<EventShape>).position,
    );
    t.same(
      seen.map((e) => e.id),
      fromReadAll.map((e) => e.id),
      'the same sequence readAll gives',
    );
    t.equal(await nextWithin(it, 1_000), undefined, 'nothing more is delivered');
    await sub.close();
  });

  t.test('several subscriptions each see every event, and closing the store ends them', async (t) => {
    const store = await open();
    const prefix = uniquePrefix();
    const subs = [0, 1, 2].map(() => store.subscribeToAll({ streamPrefixes: [`${prefix}-`] }));
    const its = subs.map((s) => s[Symbol.asyncIterator]());
    const got = Promise.all(its.map((it) => take(it, 6)));
    for (let i = 0; i < 3; i++)
      await store.append(`${prefix}-s`, evs('E', i * 2, 2), { expectedVersion: i === 0 ? 'no_stream' : i * 2 - 1 });
    for (const events of await got)
      t.same(
        events.map((e) => e.version),
        [0, 1, 2, 3, 4, 5],
      );
    await store.close();
    for (const it of its) t.equal((await it.next()).done, true, 'ended by close');
  });
};
