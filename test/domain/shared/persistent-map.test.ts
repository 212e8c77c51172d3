import fc from 'fast-check';
import t from 'tap';
import {
  addExpiry,
  lapsedQuantity,
  removeExpiry,
  totalQuantity,
  type ExpiryTree,
} from '../../../src/domain/ticketed-event/hold-expiries.js';
import { emptyPMap, hashKey, pget, phas, premove, pset, pvalues } from '../../../src/domain/shared/index.js';
import { pentries, pfromEntries } from '../../../src/domain/shared/persistent-map.js';

t.test('the persistent map behaves like a Map under any sequence of sets and removes', async (t) => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 3 }), value: fc.integer() }),
    fc.record({ kind: fc.constant('remove' as const), key: fc.string({ maxLength: 3 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const model = new Map<string, number>();
      let m = emptyPMap<number>();
      for (const o of ops) {
        const before = m;
        const snapshot = [...pentries(before)];
        if (o.kind === 'set') {
          model.set(o.key, o.value);
          m = pset(m, o.key, o.value);
        } else {
          model.delete(o.key);
          m = premove(m, o.key);
        }
        if (JSON.stringify([...pentries(before)]) !== JSON.stringify(snapshot)) return false;
        if (m.size !== model.size) return false;
      }
      for (const [k, v] of model) if (pget(m, k) !== v) return false;
      const entries = [...pentries(m)].sort();
      return JSON.stringify(entries) === JSON.stringify([...model.entries()].sort());
    }),
    { numRuns: 300 },
  );
  t.pass('matches the model');
});

t.test('keys with the same hash are kept apart', async (t) => {
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined && i < 1_000_000; i++) {
    const k = `k${i}`;
    const h = hashKey(k);
    const other = seen.get(h);
    if (other !== undefined) pair = [other, k];
    seen.set(h, k);
  }
  if (pair === undefined) return t.fail('no collision found');
  const [a, b] = pair;
  let m = pfromEntries([
    [a, 1],
    [b, 2],
    ['z', 3],
  ]);
  t.equal(pget(m, a), 1);
  t.equal(pget(m, b), 2);
  m = pset(m, b, 20);
  t.equal(pget(m, b), 20);
  t.equal(m.size, 3);
  t.equal(pget(m, `${a}x`), undefined);
  const third = pset(m, 'zz', 4);
  t.equal(third.size, 4);
  m = premove(m, a);
  t.equal(pget(m, a), undefined);
  t.equal(pget(m, b), 20);
  t.equal(m.size, 2);
  t.equal(premove(m, 'absent'), m);
  t.same([...pvalues(m)].sort(), [20, 3]);
});

t.test('setting a key to the value it has returns the same map', async (t) => {
  const m = pset(emptyPMap<number>(), 'a', 1);
  t.equal(pset(m, 'a', 1), m);
  t.ok(phas(m, 'a'));
  t.notOk(phas(m, 'b'));
});

t.test('a large map keeps every key', async (t) => {
  let m = emptyPMap<number>();
  for (let i = 0; i < 100_000; i++) m = pset(m, `A-${i % 100}-${i}`, i);
  t.equal(m.size, 100_000);
  let ok = true;
  for (let i = 0; i < 100_000; i += 7) ok &&= pget(m, `A-${i % 100}-${i}`) === i;
  t.ok(ok);
  for (let i = 0; i < 100_000; i += 2) m = premove(m, `A-${i % 100}-${i}`);
  t.equal(m.size, 50_000);
  t.equal([...pentries(m)].length, 50_000);
});

t.test('the expiry tree sums the quantities that lapsed by any time', async (t) => {
  const entry = fc.record({
    at: fc.integer({ min: 0, max: 50 }),
    id: fc.string({ minLength: 1, maxLength: 3 }),
    quantity: fc.integer({ min: 1, max: 9 }),
  });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), entry), { maxLength: 200 }), fc.integer({ min: -1, max: 51 }), (ops, now) => {
      const model = new Map<string, { at: number; quantity: number }>();
      let tree: ExpiryTree;
      for (const [add, e] of ops) {
        const key = `${e.at}|${e.id}`;
        if (add) {
          model.set(key, e);
          tree = addExpiry(tree, e.at, e.id, e.quantity);
        } else {
          model.delete(key);
          tree = removeExpiry(tree, e.at, e.id);
        }
      }
      let total = 0;
      let lapsed = 0;
      for (const e of model.values()) {
        total += e.quantity;
        if (e.at <= now) lapsed += e.quantity;
      }
      return totalQuantity(tree) === total && lapsedQuantity(tree, now) === lapsed;
    }),
    { numRuns: 300 },
  );
  t.pass('matches the model');
});
