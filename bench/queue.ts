import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { installProblemHandlers } from '../src/api/http/index.js';
import { waitingRoomRoutes } from '../src/api/waiting-room/index.js';
import type { LoadRoomConfig, RoomConfig, WaitingRoomQueue } from '../src/commands/waiting-room/index.js';
import {
  startAdmissionLoop,
  createMemoryWaitingRoom,
  createRedisWaitingRoom,
  createAccessTokens,
} from '../src/commands/waiting-room/index.js';

/**
 * `npm run bench -- queue [--users 40000] [--connections 64] [--depth 4] [--adapters memory,redis] [--seconds 10] [--rate 600]`
 *
 * 1. Joins per second over HTTP: the waiting-room routes on a fastify server in
 *    a child process (minimal auth: the user id in a header), driven from this
 *    process over loopback keep-alive connections, every request a new user,
 *    then every user joining again.
 * 2. Admission accuracy over a simulated hour (injected clock, irregular ticks).
 * 3. Admission accuracy in real time: the admission loop as the server runs it
 *    (with Redis, two loops on two connections, as two processes).
 * Redis runs only when REDIS_URL is set; its keys use a unique prefix and are deleted.
 */

type Adapter = 'memory' | 'redis';

const TOKEN_KEY = 'bench-queue-key-0123456789abcdef';
const MINUTE = 60_000;

const options = (args: string[]) =>
  parseArgs({
    args,
    options: {
      users: { type: 'string', default: '40000' },
      connections: { type: 'string', default: '64' },
      depth: { type: 'string', default: '4' },
      adapters: { type: 'string', default: 'memory,redis' },
      seconds: { type: 'string', default: '10' },
      rate: { type: 'string', default: '600' },
      serve: { type: 'boolean', default: false },
      adapter: { type: 'string', default: 'memory' },
      prefix: { type: 'string', default: '' },
    },
    strict: true,
  }).values;

const int = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
};

const isAdapter = (a: string): a is Adapter => a === 'memory' || a === 'redis';

const makeQueue = (
  adapter: Adapter,
  prefix: string,
  loadConfig: LoadRoomConfig,
): { queue: WaitingRoomQueue; close: () => Promise<void> } => {
  const tokens = createAccessTokens(TOKEN_KEY);
  switch (adapter) {
    case 'memory':
      return { queue: createMemoryWaitingRoom({ tokens, loadConfig }), close: async () => undefined };
    case 'redis': {
      const url = process.env.REDIS_URL;
      if (!url) throw new Error('REDIS_URL is not set');
      const redis = new Redis(url);
      const queue = createRedisWaitingRoom({ redis, prefix, tokens, loadConfig });
      return {
        queue,
        close: async () => {
          await queue.close();
          await redis.quit();
        },
      };
    }
    default: {
      const _: never = adapter;
      throw new Error(`unknown adapter ${String(_)}`);
    }
  }
};

const deletePrefix = async (prefix: string): Promise<void> => {
  const url = process.env.REDIS_URL;
  if (!url) return;
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
};

// ---- the server (child process)

const serve = async (adapter: Adapter, prefix: string): Promise<void> => {
  const rooms = new Map<string, RoomConfig>();
  const { queue, close } = makeQueue(adapter, prefix, async (id) => rooms.get(id) ?? 'unknown-event');
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  const authenticate = async (req: FastifyRequest): Promise<void> => {
    const id = req.headers['x-user-id'];
    if (typeof id !== 'string') throw new Error('x-user-id is required');
    req.user = { id, email: `${id}@bench.local`, role: 'customer' };
  };
  app.decorate('authenticate', authenticate);
  app.decorate('requireOrganizer', authenticate);
  const ticketing = { getEvent: async () => undefined, configureWaitingRoom: async () => undefined };
  await app.register(waitingRoomRoutes({ queue, ticketing }));
  const eventId = randomUUID();
  // Opens in an hour: every join is a pre-opening join, placed at random (the costlier path).
  const config: RoomConfig = { enabled: true, opensAt: Date.now() + 60 * MINUTE, admitPerMinute: 600, accessSeconds: 600 };
  rooms.set(eventId, config);
  await queue.configure(eventId, config);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ address, eventId });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  await app.close();
  await close();
};

// ---- the load (this process)

type Load = { readonly ok: number; readonly failed: number; readonly seconds: number; readonly p50: number; readonly p99: number };

/**
 * A lean HTTP/1.1 client: keep-alive connections, each with a few requests in
 * flight (pipelined), responses parsed by content-length. Much cheaper per
 * request than node:http, so on a small machine the server, not the client,
 * is what gets measured.
 */
const drive = async (
  base: string,
  path: string,
  method: string,
  users: readonly string[],
  connections: number,
  expect: number,
  depth = 4,
): Promise<Load> => {
  const url = new URL(path, base);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      socket.setNoDelay(true);
      const inFlight: number[] = [];
      let buffer: Buffer = Buffer.alloc(0);
      const send = (): void => {
        while (inFlight.length < depth && next < users.length) {
          const user = users[next++]!;
          inFlight.push(performance.now());
          socket.write(`${method} ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nx-user-id: ${user}\r\ncontent-length: 0\r\n\r\n`);
        }
        if (inFlight.length === 0) {
          socket.end();
          resolve();
        }
      };
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const headEnd = buffer.indexOf('\r\n\r\n');
          if (headEnd < 0) break;
          const head = buffer.subarray(0, headEnd).toString('latin1');
          const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffer.length < headEnd + 4 + length) break;
          buffer = buffer.subarray(headEnd + 4 + length);
          const status = Number(head.slice(9, 12));
          latencies.push(performance.now() - (inFlight.shift() ?? 0));
          if (status === expect) ok++;
          else failed++;
        }
        send();
      });
      socket.on('error', reject);
      socket.on('connect', send);
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { ok, failed, seconds, p50: at(0.5), p99: at(0.99) };
};

const startServer = (adapter: Adapter, prefix: string): Promise<{ child: ChildProcess; address: string; eventId: string }> =>
  new Promise((resolve, reject) => {
    const main = new URL('./main.ts', import.meta.url).pathname;
    const child = fork(main, ['queue', '--serve', '--adapter', adapter, '--prefix', prefix], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    child.once('message', (m) => resolve({ child, ...(m as { address: string; eventId: string }) }));
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });

const httpJoins = async (adapter: Adapter, prefix: string, userCount: number, connections: number, depth: number): Promise<void> => {
  const { child, address, eventId } = await startServer(adapter, prefix);
  try {
    const users = Array.from({ length: userCount }, (_, i) => `user-${i}`);
    // Warm-up (JIT, connections): 10,000 other users join and poll.
    const warmUsers = Array.from({ length: 10_000 }, (_, i) => `warm-${i}`);
    const warm = await drive(address, `/events/${eventId}/queue`, 'POST', warmUsers, connections, 201, depth);
    const warmPolls = await drive(address, `/events/${eventId}/queue/me`, 'GET', warmUsers, connections, 200, depth);
    if (warm.failed + warmPolls.failed > 0) throw new Error(`${warm.failed + warmPolls.failed} warm-up requests failed`);
    const first = await drive(address, `/events/${eventId}/queue`, 'POST', users, connections, 201, depth);
    const again = await drive(address, `/events/${eventId}/queue`, 'POST', users, connections, 201, depth);
    const polls = await drive(address, `/events/${eventId}/queue/me`, 'GET', users, connections, 200, depth);
    const line = (what: string, l: Load) =>
      `  ${what.padEnd(22)} ${Math.round(l.ok / l.seconds)
        .toString()
        .padStart(
          7,
        )} req/s  (${l.ok} ok, ${l.failed} failed, ${l.seconds.toFixed(2)} s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms)`;
    console.log(`HTTP, ${adapter} queue, ${userCount} users, ${connections} keep-alive connections x ${depth} pipelined:`);
    console.log(line('POST /queue (new)', first));
    console.log(line('POST /queue (again)', again));
    console.log(line('GET /queue/me', polls));
  } finally {
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
  }
};

const simulatedHour = async (adapter: Adapter, prefix: string, admitPerMinute: number): Promise<void> => {
  const rooms = new Map<string, RoomConfig>();
  const { queue, close } = makeQueue(adapter, prefix, async (id) => rooms.get(id) ?? 'unknown-event');
  try {
    const eventId = randomUUID();
    const opensAt = Date.parse('2027-01-01T10:00:00Z');
    const config: RoomConfig = { enabled: true, opensAt, admitPerMinute, accessSeconds: 7200 };
    rooms.set(eventId, config);
    await queue.configure(eventId, config);
    const expected = admitPerMinute * 60;
    const users = Array.from({ length: Math.ceil(expected * 1.05) }, (_, i) => `sim-${i}`);
    for (let i = 0; i < users.length; i += 1000)
      await Promise.all(users.slice(i, i + 1000).map((u) => queue.join(eventId, u, opensAt - MINUTE)));
    const admittedAt: number[] = [];
    const end = opensAt + 60 * MINUTE;
    let ticks = 0;
    const started = performance.now();
    for (let now = opensAt; now <= end; now += 100 + Math.floor(Math.random() * 1400)) {
      ticks++;
      for (const _ of await queue.tick(eventId, now)) admittedAt.push(now);
    }
    for (const _ of await queue.tick(eventId, end)) admittedAt.push(end);
    const ms = performance.now() - started;
    let worst = 0;
    for (let i = 0, j = 0; i < admittedAt.length; i++) {
      while (j < admittedAt.length && (admittedAt[j] ?? Infinity) < (admittedAt[i] ?? 0) + 5000) j++;
      worst = Math.max(worst, j - i);
    }
    const err = ((admittedAt.length - expected) / expected) * 100;
    console.log(
      `Admission, ${adapter} queue, simulated hour at ${admitPerMinute}/min (${ticks} irregular ticks 100..1500 ms, run in ${Math.round(ms)} ms): ` +
        `${admittedAt.length} admitted, expected ${expected} (${err >= 0 ? '+' : ''}${err.toFixed(3)}%); ` +
        `busiest 5 s: ${worst} (rate gives ${(admitPerMinute / 12).toFixed(0)})`,
    );
  } finally {
    await close();
  }
};

const realTime = async (adapter: Adapter, prefix: string, seconds: number): Promise<void> => {
  const rooms = new Map<string, RoomConfig>();
  const loadConfig: LoadRoomConfig = async (id) => rooms.get(id) ?? 'unknown-event';
  const processes =
    adapter === 'redis'
      ? [makeQueue(adapter, prefix, loadConfig), makeQueue(adapter, prefix, loadConfig)]
      : [makeQueue(adapter, prefix, loadConfig)];
  const first = processes[0]!.queue;
  try {
    const admitPerMinute = 6000;
    const eventId = randomUUID();
    const opensAt = Date.now() + 2000;
    const config: RoomConfig = { enabled: true, opensAt, admitPerMinute, accessSeconds: 600 };
    rooms.set(eventId, config);
    await first.configure(eventId, config);
    const users = Array.from({ length: Math.ceil((admitPerMinute / 60) * seconds * 1.5) }, (_, i) => `rt-${i}`);
    for (let i = 0; i < users.length; i += 1000) await Promise.all(users.slice(i, i + 1000).map((u) => first.join(eventId, u, Date.now())));
    let admitted = 0;
    first.onAdmitted((e, ids) => {
      if (e === eventId) admitted += ids.length;
    });
    // The latest tick of any loop: admissions are due up to then, not up to when the run stops.
    let lastTick = opensAt;
    const loops = processes.map((p) =>
      startAdmissionLoop({
        queue: { ...p.queue, tickAll: (now) => p.queue.tickAll(now).finally(() => (lastTick = Math.max(lastTick, now))) },
      }),
    );
    await new Promise((r) => setTimeout(r, opensAt - Date.now() + seconds * 1000));
    await Promise.all(loops.map((l) => l.stop()));
    await new Promise((r) => setTimeout(r, 200)); // last pub/sub messages
    const elapsed = (lastTick - opensAt) / 1000;
    const expected = (admitPerMinute / 60) * elapsed;
    const err = ((admitted - expected) / expected) * 100;
    console.log(
      `Admission, ${adapter} queue, real time, ${processes.length} admission loop(s) every 250 ms at ${admitPerMinute}/min for ${elapsed.toFixed(2)} s (opening to last tick): ` +
        `${admitted} admitted, expected ${expected.toFixed(0)} (${err >= 0 ? '+' : ''}${err.toFixed(2)}%)`,
    );
  } finally {
    for (const p of processes) await p.close();
  }
};

export const run = async (args: string[]): Promise<void> => {
  const o = options(args);
  if (o.serve) {
    if (!o.adapter || !isAdapter(o.adapter)) throw new Error('--adapter must be memory or redis');
    return serve(o.adapter, o.prefix ?? '');
  }
  const userCount = int('users', o.users, 1);
  const connections = int('connections', o.connections, 1);
  const depth = int('depth', o.depth, 1);
  const seconds = int('seconds', o.seconds, 1);
  const rate = int('rate', o.rate, 1);
  const adapters = (o.adapters ?? '').split(',').filter((a) => a !== '');
  for (const a of adapters) if (!isAdapter(a)) throw new Error(`--adapters: unknown adapter ${a} (memory, redis)`);
  console.log(`queue bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
  for (const adapter of adapters as Adapter[]) {
    if (adapter === 'redis' && !process.env.REDIS_URL) {
      console.log('redis: skipped (REDIS_URL is not set)');
      continue;
    }
    const prefix = `bench:wr:${randomUUID()}:`;
    try {
      await httpJoins(adapter, prefix, userCount, connections, depth);
      await simulatedHour(adapter, prefix, rate);
      await realTime(adapter, prefix, seconds);
    } finally {
      if (adapter === 'redis') await deletePrefix(prefix);
    }
  }
};
