import t from 'tap';
import { applyDelta, fromSnapshot, parseSeatId, seatCode, totalAvailable, type WireSnapshot } from '../src/seatmap/store.js';

const snapshot: WireSnapshot = {
  eventId: 'e1',
  version: 4,
  sections: [
    { kind: 'seated', id: 'A', name: 'Block A', price: 6500, rows: [{ label: '1', seats: 'AAHS' }, { label: '2', seats: 'AAAA' }] },
    { kind: 'standing', id: 'PIT', name: 'Pit', price: 4500, capacity: 100, available: 60 },
  ],
};

t.test('a snapshot counts what is available per section', async (t) => {
  const map = fromSnapshot(snapshot);
  t.same(
    map.sections.map((s) => [s.id, s.available, s.capacity]),
    [
      ['A', 6, 8],
      ['PIT', 60, 100],
    ],
  );
  t.equal(totalAvailable(map), 66);
  t.equal(seatCode(map, 'A-1-3'), 'H');
  t.equal(seatCode(map, 'A-1-9'), undefined, 'a seat past the row is unknown');
});

t.test('a delta changes only the rows and sections it names, and reports what changed', async (t) => {
  const map = fromSnapshot(snapshot);
  const { map: next, changed } = applyDelta(map, { version: 5, changes: { 'A-2-1': 'H', 'A-1-3': 'A', 'A-1-4': 'S' }, standing: { PIT: 58 } });
  t.equal(next.version, 5);
  t.same([...changed], [
    ['A-1-3', 'A'],
    ['A-2-1', 'H'],
  ], 'a seat already in that state is not a change');
  const a = next.sections[0]!;
  t.equal(a.kind === 'seated' && a.rows[0]!.seats, 'AAAS');
  t.equal(a.kind === 'seated' && a.rows[1]!.seats, 'HAAA');
  t.equal(a.available, 6, 'one freed, one taken');
  t.equal(next.sections[1]!.available, 58);
  const unchanged = applyDelta(next, { version: 6, changes: { 'B-1-1': 'S' } });
  t.equal(unchanged.map.sections[0], next.sections[0], 'untouched sections keep their identity (views skip them)');
});

t.test('a delta at or below the map’s version is already in it', async (t) => {
  const map = fromSnapshot(snapshot);
  const same = applyDelta(map, { version: 4, changes: { 'A-2-1': 'S' } });
  t.equal(same.map, map);
  t.equal(same.changed.size, 0);
});

t.test('seat ids split into section, row and number', async (t) => {
  t.same(parseSeatId('STALLS-AA-12'), { sectionId: 'STALLS', rowLabel: 'AA', number: 12 });
  t.equal(parseSeatId('A-1-0'), undefined);
  t.equal(parseSeatId('A-1'), undefined);
});
