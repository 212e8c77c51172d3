import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../src/api/app/index.js';
import { compose } from '../src/runtime/compose/index.js';
import { loadConfig } from '../src/runtime/config/index.js';

/**
 * One file over 400 lines because it is one scenario from end to end: its
 * steps share the server child, the connections and the figures they print.
 *
 * The on-sale benchmark (issue 5), over real HTTP on loopback with RATE_LIMIT=0:
 *  1. fill: buyers over 64 keep-alive connections hold seat pairs they believe
 *     free (a live seat map fed by the SSE stream, plus what their own answers
 *     told them: their holds, and seats a 409 named) until
 *     90% of a 100,000-seat event is held: holds/s, decided requests/s, p50/p99;
 *     then an invariant check on the event's stream: no seat in two live bookings;
 *  2. the ceiling: a trivial fastify JSON route on the same machine, same client;
 *  1b. the same fill on a fresh event with `{ best: { quantity: 2 } }` (the writer picks the pair);
 *  3. seat-map reads/s and p99 for a 20,000-seat event.
 * The server is started as users start it: `npm start` (src/runtime/main.ts, ROLE=all) in a process of its
 * own, on a fresh database, loaded from this process over loopback. `--in-process` instead runs the older
 * set-up, compose() and buildApp() in a forked child (no npm, no main.ts), the second row of docs/benchmarks.md;
 * the diagnostic options below need it. Buyers are written to the users table and their tokens signed with
 * the server's JWT_SECRET: 4,000 scrypt registrations would take minutes and are not the hot path.
 * During the fill it also measures what a seat-map watcher sees: from a hold's 201 to the SSE message
 * carrying its seats, and GET /events/:id/seats of the event being filled (5 reads/s on a connection of
 * their own), and the server process's RSS.
 * The fill also prints where its time goes: writer batches, the PostgreSQL append's
 * round trip, the server's event-loop delay, and the CPU of server, client,
 * projector and PostgreSQL (Linux /proc, local PostgreSQL only).
 *
 * Options for finding the bottleneck (the defaults are the issue's set-up; all but --log-level need --in-process):
 *   --split                    API (ROLE=api) and projector (ROLE=projector) in two processes; needs NATS_URL
 *   --pause-projector          with --split: SIGSTOP the projector during the fill only (what the hold path alone does)
 *   --projector-async-commit   with --split: the projector's connections use synchronous_commit=off
 *   --projector-poll-only      with --split: the projector ignores append notifications and polls (fewer, bigger batches)
 *   --log-level info           fastify's per-request log lines (written to /dev/null)
 *   --redis                    REDIS_URL for the waiting room, rate-limit store and hold deadlines
 *   --fill 0.5 --seconds 1 --map-seats 2000   a shorter run
 *
 * maxTicketsPerUser is at most 50, and 1,000 buyers holding 90,000 seats need 90
 * each: every buyer signs in with a few accounts and moves on to the next one
 * before the limit binds.
 */

type ServeMessage =
  | { kind: 'ready'; url: string; organizerToken: string; buyerTokens: string[]; databaseUrl: string }
  | { kind: 'error'; message: string }
  | { kind: 'stats'; loopDelayP50: number; loopDelayP99: number; appends: number; appendMs: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
const processCpuSeconds = async (pid: number | undefined): Promise<number | undefined> => {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
};

/** CPU seconds used so far by the local PostgreSQL server's processes (connections that ended before are not counted). */
const postgresCpuSeconds = async (): Promise<number | undefined> => {
  try {
    let total = 0;
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
    return total;
  } catch {
    return undefined;
  }
};

/** Sum and count of a Prometheus histogram (all label sets) from a /metrics text. */
const histogram = (text: string, name: string): { sum: number; count: number } => {
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_sum`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith(`${name}_count`)) count += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { sum, count };
};

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

// ---------------------------------------------------------------- server side

type ServeMode = 'all' | 'api' | 'projector' | 'trivial';

type ServeArgs = {
  /** Diagnostic: this process's subscriptions ignore append notifications and poll (bigger, fewer projector batches). */
  readonly pollOnly: boolean;
  readonly databaseUrl: string;
  readonly natsUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly logLevel: string;
  readonly buyers: number;
  readonly mode: ServeMode;
};

const serve = async (args: ServeArgs): Promise<void> => {
  const send = (m: ServeMessage) => process.send?.(m);
  if (args.mode === 'trivial') {
    const app = Fastify({ logger: false });
    app.post('/trivial', async (request) => ({ ok: true, echo: (request.body as { n?: number } | undefined)?.n ?? 0 }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    send({ kind: 'ready', url, organizerToken: '', buyerTokens: [], databaseUrl: '' });
    process.on('disconnect', () => void app.close().then(() => process.exit(0)));
    return;
  }
  if (args.pollOnly) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the original is called back with the client as `this`
    const query = pg.Client.prototype.query as (this: pg.Client, ...a: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
      return typeof a[0] === 'string' && a[0].startsWith('LISTEN ') && !a[0].includes('reset')
        ? query.call(this, 'SELECT 1')
        : query.apply(this, a);
    } as typeof pg.Client.prototype.query;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-bench-'));
  const config = loadConfig({
    DATABASE_URL: args.databaseUrl,
    DATA_DIR: dataDir,
    RATE_LIMIT: '0',
    DEMO_DATA: '0',
    ROLE: args.mode,
    LOG_LEVEL: args.logLevel,
    ...(args.natsUrl ? { NATS_URL: args.natsUrl } : {}),
    ...(args.redisUrl ? { REDIS_URL: args.redisUrl } : {}),
    JWT_SECRET: randomBytes(32).toString('hex'),
  });
  // At info, fastify logs two lines per request: to /dev/null here, so the figure is the cost of writing them, not of a terminal.
  const log = pino({ level: config.LOG_LEVEL }, args.logLevel === 'warn' ? undefined : pino.destination('/dev/null'));
  const runtime = await compose(config, log);
  await runtime.start();
  if (args.mode === 'projector') {
    send({ kind: 'ready', url: '', organizerToken: '', buyerTokens: [], databaseUrl: args.databaseUrl });
    process.on('disconnect', () => {
      void (async () => {
        await runtime.close();
        await rm(dataDir, { recursive: true, force: true });
        process.exit(0);
      })();
    });
    return;
  }
  // What the fill's figures are made of: the append's round trip alone, and how late the event loop runs.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let appends = 0;
  let appendMs = 0;
  const append = runtime.store.append.bind(runtime.store);
  runtime.store.append = async (...a) => {
    const t0 = performance.now();
    try {
      return await append(...a);
    } finally {
      appends++;
      appendMs += performance.now() - t0;
    }
  };
  process.on('message', (m: { kind?: string }) => {
    if (m.kind === 'stats-reset') {
      loopDelay.reset();
      appends = 0;
      appendMs = 0;
    } else if (m.kind === 'stats')
      send({
        kind: 'stats',
        loopDelayP50: loopDelay.percentile(50) / 1e6,
        loopDelayP99: loopDelay.percentile(99) / 1e6,
        appends,
        appendMs,
      });
  });
  const app = await buildApp(runtime.appDeps);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const organizer = await runtime.accounts.ensureOrganizer({ email: 'bench-organizer@example.com', password: randomUUID(), name: 'Bench' });
  const buyerTokens: string[] = [];
  const ids = Array.from({ length: args.buyers }, () => randomUUID());
  await runtime.pool.query(
    `INSERT INTO users (id, email, name, role, password_hash)
     SELECT id, 'buyer-' || id || '@example.com', 'Bench buyer', 'customer', 'scrypt$0$0$0$x$x' FROM unnest($1::uuid[]) AS u(id)`,
    [ids],
  );
  for (const id of ids) buyerTokens.push(app.signToken({ id, email: `buyer-${id}@example.com`, role: 'customer' }));
  send({
    kind: 'ready',
    url,
    organizerToken: app.signToken({ id: organizer.id, email: organizer.email, role: 'organizer' }),
    buyerTokens,
    databaseUrl: args.databaseUrl,
  });
  process.on('disconnect', () => {
    void (async () => {
      await app.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
};

type StartOptions = {
  readonly natsUrl?: string | undefined;
  readonly redisUrl?: string | undefined;
  readonly logLevel?: string;
  readonly pollOnly?: boolean;
};

const startServer = (
  mode: ServeMode,
  databaseUrl: string,
  accounts: number,
  options: StartOptions = {},
): Promise<{ child: ChildProcess; ready: Extract<ServeMessage, { kind: 'ready' }> }> =>
  new Promise((resolve, reject) => {
    const argv = [
      'onsale',
      '--serve',
      mode,
      '--database-url',
      databaseUrl,
      '--accounts',
      String(accounts),
      '--log-level',
      options.logLevel ?? 'warn',
      ...(options.natsUrl ? ['--nats-url', options.natsUrl] : []),
      ...(options.redisUrl ? ['--redis-url', options.redisUrl] : []),
      ...(options.pollOnly ? ['--poll-only'] : []),
    ];
    const child = fork(join(import.meta.dirname, 'main.ts'), argv, {
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.ONSALE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ONSALE_CPU_PROF}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m: ServeMessage) => {
      if (m.kind === 'ready') resolve({ child, ready: m });
      else reject(new Error(m.kind === 'error' ? m.message : `unexpected ${m.kind} message`));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/** An HS256 token as the server's @fastify/jwt signs it (sub, email, role, iat, exp). */
const signHs256 = (secret: string, claims: Record<string, unknown>): string => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + 86_400 })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

/** The pids under `root` (npm → sh → node), from /proc. */
const descendants = async (root: number): Promise<number[]> => {
  const parents = new Map<number, number>();
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(pid), ppid);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents)
      if (parent === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(root);
  return out;
};

const rssMb = async (pid: number | undefined): Promise<number | undefined> => {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
};

/** The server among npm's descendants (npm → sh → tsx → node, and esbuild): the one with the most memory. */
const serverProcess = async (root: number): Promise<number | undefined> => {
  let best: { pid: number; rss: number } | undefined;
  for (const pid of await descendants(root)) {
    const rss = (await rssMb(pid)) ?? 0;
    if (!best || rss > best.rss) best = { pid, rss };
  }
  return best?.pid;
};

/**
 * `npm start` in a process group of its own, as a user runs it; ready once /health answers. Returns the
 * npm process and the server's node process (the one to measure).
 */
const startNpmServer = async (databaseUrl: string, accounts: number, logLevel: string) => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-bench-'));
  const jwtSecret = randomBytes(32).toString('hex');
  const admin = { email: 'bench-organizer@example.com', password: randomUUID() };
  const child = spawn('npm', ['start'], {
    cwd: join(import.meta.dirname, '..'),
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      ROLE: 'all',
      RATE_LIMIT: '0',
      DEMO_DATA: '0',
      LOG_LEVEL: logLevel,
      JWT_SECRET: jwtSecret,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const api = client(url, 1);
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // the group is gone already
    }
  };
  const stop = async () => {
    if (running()) {
      const exited = new Promise((r) => child.once('exit', r));
      signal('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      if (running()) signal('SIGKILL');
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (!running()) throw new Error(`npm start exited (${child.exitCode ?? child.signalCode})`);
      if (i > 600) throw new Error('npm start: no /health after 120 s');
      const up = await api.call('GET', '/health').catch(() => undefined);
      if (up?.status === 200) break;
      await sleep(200);
    }
    const login = await api.call('POST', '/auth/login', admin);
    if (login.status !== 200) throw new Error(`POST /auth/login: ${login.status} ${login.body}`);
    const ids = Array.from({ length: accounts }, () => randomUUID());
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(
      `INSERT INTO users (id, email, name, role, password_hash)
       SELECT id, 'buyer-' || id || '@example.com', 'Bench buyer', 'customer', 'scrypt$0$0$0$x$x' FROM unnest($1::uuid[]) AS u(id)`,
      [ids],
    );
    await c.end();
    const buyerTokens = ids.map((id) => signHs256(jwtSecret, { sub: id, email: `buyer-${id}@example.com`, role: 'customer' }));
    return { url, organizerToken: (JSON.parse(login.body) as { token: string }).token, buyerTokens, root: child.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    api.close();
  }
};

const stopServer = async (child: ChildProcess): Promise<void> => {
  const exited = new Promise((r) => child.once('exit', r));
  child.disconnect();
  await Promise.race([exited, sleep(20_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
};

// ---------------------------------------------------------------- client side

type Reply = { status: number; body: string; headers: IncomingMessage['headers'] };

const client = (base: string, connections: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const u = new URL(base);
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        {
          agent,
          host: u.hostname,
          port: u.port,
          method,
          path,
          headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
};

/** The buyers' picture of the seat map: an SSE client applying snapshot and deltas, plus their own holds. */
const liveMap = (base: string, eventId: string) => {
  const rows: { section: string; label: string; seats: Uint8Array }[] = [];
  const index = new Map<string, { seats: Uint8Array; rowNo: number }>();
  let version = -1;
  let ready!: () => void;
  const loaded = new Promise<void>((r) => (ready = r));
  const apply = (changes: Record<string, string>) => {
    for (const [seat, status] of Object.entries(changes)) {
      const [s, l, n] = seat.split('-');
      const row = index.get(`${s}-${l}`);
      if (row) row.seats[Number(n) - 1] = status.charCodeAt(0);
    }
  };
  const req = httpRequest(`${base}/events/${eventId}/seats/stream`, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('');
        if (event === 'snapshot') {
          const map = JSON.parse(data) as {
            version: number;
            sections: { id: string; kind: string; rows?: { label: string; seats: string }[] }[];
          };
          rows.length = 0;
          index.clear();
          for (const s of map.sections)
            for (const r of s.rows ?? []) {
              const seats = Buffer.from(r.seats, 'latin1');
              index.set(`${s.id}-${r.label}`, { seats, rowNo: rows.length });
              rows.push({ section: s.id, label: r.label, seats });
            }
          version = map.version;
          ready();
        } else if (event === 'seats') {
          const d = JSON.parse(data) as { version: number; changes: Record<string, string> };
          const now = performance.now();
          for (const seat of Object.keys(d.changes)) {
            const at = awaiting.get(seat);
            if (at === undefined) continue;
            awaiting.delete(seat);
            lags.push(now - at);
          }
          if (d.version > version) {
            apply(d.changes);
            version = d.version;
          }
        }
      }
    });
  });
  req.end();
  const A = 65;
  /**
   * A random pair believed free; undefined when none is left. Nothing is marked
   * here: like real buyers, two connections may pick the same pair before the
   * stream shows either hold, and one of them gets a 409.
   */
  const pickPair = (): [string, string] | undefined => {
    const pairAt = (row: (typeof rows)[number], i: number): [string, string] => [
      `${row.section}-${row.label}-${i + 1}`,
      `${row.section}-${row.label}-${i + 2}`,
    ];
    for (let attempt = 0; attempt < 64; attempt++) {
      const row = rows[Math.floor(Math.random() * rows.length)];
      if (!row) return undefined;
      const n = row.seats.length;
      const start = Math.floor(Math.random() * n);
      for (let k = 0; k < n - 1; k++) {
        const i = (start + k) % (n - 1);
        if (row.seats[i] === A && row.seats[i + 1] === A) return pairAt(row, i);
      }
    }
    for (const row of rows)
      for (let i = 0; i + 1 < row.seats.length; i++) if (row.seats[i] === A && row.seats[i + 1] === A) return pairAt(row, i);
    return undefined;
  };
  /** What a buyer learns from an answer: its own hold, or seats someone else has. */
  const markHeld = (seatIds: readonly string[]) => apply(Object.fromEntries(seatIds.map((id) => [id, 'H'])));
  /** This client's own holds: when their 201 came, until the stream shows them. */
  const awaiting = new Map<string, number>();
  const lags: number[] = [];
  const ownHold = (seatIds: readonly string[]) => {
    markHeld(seatIds);
    const at = performance.now();
    for (const id of seatIds) awaiting.set(id, at);
  };
  return { loaded, pickPair, markHeld, ownHold, lags: () => lags, close: () => req.destroy(), version: () => version };
};

const layoutOf = (seats: number, sections: number, rowsPer: number) => {
  const perRow = Math.ceil(seats / (sections * rowsPer));
  return {
    sections: Array.from({ length: sections }, (_, s) => ({
      id: `S${s + 1}`,
      name: `Block ${s + 1}`,
      kind: 'seated' as const,
      rows: Array.from({ length: rowsPer }, (_, r) => ({ label: String(r + 1), seats: perRow })),
    })),
  };
};

const createEvent = async (api: ReturnType<typeof client>, organizerToken: string, seats: number, sections: number, rowsPer: number) => {
  const auth = { authorization: `Bearer ${organizerToken}` };
  const layout = layoutOf(seats, sections, rowsPer);
  const venue = await api.call(
    'POST',
    '/venues',
    {
      name: 'Bench Stadium',
      address: '1 Bench Rd',
      city: 'Leeds',
      country: 'GB',
      location: { lat: 53.8, lng: -1.55 },
      timezone: 'Europe/London',
      layout,
    },
    auth,
  );
  if (venue.status !== 201) throw new Error(`POST /venues: ${venue.status} ${venue.body}`);
  const venueId = (JSON.parse(venue.body) as { id: string; capacity: number }).id;
  const event = await api.call(
    'POST',
    '/events',
    {
      venueId,
      name: 'Bench On-sale',
      category: 'music',
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      currency: 'GBP',
      sectionPrices: Object.fromEntries(layout.sections.map((s) => [s.id, 5000])),
      onSaleAt: new Date(Date.now() - 60_000).toISOString(),
      holdSeconds: 1800,
      maxTicketsPerUser: 50,
    },
    auth,
  );
  if (event.status !== 201) throw new Error(`POST /events: ${event.status} ${event.body}`);
  const e = JSON.parse(event.body) as { id: string; capacity: number };
  return { eventId: e.id, capacity: e.capacity };
};

const waitForSeatMap = async (api: ReturnType<typeof client>, eventId: string) => {
  for (let i = 0; i < 600; i++) {
    const r = await api.call('GET', `/events/${eventId}/seats`);
    if (r.status === 200) return;
    await sleep(100);
  }
  throw new Error('the seat map never appeared');
};

/** Runs `connections` request loops for `seconds`; returns req/s and latency quantiles. */
const closedLoop = async (connections: number, seconds: number, once: () => Promise<boolean>) => {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        const good = await once();
        latencies.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: ok / elapsed, ok, failed, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
};

const freshBenchDatabase = async (serverUrl: string) => {
  const name = `marquee_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

/** No seat in two live bookings: folds the event's stream (SeatsHeld takes, HoldReleased frees). */
const checkInvariant = async (databaseUrl: string, eventId: string) => {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query<{ type: string; data: { bookingId: string; seats?: string[] } }>(
      'SELECT type, data FROM event_store.events WHERE stream = $1 ORDER BY version',
      [`event-${eventId}`],
    );
    const owner = new Map<string, string>();
    let violations = 0;
    let held = 0;
    for (const row of r.rows) {
      if (row.type === 'SeatsHeld') {
        for (const seat of row.data.seats ?? []) {
          if (owner.has(seat)) violations++;
          owner.set(seat, row.data.bookingId);
        }
        held += row.data.seats?.length ?? 0;
      } else if (row.type === 'HoldReleased') {
        for (const seat of row.data.seats ?? []) if (owner.get(seat) === row.data.bookingId) owner.delete(seat);
      }
    }
    return { events: r.rows.length, seatsHeld: held, liveSeats: owner.size, violations };
  } finally {
    await c.end();
  }
};

/**
 * Buyers that name no seats: each asks for the best available pair and the
 * event's writer picks it, so there is nothing to race for and no 409 until
 * the house is full.
 */
const fillBestAvailable = async (
  api: ReturnType<typeof client>,
  organizerToken: string,
  accounts: readonly string[],
  buyers: number,
  perBuyer: number,
  connections: number,
  seats: number,
  fill: number,
) => {
  const { eventId, capacity } = await createEvent(api, organizerToken, seats, 50, 40);
  const target = Math.ceil(capacity * fill);
  const buyerState = Array.from({ length: buyers }, (_, i) => ({ account: i * perBuyer, heldOnAccount: 0 }));
  let nextBuyer = 0;
  let seatsHeld = 0;
  let holds = 0;
  let conflicts = 0;
  let other = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (seatsHeld < target && conflicts < 1000) {
        const buyer = buyerState[nextBuyer++ % buyers]!;
        if (buyer.heldOnAccount >= 50 - 2) {
          buyer.account++;
          buyer.heldOnAccount = 0;
        }
        const token = accounts[buyer.account % accounts.length]!;
        const t0 = performance.now();
        const r = await api.call('POST', `/events/${eventId}/bookings`, { best: { quantity: 2 } }, { authorization: `Bearer ${token}` });
        latencies.push(performance.now() - t0);
        if (r.status === 201) {
          holds++;
          seatsHeld += 2;
          buyer.heldOnAccount += 2;
        } else if (r.status === 409) conflicts++;
        else other++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    eventId,
    capacity,
    seatsHeld,
    holds,
    conflicts,
    other,
    seconds: (performance.now() - started) / 1000,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
};

export const run = async (argv: string[]): Promise<void> => {
  const { values } = parseArgs({
    args: argv,
    options: {
      serve: { type: 'string' },
      'nats-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
      redis: { type: 'boolean', default: false },
      split: { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
      'pause-projector': { type: 'boolean', default: false },
      'projector-async-commit': { type: 'boolean', default: false },
      'projector-poll-only': { type: 'boolean', default: false },
      'poll-only': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      accounts: { type: 'string', default: '4000' },
      seats: { type: 'string', default: '100000' },
      buyers: { type: 'string', default: '1000' },
      'accounts-per-buyer': { type: 'string', default: '4' },
      connections: { type: 'string', default: '64' },
      fill: { type: 'string', default: '0.9' },
      'map-seats': { type: 'string', default: '20000' },
      seconds: { type: 'string', default: '10' },
    },
  });
  const databaseServer = values['database-url'] ?? process.env.DATABASE_URL;
  if (values.serve) {
    const modes: readonly ServeMode[] = ['all', 'api', 'projector', 'trivial'];
    const mode = modes.find((m) => m === values.serve);
    if (!mode) throw new Error(`--serve must be one of ${modes.join(', ')}`);
    await serve({
      databaseUrl: databaseServer ?? '',
      natsUrl: values['nats-url'],
      redisUrl: values['redis-url'],
      logLevel: values['log-level'],
      pollOnly: values['poll-only'],
      buyers: Number(values.accounts),
      mode,
    });
    await new Promise(() => undefined);
    return;
  }
  if (!databaseServer) throw new Error('set DATABASE_URL (a PostgreSQL server the bench may create a database on)');
  const seats = Number(values.seats);
  const buyers = Number(values.buyers);
  const perBuyer = Number(values['accounts-per-buyer']);
  const connections = Number(values.connections);
  const fill = Number(values.fill);
  const seconds = Number(values.seconds);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `on-sale bench: ${cpus().length} CPUs (${cpu}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${seats} seats, ${buyers} buyers (${perBuyer} accounts each), ${connections} keep-alive connections, fill to ${fill * 100}%`,
  );

  const natsUrl = process.env.NATS_URL;
  const inProcess = values['in-process'];
  for (const o of ['split', 'pause-projector', 'projector-async-commit', 'projector-poll-only', 'redis'] as const)
    if (values[o] && !inProcess) throw new Error(`--${o} needs --in-process`);
  if (values['pause-projector'] && !values.split) throw new Error('--pause-projector needs --split');
  if (values.split && !natsUrl)
    throw new Error('--split needs NATS_URL (the seat-map deltas cross from the projector process to the API process)');
  console.log(
    !inProcess
      ? 'server: `npm start` (ROLE=all) in its own process, as users start it'
      : values.split
        ? 'server (in-process set-up): an API process (ROLE=api) and a projector process (ROLE=projector), NATS bus'
        : 'server (in-process set-up): compose() + buildApp() in a forked child (ROLE=all)',
  );

  const db = await freshBenchDatabase(databaseServer);
  const redisUrl = values.redis ? process.env.REDIS_URL : undefined;
  if (values.redis && !redisUrl) throw new Error('--redis needs REDIS_URL');
  const logLevel = values['log-level'];
  console.log(`server log level ${logLevel}${redisUrl ? ', Redis (waiting room, rate-limit store, hold deadlines)' : ''}`);
  // The projector writes only derived data with its checkpoint in the same transaction, so it may skip waiting for the WAL flush.
  const projectorUrl = values['projector-async-commit'] ? `${db.url}?options=${encodeURIComponent('-c synchronous_commit=off')}` : db.url;
  if (values['projector-async-commit'] && !values.split) throw new Error('--projector-async-commit needs --split');
  if (values['projector-poll-only'] && !values.split) throw new Error('--projector-poll-only needs --split');
  if (values['projector-poll-only']) console.log('projector subscriptions: no LISTEN, polling every 300 ms');
  if (values['projector-async-commit']) console.log('projector connections: synchronous_commit=off');
  const projectorProcess = values.split
    ? await startServer('projector', projectorUrl, 0, { natsUrl, redisUrl, logLevel, pollOnly: values['projector-poll-only'] })
    : undefined;
  const forked = inProcess
    ? await startServer(values.split ? 'api' : 'all', db.url, buyers * perBuyer, {
        ...(values.split ? { natsUrl } : {}),
        redisUrl,
        logLevel,
      })
    : undefined;
  const npm = forked ? undefined : await startNpmServer(db.url, buyers * perBuyer, logLevel);
  const child = forked?.child;
  const ready = forked?.ready ?? npm!;
  const serverPid = child ? child.pid : await serverProcess(npm!.root);
  const api = client(ready.url, connections + 4);
  try {
    // ---------------- 1. fill
    const { eventId, capacity } = await createEvent(api, ready.organizerToken, seats, 50, 40);
    await waitForSeatMap(api, eventId);
    const map = liveMap(ready.url, eventId);
    await map.loaded;
    const target = Math.ceil(capacity * fill);
    const accounts = ready.buyerTokens;
    const buyerState = Array.from({ length: buyers }, (_, i) => ({ account: i * perBuyer, heldOnAccount: 0 }));
    let nextBuyer = 0;
    let seatsHeld = 0;
    let holds = 0;
    let conflicts = 0;
    let other = 0;
    const latencies: number[] = [];
    const otherStatuses = new Map<number, number>();
    const metricsBefore = (await api.call('GET', '/metrics')).body;
    const serverCpuBefore = await processCpuSeconds(serverPid);
    const projectorCpuBefore = await processCpuSeconds(projectorProcess?.child.pid);
    const postgresCpuBefore = await postgresCpuSeconds();
    const clientCpuBefore = process.cpuUsage();
    child?.send({ kind: 'stats-reset' });
    // Diagnostic: the fill without the projector's load on PostgreSQL and the CPUs (the live map then learns only from answers).
    if (values['pause-projector'] && projectorProcess) projectorProcess.child.kill('SIGSTOP');
    const started = performance.now();
    let lastHeldAt = started;
    let filling = true;
    const seatReads: number[] = [];
    const reader = client(ready.url, 1);
    const readLoop = (async () => {
      while (filling) {
        const t0 = performance.now();
        await reader.call('GET', `/events/${eventId}/seats`);
        seatReads.push(performance.now() - t0);
        await sleep(200);
      }
    })();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (seatsHeld < target) {
          const buyer = buyerState[nextBuyer++ % buyers]!;
          if (buyer.heldOnAccount >= 50 - 2) {
            buyer.account++;
            buyer.heldOnAccount = 0;
          }
          const token = accounts[buyer.account % accounts.length]!;
          const pair = map.pickPair();
          if (!pair) {
            // No pair left in the picture: wait for the map to catch up, and give up when it stays so.
            if (performance.now() - lastHeldAt > 10_000) break;
            await sleep(20);
            continue;
          }
          const t0 = performance.now();
          const r = await api.call('POST', `/events/${eventId}/bookings`, { seats: pair }, { authorization: `Bearer ${token}` });
          latencies.push(performance.now() - t0);
          if (r.status === 201) {
            lastHeldAt = performance.now();
            map.ownHold(pair);
            holds++;
            seatsHeld += 2;
            buyer.heldOnAccount += 2;
          } else if (r.status === 409) {
            conflicts++;
            map.markHeld((JSON.parse(r.body) as { unavailable?: string[] }).unavailable ?? pair);
          } else {
            other++;
            otherStatuses.set(r.status, (otherStatuses.get(r.status) ?? 0) + 1);
          }
        }
      }),
    );
    const fillSeconds = (performance.now() - started) / 1000;
    filling = false;
    await readLoop;
    reader.close();
    const fillRss = await rssMb(serverPid);
    if (values['pause-projector'] && projectorProcess) projectorProcess.child.kill('SIGCONT');
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuAfter = await processCpuSeconds(serverPid);
    const projectorCpuAfter = await processCpuSeconds(projectorProcess?.child.pid);
    const postgresCpuAfter = await postgresCpuSeconds();
    const metricsAfter = (await api.call('GET', '/metrics')).body;
    const serverStats = child
      ? await new Promise<Extract<ServeMessage, { kind: 'stats' }>>((resolve) => {
          const on = (m: ServeMessage) => {
            if (m.kind !== 'stats') return;
            child.off('message', on);
            resolve(m);
          };
          child.on('message', on);
          child.send({ kind: 'stats' });
        })
      : undefined;
    const delta = (name: string) => {
      const a = histogram(metricsAfter, name);
      const b = histogram(metricsBefore, name);
      return { sum: a.sum - b.sum, count: a.count - b.count };
    };
    const batchSeconds = delta('marquee_writer_batch_seconds');
    const batchCommands = delta('marquee_writer_batch_commands');
    map.close();
    latencies.sort((a, b) => a - b);
    const invariant = await checkInvariant(db.url, eventId);
    console.log('\n1. fill (POST /events/:id/bookings, pairs believed free from the live SSE seat map)');
    console.log(
      `   held ${seatsHeld} of ${capacity} seats in ${fillSeconds.toFixed(1)} s: ${holds} holds, ${conflicts} 409s, ${other} other ${JSON.stringify(Object.fromEntries(otherStatuses))}`,
    );
    console.log(`   holds/s ${(holds / fillSeconds).toFixed(0)}, decided requests/s ${((holds + conflicts) / fillSeconds).toFixed(0)}`);
    console.log(`   latency p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms`);
    console.log(
      `   invariant: ${invariant.events} events, ${invariant.liveSeats} seats in live bookings, ${invariant.violations} seats in two bookings ${invariant.violations === 0 ? '(ok)' : '(VIOLATED)'}`,
    );
    console.log(
      `   writer: ${batchSeconds.count} batches, ${(batchCommands.sum / Math.max(1, batchCommands.count)).toFixed(1)} commands/batch, ${((batchSeconds.sum / Math.max(1, batchSeconds.count)) * 1000).toFixed(1)} ms/batch (decide + append)`,
    );
    if (serverStats)
      console.log(
        `   PostgreSQL append round trip ${(serverStats.appendMs / Math.max(1, serverStats.appends)).toFixed(1)} ms (${serverStats.appends} appends); server event-loop delay p50 ${serverStats.loopDelayP50.toFixed(1)} ms, p99 ${serverStats.loopDelayP99.toFixed(1)} ms`,
      );
    const lags = map.lags().sort((a, b) => a - b);
    console.log(
      `   seat-map SSE, a hold's 201 to the message with its seats: p50 ${quantile(lags, 0.5).toFixed(1)} ms, p99 ${quantile(lags, 0.99).toFixed(1)} ms (${lags.length} seats seen)`,
    );
    seatReads.sort((a, b) => a - b);
    console.log(
      `   GET /events/:id/seats of this event during the fill: p50 ${quantile(seatReads, 0.5).toFixed(1)} ms, p99 ${quantile(seatReads, 0.99).toFixed(1)} ms (${seatReads.length} reads); server RSS ${fillRss?.toFixed(0) ?? 'n/a'} MB after the fill`,
    );
    console.log(
      `   CPU during the fill: server ${serverCpuBefore !== undefined && serverCpuAfter !== undefined ? `${(((serverCpuAfter - serverCpuBefore) / fillSeconds) * 100).toFixed(0)}%` : 'n/a'}, client ${(((clientCpu.user + clientCpu.system) / 1e6 / fillSeconds) * 100).toFixed(0)}% of one core${
        projectorCpuBefore !== undefined && projectorCpuAfter !== undefined
          ? `, projector process ${(((projectorCpuAfter - projectorCpuBefore) / fillSeconds) * 100).toFixed(0)}%`
          : ''
      }${
        postgresCpuBefore !== undefined && postgresCpuAfter !== undefined && postgresCpuAfter > 0
          ? `, PostgreSQL ${(((postgresCpuAfter - postgresCpuBefore) / fillSeconds) * 100).toFixed(0)}%`
          : ''
      }`,
    );
    if (invariant.liveSeats !== seatsHeld)
      console.log(`   note: the stream has ${invariant.liveSeats} live seats, the client counted ${seatsHeld}`);
    const holdsPerSecond = holds / fillSeconds;

    // ---------------- 1b. the same fill asking for the best available pair instead of naming one
    const bestFill = await fillBestAvailable(api, ready.organizerToken, accounts, buyers, perBuyer, connections, seats, fill);
    const bestInvariant = await checkInvariant(db.url, bestFill.eventId);
    console.log('\n1b. best-available fill (POST /events/:id/bookings with { best: { quantity: 2 } }, a fresh event of the same size)');
    console.log(
      `   held ${bestFill.seatsHeld} of ${bestFill.capacity} seats in ${bestFill.seconds.toFixed(1)} s: ${bestFill.holds} holds, ${bestFill.conflicts} 409s, ${bestFill.other} other`,
    );
    console.log(
      `   best-available holds/s ${(bestFill.holds / bestFill.seconds).toFixed(0)} beside named-seat holds/s ${holdsPerSecond.toFixed(0)} (1.)`,
    );
    console.log(`   latency p50 ${bestFill.p50.toFixed(1)} ms, p99 ${bestFill.p99.toFixed(1)} ms`);
    console.log(
      `   invariant: ${bestInvariant.events} events, ${bestInvariant.liveSeats} seats in live bookings, ${bestInvariant.violations} seats in two bookings ${bestInvariant.violations === 0 ? '(ok)' : '(VIOLATED)'}`,
    );

    // ---------------- 3. seat-map reads (same server)
    const small = await createEvent(api, ready.organizerToken, Number(values['map-seats']), 20, 25);
    await waitForSeatMap(api, small.eventId);
    const reads = await closedLoop(
      connections,
      seconds,
      async () => (await api.call('GET', `/events/${small.eventId}/seats`)).status === 200,
    );
    const etag = (await api.call('GET', `/events/${small.eventId}/seats`)).headers.etag ?? '';
    const revalidate = await closedLoop(
      connections,
      seconds,
      async () => (await api.call('GET', `/events/${small.eventId}/seats`, undefined, { 'if-none-match': etag })).status === 304,
    );

    api.close();
    if (child) await stopServer(child);
    else await npm?.stop();
    if (projectorProcess) await stopServer(projectorProcess.child);

    // ---------------- 2. ceiling
    const trivial = await startServer('trivial', '', 0);
    const tclient = client(trivial.ready.url, connections);
    const ceiling = await closedLoop(connections, seconds, async () => (await tclient.call('POST', '/trivial', { n: 1 })).status === 200);
    tclient.close();
    await stopServer(trivial.child);

    console.log('\n2. ceiling: a trivial fastify POST JSON route, same client and connections');
    console.log(`   ${ceiling.perSecond.toFixed(0)} req/s, p50 ${ceiling.p50.toFixed(1)} ms, p99 ${ceiling.p99.toFixed(1)} ms`);
    console.log(`   holds/s as a share of the ceiling: ${((holdsPerSecond / ceiling.perSecond) * 100).toFixed(1)}%`);
    console.log(`\n3. seat-map reads, ${small.capacity}-seat event (GET /events/:id/seats, full body)`);
    console.log(
      `   ${reads.perSecond.toFixed(0)} reads/s, p50 ${reads.p50.toFixed(1)} ms, p99 ${reads.p99.toFixed(1)} ms (${reads.failed} failed)`,
    );
    console.log(
      `   revalidations with the current ETag (304): ${revalidate.perSecond.toFixed(0)}/s, p50 ${revalidate.p50.toFixed(1)} ms, p99 ${revalidate.p99.toFixed(1)} ms`,
    );
  } finally {
    api.close();
    if (child && child.exitCode === null && child.connected) await stopServer(child);
    if (npm) await npm.stop();
    if (projectorProcess && projectorProcess.child.exitCode === null && projectorProcess.child.connected)
      await stopServer(projectorProcess.child);
    await db.drop().catch(() => undefined);
  }
};
