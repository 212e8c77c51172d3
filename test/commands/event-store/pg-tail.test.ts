import t from 'tap';
import type { EventShape, LogPosition, RecordedEvent } from '../../../src/commands/event-store/index.js';
import { createTail } from '../../../src/commands/event-store/pg-tail.js';
import type { Page } from '../../../src/commands/event-store/pg-subscription.js';

/** A log in memory read the way the PostgreSQL store reads it: pages after a position, and how far the scan got. */
const fakeLog = () => {
  const log: RecordedEvent<EventShape>[] = [];
  let reads = 0;
  let gate: Promise<void> | undefined;
  const append = (stream: string): RecordedEvent<EventShape> => {
    const n = BigInt(log.length + 1);
    const e: RecordedEvent<EventShape> = {
      type: 'T',
      data: null,
      id: `id-${n}`,
      stream,
      version: 0,
      position: { commit: n, prepare: n },
      metadata: {},
      recordedAt: new Date(0),
    };
    log.push(e);
    return e;
  };
  const readPage = async (after: LogPosition | undefined, maxCount: number): Promise<Page<EventShape>> => {
    reads += 1;
    // What the read sees is fixed when it starts, as a snapshot would be.
    const from = after === undefined ? 0 : Number(after.commit);
    const events = log.slice(from, from + maxCount);
    const head = log.at(-1)?.position;
    if (gate) await gate;
    return { events, scannedTo: head };
  };
  return {
    append,
    readPage,
    reads: () => reads,
    hold: () => {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
};

const everything = (): boolean => true;

t.test('a tail nobody has offered a start to answers nothing (subscriptions read the log themselves)', async (t) => {
  const log = fakeLog();
  const tail = createTail({ readPage: log.readPage, capacity: 100, pageSize: 10 });
  log.append('event-1');
  t.equal(await tail.page(undefined, 10, everything), undefined);
  t.equal(log.reads(), 0);
});

t.test('subscriptions at the head share one read of the new events, each with its own stream filter', async (t) => {
  const log = fakeLog();
  const tail = createTail({ readPage: log.readPage, capacity: 100, pageSize: 10 });
  const first = log.append('event-1').position;
  tail.offerStart(first);
  log.append('event-1');
  log.append('venue-1');
  log.append('event-2');
  const events = await tail.page(first, 10, (s) => s.startsWith('event-'));
  t.same(
    events?.events.map((e) => e.id),
    ['id-2', 'id-4'],
  );
  t.same(events?.scannedTo, { commit: 4n, prepare: 4n });
  t.equal(log.reads(), 1);
  const venues = await tail.page(first, 10, (s) => s.startsWith('venue-'));
  t.same(
    venues?.events.map((e) => e.id),
    ['id-3'],
  );
  t.equal(log.reads(), 1, 'answered from memory');
});

t.test('a caller that finds nothing new waits for a read that started after it asked', async (t) => {
  const log = fakeLog();
  const tail = createTail({ readPage: log.readPage, capacity: 100, pageSize: 10 });
  const start = log.append('event-1').position;
  tail.offerStart(start);
  const release = log.hold();
  const early = tail.page(start, 10, everything);
  // Appended while the first read is in flight: that read cannot see it, so the second caller needs another read.
  log.append('event-1');
  const late = tail.page(start, 10, everything);
  const third = tail.page(start, 10, everything);
  release();
  t.same((await early)?.events, []);
  t.same(
    (await late)?.events.map((e) => e.id),
    ['id-2'],
  );
  t.same(
    (await third)?.events.map((e) => e.id),
    ['id-2'],
  );
  t.equal(log.reads(), 2, 'the callers queued behind a running read share the next one');
});

t.test('a page stops at maxCount and says how far it got; the rest follows', async (t) => {
  const log = fakeLog();
  const tail = createTail({ readPage: log.readPage, capacity: 100, pageSize: 10 });
  tail.offerStart(undefined);
  for (let i = 0; i < 5; i++) log.append('event-1');
  const a = await tail.page(undefined, 3, everything);
  t.same(
    a?.events.map((e) => e.id),
    ['id-1', 'id-2', 'id-3'],
  );
  t.same(a?.scannedTo, { commit: 3n, prepare: 3n });
  const b = await tail.page(a?.scannedTo, 3, everything);
  t.same(
    b?.events.map((e) => e.id),
    ['id-4', 'id-5'],
  );
  t.equal(log.reads(), 1);
});

t.test('a caller behind the kept events reads the log itself', async (t) => {
  const log = fakeLog();
  const tail = createTail({ readPage: log.readPage, capacity: 3, pageSize: 10 });
  tail.offerStart(undefined);
  for (let i = 0; i < 5; i++) log.append('event-1');
  t.equal(await tail.page(undefined, 10, everything), undefined, 'the read kept the last three: the first two are gone');
  t.same(
    (await tail.page({ commit: 2n, prepare: 2n }, 10, everything))?.events.map((e) => e.id),
    ['id-3', 'id-4', 'id-5'],
  );
});

t.test('a full page ends the tail at its last event, not at the horizon it did not reach', async (t) => {
  const log = fakeLog();
  const tail = createTail({ readPage: log.readPage, capacity: 100, pageSize: 2 });
  tail.offerStart(undefined);
  for (let i = 0; i < 5; i++) log.append('event-1');
  const a = await tail.page(undefined, 10, everything);
  t.same(
    a?.events.map((e) => e.id),
    ['id-1', 'id-2'],
  );
  t.same(a?.scannedTo, { commit: 2n, prepare: 2n });
  const b = await tail.page(a?.scannedTo, 10, everything);
  t.same(
    b?.events.map((e) => e.id),
    ['id-3', 'id-4'],
  );
});
