import t from 'tap';
import type { SeatMap } from '../../../src/api/http/index.js';
import { createSeatMapHub, type SeatDelta } from '../../../src/api/seat-map/hub.js';

const mapAt = (version: number, row: string): SeatMap => ({
  eventId: 'e1',
  version,
  currency: 'GBP',
  sections: [{ id: 'A', kind: 'seated', price: 100, rows: [{ label: '1', seats: row }] }],
});

/** A hub over a bus the test drives and a read model whose answer the test sets. */
const given = async (initial: SeatMap) => {
  let readModel = initial;
  const handlers = new Set<(m: unknown, subject: string) => void>();
  const hub = createSeatMapHub({
    load: async () => readModel,
    bus: { subscribe: (_subject, handler) => (handlers.add(handler), () => handlers.delete(handler)) },
    refreshMs: 0,
  });
  await hub.snapshot('e1');
  const heard: SeatDelta[] = [];
  hub.listen('e1', (d) => heard.push(d));
  return {
    hub,
    heard,
    publish: (d: SeatDelta) => handlers.forEach((h) => h(d, 'seatmap.e1')),
    setReadModel: (m: SeatMap) => (readModel = m),
  };
};

t.test('a reload that shows what a lost bus message changed heals the listeners, even once later deltas reached its version', async (t) => {
  const h = await given(mapAt(3, 'AAAA'));
  t.teardown(() => h.hub.close());
  // v4 (A-1-1 held) was lost while the bus restarted; v5 (A-1-2 held) arrived.
  h.publish({ version: 5, changes: { 'A-1-2': 'H' }, standing: {} });
  h.setReadModel(mapAt(5, 'HHAA'));
  const snap = await h.hub.snapshot('e1');
  t.match(snap?.body, /"seats":"HHAA"/, 'the snapshot is the read model');
  t.same(h.heard.at(-1), { version: 5, changes: { 'A-1-1': 'H' }, standing: {} }, 'the listeners are told the seat they missed');
  t.equal(h.hub.since('e1', 4), undefined, 'and no one resumes from the history before the gap');
});

t.test('a heal at the version the hub already served replaces the body it serves', async (t) => {
  const h = await given(mapAt(3, 'AAAA'));
  t.teardown(() => h.hub.close());
  // v4 was lost; v5 arrived, and the read model still lags at v4: the hub serves what its deltas built.
  h.publish({ version: 5, changes: { 'A-1-2': 'H' }, standing: {} });
  h.setReadModel(mapAt(4, 'HAAA'));
  t.match((await h.hub.snapshot('e1'))?.body, /"version":5.*"seats":"AHAA"|"seats":"AHAA".*"version":5/s, 'v5 as the deltas built it');
  h.setReadModel(mapAt(5, 'HHAA'));
  t.match((await h.hub.snapshot('e1'))?.body, /"seats":"HHAA"/, 'then v5 as the read model has it, not the body cached for v5');
});

t.test('a reload equal to what the deltas built tells the listeners nothing', async (t) => {
  const h = await given(mapAt(3, 'AAAA'));
  t.teardown(() => h.hub.close());
  h.publish({ version: 4, changes: { 'A-1-2': 'H' }, standing: {} });
  h.setReadModel(mapAt(4, 'AHAA'));
  await h.hub.snapshot('e1');
  t.same(h.heard, [{ version: 4, changes: { 'A-1-2': 'H' }, standing: {} }], 'only the delta itself');
});

/** A live source as the event writers give one: the test sets the writer's map and sends its deltas. */
const liveSource = () => {
  let map: SeatMap | undefined;
  const listeners = new Set<(d: SeatDelta | 'ended') => void>();
  const available = new Set<(eventId: string) => void>();
  return {
    source: {
      open: (_eventId: string, listener: (d: SeatDelta | 'ended') => void, minVersion: number) => {
        if (!map || map.version < minVersion) return undefined;
        listeners.add(listener);
        return { map, close: () => listeners.delete(listener) };
      },
      onAvailable: (l: (eventId: string) => void) => (available.add(l), () => available.delete(l)),
    },
    start: (m: SeatMap) => {
      map = m;
      for (const l of available) l('e1');
    },
    send: (d: SeatDelta) => listeners.forEach((l) => l(d)),
    end: () => {
      map = undefined;
      listeners.forEach((l) => l('ended'));
      listeners.clear();
    },
    get listening() {
      return listeners.size;
    },
  };
};

t.test('an event whose writer is in this process is served from the writer, not the read model', async (t) => {
  const live = liveSource();
  live.start(mapAt(7, 'HAAA'));
  let reads = 0;
  const hub = createSeatMapHub({
    load: async () => (reads++, mapAt(2, 'AAAA')),
    bus: { subscribe: () => () => undefined },
    live: live.source,
  });
  t.teardown(() => hub.close());
  t.match((await hub.snapshot('e1'))?.body, /"version":7.*"seats":"HAAA"/s, 'the writer map');
  t.equal(reads, 0, 'the read model was not read');
  const heard: SeatDelta[] = [];
  hub.listen('e1', (d) => heard.push(d));
  live.send({ version: 8, changes: { 'A-1-4': 'S' }, standing: {} });
  live.send({ version: 9, changes: {}, standing: {} });
  t.strictSame(heard, [{ version: 8, changes: { 'A-1-4': 'S' }, standing: {} }], 'a step that moved nothing is not sent on');
  t.match((await hub.snapshot('e1'))?.body, /"version":9.*"seats":"HAAS"/s, 'yet the version moves with it');
});

t.test('a map served from the read model moves to the writer when it starts, and back when it stops', async (t) => {
  const live = liveSource();
  let readModel = mapAt(3, 'AAAA');
  const hub = createSeatMapHub({ load: async () => readModel, bus: { subscribe: () => () => undefined }, refreshMs: 0, live: live.source });
  t.teardown(() => hub.close());
  await hub.snapshot('e1');
  const heard: SeatDelta[] = [];
  hub.listen('e1', (d) => heard.push(d));

  live.start(mapAt(5, 'HHAA'));
  await new Promise((resolve) => setImmediate(resolve));
  t.strictSame(
    heard,
    [{ version: 5, changes: { 'A-1-1': 'H', 'A-1-2': 'H' }, standing: {} }],
    'listeners hear what the read model had not shown yet',
  );
  t.equal(live.listening, 1, 'the hub follows the writer');

  live.send({ version: 6, changes: { 'A-1-3': 'H' }, standing: {} });
  live.end();
  readModel = mapAt(6, 'HHHA');
  t.match((await hub.snapshot('e1'))?.body, /"version":6.*"seats":"HHHA"/s, 'the read model again, once the writer let go');
});

t.test('a writer behind the read model (another process appended since) is not followed', async (t) => {
  const live = liveSource();
  const hub = createSeatMapHub({ load: async () => mapAt(9, 'SAAA'), bus: { subscribe: () => () => undefined }, live: live.source });
  t.teardown(() => hub.close());
  await hub.snapshot('e1');
  live.start(mapAt(4, 'AAAA'));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(live.listening, 0);
  t.match((await hub.snapshot('e1'))?.body, /"version":9/);
});
