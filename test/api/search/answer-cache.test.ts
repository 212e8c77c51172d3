import t from 'tap';
import { createAnswerCache } from '../../../src/api/search/answer-cache.js';

const clockAt = (ms: number) => {
  const clock = { ms, now: () => clock.ms };
  return clock;
};

t.test('given an answer kept at a version, when the same question comes at that version, then it is the kept answer', async (t) => {
  const cache = createAnswerCache<string>({ entries: 10, version: async () => '7' });
  cache.set('q=hamlet', '7', 'answer at 7');
  t.equal(cache.get('q=hamlet', '7'), 'answer at 7');
  t.equal(cache.get('q=hamlet', '8'), undefined, 'at another version it is not an answer');
  t.equal(cache.get('q=hamlet', '7'), undefined, 'and a stale entry is dropped once seen');
  t.equal(cache.get('q=other', '7'), undefined);
});

t.test('given more questions than entries, the least recently used answer goes first', async (t) => {
  const cache = createAnswerCache<number>({ entries: 2, version: async () => '1' });
  cache.set('a', '1', 1);
  cache.set('b', '1', 2);
  t.equal(cache.get('a', '1'), 1, 'a is used again');
  cache.set('c', '1', 3);
  t.equal(cache.size, 2);
  t.equal(cache.get('b', '1'), undefined, 'b went');
  t.equal(cache.get('a', '1'), 1);
  t.equal(cache.get('c', '1'), 3);
});

t.test('given an answer older than maxAgeMs, then it is not served even at the same version', async (t) => {
  const clock = clockAt(0);
  const cache = createAnswerCache<string>({ entries: 5, version: async () => '1', maxAgeMs: 1_000, now: clock.now });
  cache.set('a', '1', 'x');
  clock.ms = 999;
  t.equal(cache.get('a', '1'), 'x');
  clock.ms = 1_000;
  t.equal(cache.get('a', '1'), undefined);
});

t.test('the version is read once per versionTtlMs and shared by the requests of that moment', async (t) => {
  const clock = clockAt(0);
  let reads = 0;
  const cache = createAnswerCache<string>({ entries: 5, version: async () => String(++reads), versionTtlMs: 250, now: clock.now });
  t.same(await Promise.all([cache.version(), cache.version(), cache.version()]), ['1', '1', '1']);
  clock.ms = 249;
  t.equal(await cache.version(), '1');
  clock.ms = 250;
  t.equal(await cache.version(), '2', 'read again once the ttl passed');
  t.equal(reads, 2);
});

t.test('a failed read of the version is not remembered', async (t) => {
  let fail = true;
  const cache = createAnswerCache<string>({ entries: 5, version: async () => (fail ? Promise.reject(new Error('down')) : '3') });
  await t.rejects(cache.version(), /down/);
  fail = false;
  t.equal(await cache.version(), '3', 'the next request asks again');
});

t.test('entries 0 keeps nothing; a negative size is refused', async (t) => {
  const cache = createAnswerCache<string>({ entries: 0, version: async () => '1' });
  cache.set('a', '1', 'x');
  t.equal(cache.get('a', '1'), undefined);
  t.throws(() => createAnswerCache({ entries: -1, version: async () => '1' }), RangeError);
});
