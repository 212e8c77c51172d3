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
