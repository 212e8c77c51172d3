import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  admittedPlace,
  assertRoomConfig,
  BURST_SECONDS,
  FIFO_BASE,
  randomScore,
  RATE_TAU_MS,
  waitingPlace,
  type AdmittedListener,
  type QueueAnswer,
  type QueueOptions,
  type RoomConfig,
  type WaitingRoomQueue,
} from './queue.js';

/**
 * The queue in Redis, shared by every API process: per event a config hash, a
 * sorted set of waiting users (score = place, see waiting-room.ts), a sorted
 * set of admitted users (score = access expiry) and a state hash (FIFO
 * counter, bucket level, last refill, observed rate). Steps that must not
 * interleave (join-if-absent + rank; refill + admit-next-N + record) are
 * single Lua scripts, so any number of processes may join and tick at once
 * and the admission rate stays global.
 *
 * Keys carry the event id in a hash tag so one event's keys share a cluster slot.
 */

export type RedisQueueOptions = QueueOptions & {
  readonly redis: Redis;
  /** Prepended to every key and the channel, e.g. `marquee:`; tests use a unique one. */
  readonly prefix?: string;
};

// Shared by status and join: the row the TypeScript side turns into an answer.
// Redis turns Lua false/nil into the end of an array, so absent values are '' and -1.
const ROW = `
local function row(cfg, q, adm, st, user)
  local c = redis.call('HMGET', cfg, 'enabled', 'opensAt', 'admitPerMinute', 'accessSeconds')
  local exp = redis.call('ZSCORE', adm, user)
  local rank = redis.call('ZRANK', q, user)
  local rate = redis.call('HGET', st, 'rate')
  return {'ok', c[1], c[2], c[3], c[4], exp or '', rank or -1, rate or ''}
end
`;

// KEYS: cfg q adm st   ARGV: user
const STATUS = `${ROW}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'nocfg'} end
return row(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1])
`;

// KEYS: cfg q adm st   ARGV: user now randomScore fifoBase
const JOIN = `${ROW}
local c = redis.call('HMGET', KEYS[1], 'enabled', 'opensAt')
if not c[1] then return {'nocfg'} end
local user = ARGV[1]
local now = tonumber(ARGV[2])
if c[1] == '1' then
  local exp = redis.call('ZSCORE', KEYS[3], user)
  if exp and tonumber(exp) <= now then
    redis.call('ZREM', KEYS[3], user)
    exp = false
  end
  if not exp and not redis.call('ZRANK', KEYS[2], user) then
    if now < tonumber(c[2]) then
      if #redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3], 'LIMIT', 0, 1) > 0 then return {'retry'} end
      redis.call('ZADD', KEYS[2], ARGV[3], user)
    else
      local n = redis.call('HINCRBY', KEYS[4], 'seq', 1)
      redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + n, user)
    end
  end
end
return row(KEYS[1], KEYS[2], KEYS[3], KEYS[4], user)
`;

// KEYS: cfg q adm st   ARGV: now burstSeconds tauMs channel eventId
const TICK = `
local c = redis.call('HMGET', KEYS[1], 'enabled', 'opensAt', 'admitPerMinute', 'accessSeconds')
if not c[1] then return -1 end
local now = tonumber(ARGV[1])
local opensAt = tonumber(c[2])
if c[1] ~= '1' or now < opensAt then return {} end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local apm = tonumber(c[3])
local s = redis.call('HMGET', KEYS[4], 'tokens', 'last', 'rate')
local tokens = tonumber(s[1]) or 0
local last = tonumber(s[2]) or opensAt
if last < opensAt then last = opensAt end
if now <= last then return {} end
local elapsed = now - last
local cap = math.max(1, apm * tonumber(ARGV[2]) / 60)
tokens = math.min(cap, tokens + elapsed * apm / 60000)
local waiting = redis.call('ZCARD', KEYS[2])
local k = math.min(math.floor(tokens + 1e-9), waiting)
local admitted = {}
if k > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[2], k)
  local exp = now + tonumber(c[4]) * 1000
  for i = 1, #popped, 2 do
    admitted[#admitted + 1] = popped[i]
    redis.call('ZADD', KEYS[3], exp, popped[i])
  end
  tokens = tokens - k
end
redis.call('HSET', KEYS[4], 'tokens', tostring(tokens), 'last', ARGV[1])
if waiting > k then
  local rate = tonumber(s[3]) or (apm / 60)
  local alpha = 1 - math.exp(-elapsed / tonumber(ARGV[3]))
  rate = rate + alpha * (k * 1000 / elapsed - rate)
  redis.call('HSET', KEYS[4], 'rate', tostring(rate))
end
if k > 0 then
  redis.call('HINCRBY', KEYS[4], 'admitted', k)
  redis.call('PUBLISH', ARGV[4], cjson.encode({e = ARGV[5], u = admitted}))
end
return admitted
`;

// KEYS: cfg   ARGV: enabled opensAt admitPerMinute accessSeconds
const CONFIGURE_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'enabled', ARGV[1], 'opensAt', ARGV[2], 'admitPerMinute', ARGV[3], 'accessSeconds', ARGV[4])
return 1
`;

type Script = { readonly source: string; readonly sha: string };
const script = (source: string): Script => ({ source, sha: createHash('sha1').update(source).digest('hex') });
const SCRIPTS = { status: script(STATUS), join: script(JOIN), tick: script(TICK), configureIfAbsent: script(CONFIGURE_IF_ABSENT) };

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

type Row =
  | { readonly kind: 'nocfg' }
  | { readonly kind: 'retry' }
  | {
      readonly kind: 'ok';
      readonly config: RoomConfig;
      readonly expiresAt: number | undefined;
      readonly rank: number | undefined;
      readonly rate: number | undefined;
    };

const parseRow = (reply: unknown): Row => {
  if (!Array.isArray(reply)) throw new Error(`waiting room: unexpected reply from Redis: ${JSON.stringify(reply)}`);
  const [kind, enabled, opensAt, apm, access, exp, rank, rate] = reply as unknown[];
  if (kind === 'nocfg' || kind === 'retry') return { kind };
  if (kind !== 'ok') throw new Error(`waiting room: unexpected reply from Redis: ${JSON.stringify(reply)}`);
  return {
    kind,
    config: {
      enabled: enabled === '1',
      opensAt: Number(opensAt),
      admitPerMinute: Number(apm),
      accessSeconds: Number(access),
    },
    expiresAt: exp === '' ? undefined : Number(exp),
    rank: typeof rank === 'number' && rank >= 0 ? rank : undefined,
    rate: rate === '' ? undefined : Number(rate),
  };
};

const configArgs = (c: RoomConfig): string[] => [
  c.enabled ? '1' : '0',
  String(c.opensAt),
  String(c.admitPerMinute),
  String(c.accessSeconds),
];

export const createRedisWaitingRoom = ({ redis, prefix = 'marquee:', tokens, loadConfig }: RedisQueueOptions): WaitingRoomQueue => {
  const roomsKey = `${prefix}wr:rooms`;
  const channel = `${prefix}wr:admitted`;
  const keys = (eventId: string): [string, string, string, string] => {
    const base = `${prefix}wr:{${eventId}}`;
    return [`${base}:cfg`, `${base}:q`, `${base}:adm`, `${base}:st`];
  };

  const run = async (s: Script, keyList: readonly string[], args: readonly (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(s.sha, keyList.length, ...keyList, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return redis.eval(s.source, keyList.length, ...keyList, ...args);
    }
  };

  /** Puts the configuration back from the source of truth when Redis has none; false when there is no such event. */
  const restoreConfig = async (eventId: string): Promise<boolean> => {
    const lookup = await loadConfig(eventId);
    if (lookup === 'unknown-event') return false;
    await run(SCRIPTS.configureIfAbsent, [keys(eventId)[0]], configArgs(lookup));
    await redis.sadd(roomsKey, eventId);
    return true;
  };

  const answer = (row: Extract<Row, { kind: 'ok' }>, eventId: string, userId: string, now: number): QueueAnswer => {
    if (!row.config.enabled) return { state: 'room-off' };
    if (row.expiresAt !== undefined && row.expiresAt > now) return admittedPlace(tokens, eventId, userId, row.expiresAt);
    if (row.rank === undefined) return { state: 'not-queued' };
    return waitingPlace(row.rank, row.config, row.rate, now);
  };

  const status = async (eventId: string, userId: string, now: number): Promise<QueueAnswer> => {
    for (let attempt = 0; ; attempt++) {
      const row = parseRow(await run(SCRIPTS.status, keys(eventId), [userId]));
      if (row.kind === 'ok') return answer(row, eventId, userId, now);
      if (attempt > 0 || !(await restoreConfig(eventId))) return { state: 'unknown-event' };
    }
  };

  const join = async (eventId: string, userId: string, now: number): Promise<QueueAnswer> => {
    let restored = false;
    for (;;) {
      const row = parseRow(await run(SCRIPTS.join, keys(eventId), [userId, String(now), String(randomScore()), String(FIFO_BASE)]));
      switch (row.kind) {
        case 'ok':
          return answer(row, eventId, userId, now);
        case 'retry':
          continue;
        case 'nocfg':
          if (restored || !(await restoreConfig(eventId))) return { state: 'unknown-event' };
          restored = true;
          continue;
        default: {
          const _: never = row;
          throw new Error('unreachable');
        }
      }
    }
  };

  const statuses = async (eventId: string, userIds: readonly string[], now: number): Promise<readonly QueueAnswer[]> => {
    if (userIds.length === 0) return [];
    const k = keys(eventId);
    const batch = async (): Promise<unknown[]> => {
      const pipeline = redis.pipeline();
      for (const userId of userIds) pipeline.evalsha(SCRIPTS.status.sha, k.length, ...k, userId);
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, value]) => {
        if (err) throw err;
        return value;
      });
    };
    let replies: unknown[];
    try {
      replies = await batch();
    } catch (err) {
      if (!isNoScript(err)) throw err;
      await redis.script('LOAD', SCRIPTS.status.source);
      replies = await batch();
    }
    const rows = replies.map(parseRow);
    if (rows.some((r) => r.kind !== 'ok')) return Promise.all(userIds.map((u) => status(eventId, u, now)));
    return rows.map((row, i) => answer(row as Extract<Row, { kind: 'ok' }>, eventId, userIds[i] ?? '', now));
  };

  const tick = async (eventId: string, now: number): Promise<readonly string[]> => {
    const args = [String(now), String(BURST_SECONDS), String(RATE_TAU_MS), channel, eventId];
    let reply = await run(SCRIPTS.tick, keys(eventId), args);
    if (reply === -1) {
      if (!(await restoreConfig(eventId))) {
        await redis.srem(roomsKey, eventId);
        return [];
      }
      reply = await run(SCRIPTS.tick, keys(eventId), args);
    }
    return Array.isArray(reply) ? reply.map(String) : [];
  };

  const listeners = new Set<AdmittedListener>();
  let subscriber: Redis | undefined;
  const subscribe = (): void => {
    if (subscriber) return;
    const sub = redis.duplicate();
    subscriber = sub;
    // ioredis reconnects and resubscribes by itself; the main client already reports the outage.
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, message: string) => {
      let parsed: { e?: unknown; u?: unknown };
      try {
        parsed = JSON.parse(message) as { e?: unknown; u?: unknown };
      } catch {
        return;
      }
      if (typeof parsed.e !== 'string' || !Array.isArray(parsed.u)) return;
      const userIds = parsed.u.map(String);
      for (const listener of listeners) {
        try {
          listener(parsed.e, userIds);
        } catch {
          // a listener's failure is its own
        }
      }
    });
    sub.subscribe(channel).catch(() => undefined);
  };

  return {
    configure: async (eventId, config) => {
      assertRoomConfig(config);
      await redis
        .multi()
        .hset(keys(eventId)[0], {
          enabled: config.enabled ? '1' : '0',
          opensAt: config.opensAt,
          admitPerMinute: config.admitPerMinute,
          accessSeconds: config.accessSeconds,
        })
        .sadd(roomsKey, eventId)
        .exec();
    },
    config: async (eventId) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const c = await redis.hmget(keys(eventId)[0], 'enabled', 'opensAt', 'admitPerMinute', 'accessSeconds');
        if (c[0] !== null)
          return { enabled: c[0] === '1', opensAt: Number(c[1]), admitPerMinute: Number(c[2]), accessSeconds: Number(c[3]) };
        if (!(await restoreConfig(eventId))) return 'unknown-event';
      }
      return 'unknown-event';
    },
    join,
    status,
    statuses,
    tick,
    tickAll: async (now) => {
      const rooms = await redis.smembers(roomsKey);
      let count = 0;
      for (const eventId of rooms) count += (await tick(eventId, now)).length;
      return count;
    },
    onAdmitted: (listener) => {
      listeners.add(listener);
      subscribe();
      return () => listeners.delete(listener);
    },
    close: async () => {
      listeners.clear();
      const sub = subscriber;
      subscriber = undefined;
      if (sub) await sub.quit().catch(() => sub.disconnect());
    },
  };
};
