import type { Redis } from 'ioredis';
import type { RecordedEvent } from '../../commands/event-store/index.js';
import type { DueHold } from './pg-deadlines.js';
import type { Log } from '../../commands/platform/index.js';
import type { Projection } from '../projector/index.js';

export const REDIS_HOLD_DEADLINES_PROJECTION = 'redis-hold-deadlines';

export type RedisHoldDeadlinesOptions = {
  readonly redis: Redis;
  /** The sorted set; default `marquee:hold-deadlines`. */
  readonly key?: string;
  /** The PostgreSQL hold-deadlines read model: the truth Redis is checked against. */
  readonly fallback: {
    readonly dueHolds: (now: Date, limit: number) => Promise<DueHold[]>;
    readonly allHolds: (after: string | undefined, limit: number) => Promise<DueHold[]>;
  };
  /** How often the sweeper also asks PostgreSQL; default 5000 ms. */
  readonly fallbackEveryMs?: number;
  readonly log: Log;
};

const member = (eventId: string, bookingId: string): string => JSON.stringify([eventId, bookingId]);

/**
 * Hold deadlines in a Redis sorted set (score = expiresAt in ms), kept by a
 * projection's afterCommit: ZADD on SeatsHeld, ZREM when the hold is released,
 * confirmed or refunded. Redis is a fast index, not the truth: afterCommit is
 * at-least-once and Redis may be flushed or down, so `dueHolds` also consults
 * the PostgreSQL hold-deadlines read model every `fallbackEveryMs` (and
 * whenever Redis fails), and `seed` copies that model into an empty set at start.
 * A hold therefore expires at the latest `fallbackEveryMs` late when Redis lost it.
 */
export const redisHoldDeadlines = (options: RedisHoldDeadlinesOptions) => {
  const { redis, log, fallback } = options;
  const key = options.key ?? 'marquee:hold-deadlines';
  const fallbackEveryMs = options.fallbackEveryMs ?? 5_000;
  let lastFallback = 0;

  const projection: Projection = {
    name: REDIS_HOLD_DEADLINES_PROJECTION,
    streamPrefixes: ['event-'],
    gather: true,
    setup: async () => undefined,
    reset: async () => {
      await redis.del(key);
    },
    apply: async () => undefined,
    afterCommit: async (events: readonly RecordedEvent[]) => {
      const pipeline = redis.pipeline();
      let n = 0;
      for (const e of events) {
        switch (e.type) {
          case 'SeatsHeld':
            pipeline.zadd(key, Date.parse(e.data.expiresAt), member(e.data.eventId, e.data.bookingId));
            n++;
            break;
          // The decider's dropFootprint: the hold no longer needs sweeping.
          case 'HoldReleased':
          case 'BookingConfirmed':
          case 'RefundRequested':
          case 'RefundIssued':
            pipeline.zrem(key, member(e.data.eventId, e.data.bookingId));
            n++;
            break;
          default:
            break;
        }
      }
      if (n === 0) return;
      const results = await pipeline.exec();
      const failed = results?.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    },
  };

  const fromRedis = async (now: Date, limit: number): Promise<DueHold[]> => {
    const flat = await redis.zrangebyscore(key, '-inf', now.getTime(), 'WITHSCORES', 'LIMIT', 0, limit);
    const out: DueHold[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      try {
        const [eventId, bookingId] = JSON.parse(flat[i] ?? '') as [string, string];
        out.push({ eventId, bookingId, expiresAt: new Date(Number(flat[i + 1])).toISOString() });
      } catch {
        log.warn({ key, member: flat[i] }, 'ignoring a malformed hold-deadline member');
      }
    }
    return out;
  };

  const dueHolds = async (now: Date, limit: number): Promise<DueHold[]> => {
    let primary: DueHold[] = [];
    let redisFailed = false;
    try {
      primary = await fromRedis(now, limit);
    } catch (err) {
      redisFailed = true;
      log.warn({ err }, 'Redis hold deadlines unavailable; using the PostgreSQL read model');
    }
    if (!redisFailed && Date.now() - lastFallback < fallbackEveryMs) return primary;
    lastFallback = Date.now();
    const truth = await fallback.dueHolds(now, limit);
    const seen = new Set(primary.map((h) => h.bookingId));
    const missing = truth.filter((h) => !seen.has(h.bookingId));
    if (missing.length > 0 && !redisFailed) log.info({ missing: missing.length }, 'holds missing from Redis found in PostgreSQL');
    return [...primary, ...missing].slice(0, Math.max(limit, primary.length));
  };

  /** Copies every live hold of the PostgreSQL model into the sorted set when it is empty (a fresh or flushed Redis). */
  const seed = async (): Promise<number> => {
    if ((await redis.exists(key)) === 1) return 0;
    let after: string | undefined;
    let n = 0;
    for (;;) {
      const page = await fallback.allHolds(after, 1000);
      if (page.length === 0) break;
      const args = page.flatMap((h) => [Date.parse(h.expiresAt), member(h.eventId, h.bookingId)] as const);
      await redis.zadd(key, ...args);
      n += page.length;
      after = page[page.length - 1]?.bookingId;
    }
    if (n > 0) log.info({ holds: n }, 'seeded Redis hold deadlines from PostgreSQL');
    return n;
  };

  return { projection, dueHolds, seed, key };
};
