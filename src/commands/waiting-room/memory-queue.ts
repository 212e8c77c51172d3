import {
  admittedPlace,
  assertRoomConfig,
  FIFO_BASE,
  observeRate,
  randomScore,
  RANDOM_SCORES,
  refill,
  waitingPlace,
  wholeTokens,
  type AdmittedListener,
  type QueueAnswer,
  type QueueOptions,
  type RoomConfig,
  type RoomLookup,
  type WaitingRoomQueue,
} from './queue.js';

/**
 * The in-process queue (the embedded default): one process, kept in memory,
 * gone with the process. Waiting users rejoin after a restart; admitted users
 * keep access because their tokens verify without the queue.
 */

type SortedQueue = {
  readonly size: () => number;
  readonly rank: (member: string) => number | undefined;
  /** false when the score is taken (the caller draws another). */
  readonly insert: (member: string, score: number) => boolean;
  readonly popMin: (count: number) => string[];
};

/** Ascending scores with their members; removal from the front advances `head`. */
type Run = { scores: number[]; members: string[]; head: number };

const lowerBound = (run: Run, score: number): number => {
  let lo = run.head;
  let hi = run.scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((run.scores[mid] ?? Infinity) < score) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const shift = (run: Run, count: number): string[] => {
  const end = Math.min(run.scores.length, run.head + count);
  const out = run.members.slice(run.head, end);
  run.head = end;
  if (run.head > 1024 && run.head * 2 > run.scores.length) {
    run.scores = run.scores.slice(run.head);
    run.members = run.members.slice(run.head);
    run.head = 0;
  }
  return out;
};

const BUCKETS = 4096;
const BUCKET_WIDTH = RANDOM_SCORES / BUCKETS;

/**
 * Places ordered by score, with ranks in O(log n). Random pre-opening scores are
 * uniform, so they spread evenly over fixed buckets whose sizes a Fenwick tree
 * sums (a random insert is a splice into one small bucket); FIFO scores only
 * ever grow, so they are a plain appended run.
 */
const createSortedQueue = (): SortedQueue => {
  const buckets: Run[] = Array.from({ length: BUCKETS }, () => ({ scores: [], members: [], head: 0 }));
  const tree = new Float64Array(BUCKETS + 1);
  const fifo: Run = { scores: [], members: [], head: 0 };
  const scoreOf = new Map<string, number>();
  let pooled = 0;

  const add = (bucket: number, delta: number): void => {
    for (let i = bucket + 1; i <= BUCKETS; i += i & -i) tree[i] = (tree[i] ?? 0) + delta;
  };
  const before = (bucket: number): number => {
    let sum = 0;
    for (let i = bucket; i > 0; i -= i & -i) sum += tree[i] ?? 0;
    return sum;
  };
  const bucketOf = (score: number): number => Math.min(BUCKETS - 1, Math.floor(score / BUCKET_WIDTH));
  const runSize = (run: Run): number => run.scores.length - run.head;

  return {
    size: () => pooled + runSize(fifo),
    rank: (member) => {
      const score = scoreOf.get(member);
      if (score === undefined) return undefined;
      if (score >= FIFO_BASE) return pooled + lowerBound(fifo, score) - fifo.head;
      const b = bucketOf(score);
      const run = buckets[b]!;
      return before(b) + lowerBound(run, score) - run.head;
    },
    insert: (member, score) => {
      const pool = score < FIFO_BASE;
      const run = pool ? buckets[bucketOf(score)]! : fifo;
      const last = run.scores.length > run.head ? run.scores[run.scores.length - 1] : undefined;
      if (last === undefined || score > last) {
        run.scores.push(score);
        run.members.push(member);
      } else {
        const i = lowerBound(run, score);
        if (run.scores[i] === score) return false;
        run.scores.splice(i, 0, score);
        run.members.splice(i, 0, member);
      }
      if (pool) {
        add(bucketOf(score), 1);
        pooled++;
      }
      scoreOf.set(member, score);
      return true;
    },
    popMin: (count) => {
      const out: string[] = [];
      for (let b = 0; b < BUCKETS && pooled > 0 && out.length < count; b++) {
        const run = buckets[b]!;
        const taken = shift(run, count - out.length);
        if (taken.length === 0) continue;
        add(b, -taken.length);
        pooled -= taken.length;
        out.push(...taken);
      }
      if (out.length < count) out.push(...shift(fifo, count - out.length));
      for (const m of out) scoreOf.delete(m);
      return out;
    },
  };
};

type Room = {
  config: RoomConfig;
  readonly waiting: SortedQueue;
  /** userId -> access expiry (ms), in admission order. */
  readonly admitted: Map<string, number>;
  tokens: number;
  last: number | undefined;
  rate: number | undefined;
  seq: number;
};

const newRoom = (config: RoomConfig): Room => ({
  config,
  waiting: createSortedQueue(),
  admitted: new Map(),
  tokens: 0,
  last: undefined,
  rate: undefined,
  seq: 0,
});

export const createMemoryWaitingRoom = ({ tokens, loadConfig }: QueueOptions): WaitingRoomQueue => {
  const rooms = new Map<string, Room>();
  const loading = new Map<string, Promise<RoomLookup>>();
  const listeners = new Set<AdmittedListener>();

  const roomOf = async (eventId: string): Promise<Room | 'unknown-event'> => {
    const known = rooms.get(eventId);
    if (known) return known;
    let pending = loading.get(eventId);
    if (!pending) {
      pending = loadConfig(eventId).finally(() => loading.delete(eventId));
      loading.set(eventId, pending);
    }
    const lookup = await pending;
    if (lookup === 'unknown-event') return lookup;
    const raced = rooms.get(eventId);
    if (raced) return raced;
    const room = newRoom(lookup);
    rooms.set(eventId, room);
    return room;
  };

  const answer = (room: Room, eventId: string, userId: string, now: number): QueueAnswer => {
    if (!room.config.enabled) return { state: 'room-off' };
    const expiresAt = room.admitted.get(userId);
    if (expiresAt !== undefined && expiresAt > now) return admittedPlace(tokens, eventId, userId, expiresAt);
    const rank = room.waiting.rank(userId);
    if (rank === undefined) return { state: 'not-queued' };
    return waitingPlace(rank, room.config, room.rate, now);
  };

  const dropLapsed = (room: Room, now: number): void => {
    for (const [userId, expiresAt] of room.admitted) {
      if (expiresAt > now) break;
      room.admitted.delete(userId);
    }
  };

  const tickRoom = (room: Room, eventId: string, now: number): string[] => {
    const c = room.config;
    if (!c.enabled || now < c.opensAt) return [];
    dropLapsed(room, now);
    const last = Math.max(room.last ?? c.opensAt, c.opensAt);
    if (now <= last) return [];
    const elapsed = now - last;
    room.tokens = refill(room.tokens, elapsed, c.admitPerMinute);
    room.last = now;
    const available = wholeTokens(room.tokens);
    const waiting = room.waiting.size();
    const admitted = room.waiting.popMin(Math.min(available, waiting));
    room.tokens -= admitted.length;
    if (waiting > admitted.length) room.rate = observeRate(room.rate, c.admitPerMinute, admitted.length, elapsed);
    const expiresAt = now + c.accessSeconds * 1000;
    for (const userId of admitted) {
      room.admitted.delete(userId);
      room.admitted.set(userId, expiresAt);
    }
    if (admitted.length > 0)
      for (const listener of listeners) {
        try {
          listener(eventId, admitted);
        } catch {
          // a listener's failure is its own; admission already happened
        }
      }
    return admitted;
  };

  return {
    configure: async (eventId, config) => {
      assertRoomConfig(config);
      const room = rooms.get(eventId);
      if (room) room.config = config;
      else rooms.set(eventId, newRoom(config));
    },
    config: async (eventId) => {
      const room = await roomOf(eventId);
      return room === 'unknown-event' ? room : room.config;
    },
    join: async (eventId, userId, now) => {
      const room = await roomOf(eventId);
      if (room === 'unknown-event') return { state: room };
      if (!room.config.enabled) return { state: 'room-off' };
      const expiresAt = room.admitted.get(userId);
      if (expiresAt !== undefined && expiresAt <= now) room.admitted.delete(userId);
      if (!room.admitted.has(userId) && room.waiting.rank(userId) === undefined) {
        if (now < room.config.opensAt) while (!room.waiting.insert(userId, randomScore()));
        else room.waiting.insert(userId, FIFO_BASE + ++room.seq);
      }
      return answer(room, eventId, userId, now);
    },
    status: async (eventId, userId, now) => {
      const room = await roomOf(eventId);
      return room === 'unknown-event' ? { state: room } : answer(room, eventId, userId, now);
    },
    statuses: async (eventId, userIds, now) => {
      const room = await roomOf(eventId);
      return userIds.map((userId) => (room === 'unknown-event' ? { state: room } : answer(room, eventId, userId, now)));
    },
    tick: async (eventId, now) => {
      const room = await roomOf(eventId);
      return room === 'unknown-event' ? [] : tickRoom(room, eventId, now);
    },
    tickAll: async (now) => {
      let count = 0;
      for (const [eventId, room] of rooms) count += tickRoom(room, eventId, now).length;
      return count;
    },
    onAdmitted: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      listeners.clear();
    },
  };
};
