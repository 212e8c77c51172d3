import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import type { Test } from 'tap';
import { createRedisWaitingRoom } from '../../../src/commands/waiting-room/index.js';
import { redisUrlOrSkip } from '../../support/services.js';
import { fixture, joinMany, OPENS_AT, positionOf, queueContract, users, type QueueSource } from './contract.js';

const url = redisUrlOrSkip(t);

/** A connection of its own, closed when the test ends. */
const connect = (t: Test): Redis => {
  const redis = new Redis(url!, { maxRetriesPerRequest: 3 });
  t.teardown(() => redis.quit().catch(() => redis.disconnect()));
  return redis;
};

/** Deletes this test's keys only (never FLUSHALL: the server is shared). */
const deletePrefix = async (redis: Redis, prefix: string): Promise<number> => {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
};

/** A unique key prefix for one test, its keys deleted at the end. */
const uniquePrefix = (t: Test, redis: Redis): string => {
  const prefix = `test:wr:${randomUUID()}:`;
  t.teardown(() => deletePrefix(redis, prefix));
  return prefix;
};

const queueOn = (t: Test, redis: Redis, prefix: string, source: QueueSource) => {
  const queue = createRedisWaitingRoom({ redis, prefix, ...source });
  t.teardown(() => queue.close());
  return queue;
};

if (url) {
  t.test('the Redis queue passes the waiting-room contract', async (t) => {
    queueContract(t, async (t, source) => {
      const redis = connect(t);
      const prefix = uniquePrefix(t, redis);
      const queue = queueOn(t, redis, prefix, source);
      return {
        queue,
        // A restarted Redis without persistence: every key of ours gone, scripts unloaded.
        lose: async () => {
          t.ok((await deletePrefix(redis, prefix)) > 0, 'the queue had keys to lose');
          return queue;
        },
      };
    });
  });

  t.test('two processes sharing Redis see one queue', async (t) => {
    const a = connect(t);
    const b = connect(t);
    const prefix = uniquePrefix(t, a);
    const f = await fixture(t, async (t, source) => ({
      queue: queueOn(t, a, prefix, source),
      lose: async () => queueOn(t, a, prefix, source),
    }));
    const other = queueOn(t, b, prefix, { tokens: f.tokens, loadConfig: async (id) => f.configs.get(id) ?? 'unknown-event' });
    const eventId = await f.room({ admitPerMinute: 120, accessSeconds: 3600 });

    const ids = users(300);
    await Promise.all([
      joinMany(f.queue, eventId, ids.slice(0, 150), OPENS_AT - 60_000),
      joinMany(other, eventId, ids.slice(150), OPENS_AT - 60_000),
    ]);
    const fromA = (await f.queue.statuses(eventId, ids, OPENS_AT)).map(positionOf);
    const fromB = (await other.statuses(eventId, ids, OPENS_AT)).map(positionOf);
    t.same(fromA, fromB, 'both processes report the same places');
    t.same(
      [...fromA].sort((x, y) => x - y),
      ids.map((_, i) => i + 1),
      'one queue of 300, no duplicates',
    );

    // The same user joining through both processes at once gets one place.
    const twice = users(1, 'twice')[0]!;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? f.queue : other).join(eventId, twice, OPENS_AT + 1000)),
    );
    t.same(new Set(answers.map(positionOf)), new Set([301]), 'twenty concurrent joins, one place');

    // Both processes tick, interleaved and concurrently: the rate is still the room's, not doubled.
    let admitted = 0;
    for (let now = OPENS_AT + 1000; now <= OPENS_AT + 121_000; now += 250) {
      const [x, y] = await Promise.all([f.queue.tick(eventId, now), other.tick(eventId, now + 100)]);
      admitted += x.length + y.length;
    }
    t.ok(Math.abs(admitted - 240) <= 5, `two tickers admitted ${admitted} in two minutes at 120/min`);
    const admittedIds = (await other.statuses(eventId, ids, OPENS_AT + 121_500)).filter((s) => s.state === 'admitted');
    t.equal(admittedIds.length, admitted, 'each admission counted once');
  });

  t.test('an admission by one process reaches the listeners of another', async (t) => {
    const a = connect(t);
    const b = connect(t);
    const prefix = uniquePrefix(t, a);
    const f = await fixture(t, async (t, source) => ({
      queue: queueOn(t, a, prefix, source),
      lose: async () => queueOn(t, a, prefix, source),
    }));
    const other = queueOn(t, b, prefix, { tokens: f.tokens, loadConfig: async (id) => f.configs.get(id) ?? 'unknown-event' });
    const eventId = await f.room({ admitPerMinute: 60 });
    await f.queue.join(eventId, 'someone', OPENS_AT - 1);
    const heard = new Promise<readonly string[]>((resolve) => other.onAdmitted((e, u) => e === eventId && resolve(u)));
    await new Promise((r) => setTimeout(r, 200));
    await f.queue.tick(eventId, OPENS_AT + 1000);
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    t.same(await Promise.race([heard, timeout]), ['someone']);
  });

  t.test('a dropped connection loses nothing', async (t) => {
    const redis = connect(t);
    const prefix = uniquePrefix(t, redis);
    const f = await fixture(t, async (t, source) => ({
      queue: queueOn(t, redis, prefix, source),
      lose: async () => queueOn(t, redis, prefix, source),
    }));
    const eventId = await f.room();
    const ids = users(10);
    await joinMany(f.queue, eventId, ids, OPENS_AT - 1000);
    const before = (await f.queue.statuses(eventId, ids, OPENS_AT)).map(positionOf);
    redis.disconnect(true);
    const after = (await f.queue.statuses(eventId, ids, OPENS_AT)).map(positionOf);
    t.same(after, before, 'the places are as they were once the connection is back');
    t.equal(positionOf(await f.queue.join(eventId, 'newcomer', OPENS_AT + 1)), 11);
  });
}
