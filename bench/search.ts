import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pgSearchIndex, type SearchQuery } from '../src/projections/search/index.js';
import { ensureEmbeddedPostgres } from '../src/runtime/postgres/index.js';
import { rng, samples, typo, type Samples } from './search-index.js';
import { scratchDatabase } from './support.js';

/**
 * `npm run bench -- search [--events 100000] [--seconds 20] [--connections 16,64] [--autovacuum-off] [--idle-timeout 1800] [--keep]`
 *
 * Search as users meet it. Starts the server as `npm start` does (its own
 * process, tsx src/runtime/main.ts) on a scratch database, seeds it through
 * the CLI (`marquee seed --synthetic <n>`, another process) and times how long
 * until the search projection holds every event. Then loads it from this
 * process over HTTP with the mix of docs/benchmarks.md and, in the same run,
 * sends the same queries straight to PostgreSQL (the search index's own
 * statements, no HTTP): the "bare SQL" row, the ceiling to compare with.
 *
 * The database is a scratch one on DATABASE_URL's server, or with
 * --autovacuum-off a PostgreSQL of the bench's own (the embedded server, in a
 * temporary directory, started with autovacuum = off), so that the read side
 * is measured right after a bulk load, with no statistics but its own.
 */

type Options = {
  events: number;
  seconds: number;
  warmup: number;
  connections: number[];
  autovacuumOff: boolean;
  keep: boolean;
  seedConcurrency: number | undefined;
  idleTimeout: number;
};

const parse = (args: readonly string[]): Options => {
  const o: Options = {
    events: 100_000,
    seconds: 20,
    warmup: 3,
    connections: [16, 64],
    autovacuumOff: false,
    keep: false,
    seedConcurrency: undefined,
    idleTimeout: 1800,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): number => {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--events') o.events = value();
    else if (a === '--seconds') o.seconds = value();
    else if (a === '--warmup') o.warmup = value();
    else if (a === '--seed-concurrency') o.seedConcurrency = value();
    else if (a === '--idle-timeout') o.idleTimeout = value();
    else if (a === '--connections')
      o.connections = (args[++i] ?? '')
        .split(',')
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0);
    else if (a === '--autovacuum-off') o.autovacuumOff = true;
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a}; see bench/search.ts`);
  }
  if (o.connections.length === 0) throw new Error('--connections needs a comma-separated list of numbers');
  return o;
};

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const load = (): string =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;

const freePort = async (): Promise<number> => {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  s.close();
  return port;
};

const tsx = (script: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess =>
  spawn(process.execPath, [join('node_modules', 'tsx', 'dist', 'cli.mjs'), script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const exited = (child: ChildProcess): Promise<number> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : once(child, 'exit').then(([code]) => (code as number | null) ?? 1);

type Target = { url: string; close(): Promise<void>; description: string };

/** The database the server and the seed use. */
const target = async (o: Options, dir: string): Promise<Target> => {
  if (!o.autovacuumOff) {
    const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const db = await scratchDatabase(server);
    return { url: db.url, close: () => db.drop(), description: `scratch database on ${new URL(server).host}` };
  }
  const dataDir = join(dir, 'pg');
  const embedded = await ensureEmbeddedPostgres({ dataDir });
  const query = async (sql: string): Promise<string | undefined> => {
    const c = new pg.Client({ connectionString: embedded.url });
    await c.connect();
    try {
      return (await c.query<{ v?: string; autovacuum?: string }>(sql)).rows[0]?.autovacuum;
    } finally {
      await c.end();
    }
  };
  // The bench's own server: the machine's PostgreSQL is never reconfigured.
  await query('ALTER SYSTEM SET autovacuum = off');
  await query('SELECT pg_reload_conf()');
  let setting: string | undefined;
  for (let i = 0; i < 50 && setting !== 'off'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    setting = await query('SHOW autovacuum');
  }
  if (setting !== 'off') throw new Error('the embedded PostgreSQL did not turn autovacuum off');
  return { url: embedded.url, close: () => embedded.stop(), description: `embedded PostgreSQL in ${dataDir}, autovacuum ${setting}` };
};

const getStatus = (agent: http.Agent, port: number, path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

/** The server's count of browse and search answers by source (index, cache, not-modified), from /metrics. */
const answerSources = (port: number): Promise<Record<string, number>> =>
  new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const out: Record<string, number> = {};
          for (const m of text.matchAll(/^marquee_search_answers_total\{source="([^"]+)"\} (\d+)/gm)) out[m[1] as string] = Number(m[2]);
          resolve(out);
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });

const startServer = async (url: string, dir: string): Promise<{ port: number; child: ChildProcess; logFile: string }> => {
  const port = await freePort();
  const logFile = join(dir, 'server.log');
  const child = tsx('src/runtime/main.ts', [], {
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    RATE_LIMIT: '0',
    LOG_LEVEL: 'info',
  });
  const out = createWriteStream(logFile);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const agent = new http.Agent({ keepAlive: false });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    if ((await getStatus(agent, port, '/events?pageSize=1').catch(() => 0)) === 200) return { port, child, logFile };
    if (Date.now() > deadline) throw new Error(`the server did not answer within 120 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const searchable = async (pool: pg.Pool): Promise<number> => {
  const r = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM search_events`).catch(() => ({ rows: [{ n: '0' }] }));
  return Number(r.rows[0]?.n ?? 0);
};

/** Seeds through the CLI; resolves when the seed has exited and the search projection holds every event. */
const seed = async (o: Options, url: string, pool: pg.Pool, start: Date): Promise<void> => {
  const t0 = performance.now();
  const child = tsx(
    'src/cli/main.ts',
    [
      'seed',
      '--synthetic',
      String(o.events),
      '--start',
      start.toISOString().slice(0, 10),
      ...(o.seedConcurrency ? ['--concurrency', String(o.seedConcurrency)] : []),
    ],
    { DATABASE_URL: url, LOG_LEVEL: 'warn' },
  );
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  let appended: number | undefined;
  const seedExit = exited(child).then((code) => {
    appended = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`marquee seed exited with ${code}`);
  });
  let failure: Error | undefined;
  seedExit.catch((e: unknown) => (failure = e instanceof Error ? e : new Error('marquee seed failed', { cause: e })));
  let lastReport = 0;
  for (;;) {
    if (failure !== undefined) throw failure;
    const n = await searchable(pool);
    const s = (performance.now() - t0) / 1000;
    if (s - lastReport >= 10) {
      process.stderr.write(`bench: ${n} events searchable after ${s.toFixed(0)} s (${load()})\n`);
      lastReport = s;
    }
    if (n >= o.events) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await seedExit;
  const total = (performance.now() - t0) / 1000;
  say(
    `seed: ${o.events} events appended by the CLI in ${appended?.toFixed(1)} s (${Math.round(o.events / (appended ?? total))} events/s); ` +
      `all searchable ${total.toFixed(1)} s after the seed started (${Math.round(o.events / total)} events/s end to end; ${load()})`,
  );
  // The other read models (seat maps, catalogue, ...) catch up too: the load rows run once the
  // projector is idle, so they measure reads rather than reads competing with the catch-up.
  let last = '';
  let still = performance.now();
  for (;;) {
    const r = await pool.query<{ at: string }>(
      `SELECT string_agg(name || ':' || coalesce(prepare::text, ''), ',' ORDER BY name) AS at FROM projection_checkpoints`,
    );
    const at = r.rows[0]?.at ?? '';
    if (at !== last) {
      last = at;
      still = performance.now();
    } else if (performance.now() - still > 5_000) break;
    if ((performance.now() - t0) / 1000 > o.idleTimeout) {
      say(`the projector was still catching up ${o.idleTimeout} s after the seed started: loading anyway (${load()})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`every projection idle ${((still - t0) / 1000).toFixed(1)} s after the seed started (${load()})`);
};

type Kind = 'keyword' | 'typo' | 'radius' | 'date';
type Planned = { kind: Kind; path: string; query: (now: Date) => SearchQuery };

/** 30% performer keywords, 20% the same with two letters swapped, 30% near a city at 10/25/50 km, 20% seven-day windows (half with a category). */
const queryMix = (s: Samples, start: Date, days: number, count: number): Planned[] => {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: Planned[] = [];
  const page = { page: 1, pageSize: 20 } as const;
  for (let i = 0; i < count; i++) {
    const x = r();
    if (x < 0.5) {
      const kind: Kind = x < 0.3 ? 'keyword' : 'typo';
      const performer = pick(s.performers);
      const q = kind === 'typo' ? typo(performer) : performer;
      out.push({
        kind,
        path: `/events/search?q=${encodeURIComponent(q)}`,
        query: (now) => ({ q, sort: 'relevance', from: now.toISOString(), ...page }),
      });
    } else if (x < 0.8) {
      const c = pick(s.cities);
      const radiusKm = pick([10, 25, 50]);
      out.push({
        kind: 'radius',
        path: `/events?near=${c.lat},${c.lng}&radiusKm=${radiusKm}`,
        query: (now) => ({ near: { lat: c.lat, lng: c.lng }, radiusKm, sort: 'distance', from: now.toISOString(), ...page }),
      });
    } else {
      const from = new Date(start.getTime() + Math.floor(r() * Math.max(1, days - 7)) * 86_400_000).toISOString();
      const to = new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
      const category = r() < 0.5 ? pick(s.categories) : undefined;
      out.push({
        kind: 'date',
        path: `/events?from=${from}&to=${to}${category ? `&category=${category}` : ''}`,
        query: () => ({ from, to, sort: 'startsAt', ...(category ? { category } : {}), ...page }),
      });
    }
  }
  return out;
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

type Row = { label: string; latencies: Record<Kind, number[]>; errors: number; seconds: number };

/** Runs `send` from `connections` workers over the mix for warmup + seconds; records the timed part. */
const drive = async (
  label: string,
  mix: readonly Planned[],
  connections: number,
  o: Options,
  send: (q: Planned) => Promise<boolean>,
): Promise<Row> => {
  const latencies: Record<Kind, number[]> = { keyword: [], typo: [], radius: [], date: [] };
  let errors = 0;
  let next = 0;
  const phase = async (until: number, record: boolean): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (performance.now() < until) {
        const q = mix[next++ % mix.length] as Planned;
        const t = performance.now();
        const ok = await send(q).catch(() => false);
        if (!ok) errors++;
        if (record) latencies[q.kind].push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
  };
  await phase(performance.now() + o.warmup * 1000, false);
  errors = 0;
  const t0 = performance.now();
  await phase(t0 + o.seconds * 1000, true);
  return { label, latencies, errors, seconds: (performance.now() - t0) / 1000 };
};

const report = (row: Row, byKind: boolean): void => {
  const line = (label: string, xs: readonly number[], seconds: number): string => {
    const sorted = [...xs].sort((a, b) => a - b);
    return (
      `${label.padEnd(26)} ${String(Math.round(sorted.length / seconds)).padStart(6)} q/s  p50 ${percentile(sorted, 50).toFixed(1).padStart(6)}` +
      `  p99 ${percentile(sorted, 99).toFixed(1).padStart(6)}  max ${(sorted[sorted.length - 1] ?? 0).toFixed(0).padStart(5)} ms`
    );
  };
  const all = Object.values(row.latencies).flat();
  say(`${line(row.label, all, row.seconds)}  ${row.errors} errors  ${load()}`);
  if (byKind) for (const k of Object.keys(row.latencies) as Kind[]) say(`  ${line(k, row.latencies[k], row.seconds)}`);
};

export const run = async (args: string[]): Promise<void> => {
  const o = parse(args);
  const dir = await mkdtemp(join(tmpdir(), 'marquee-bench-search-'));
  // The embedded server runs as user postgres, who must get through to its data directory.
  await chmod(dir, 0o755);
  const day = new Date();
  const start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  const db = await target(o, dir);
  say(`search bench: ${o.events} events, ${db.description}, connections ${o.connections.join(', ')}, ${o.seconds} s per row (${load()})`);
  let server: { port: number; child: ChildProcess; logFile: string } | undefined;
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  try {
    server = await startServer(db.url, dir);
    say(`server: npm start's entry point on port ${server.port}, log ${server.logFile}`);
    await seed(o, db.url, pool, start);
    const mix = queryMix(await samples(pool), start, 365, 20_000);
    // The same pool size as the server's read models, and the same index code: only HTTP is missing.
    const bare = pgSearchIndex(pool);
    const port = server.port;
    for (const connections of o.connections) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
      const before = await answerSources(port);
      report(
        await drive(`http, ${connections} connections`, mix, connections, o, async (q) => (await getStatus(agent, port, q.path)) === 200),
        true,
      );
      agent.destroy();
      const after = await answerSources(port);
      const delta = (k: string): number => (after[k] ?? 0) - (before[k] ?? 0);
      say(
        `  answers (warm-up included): ${delta('index')} searched, ${delta('cache')} from the answer cache, ${delta('not-modified')} not modified`,
      );
      report(
        await drive(`bare SQL, ${connections} clients`, mix, connections, o, async (q) => {
          await bare.search(q.query(new Date()));
          return true;
        }),
        false,
      );
    }
  } finally {
    await pool.end().catch(() => undefined);
    if (server) {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    if (o.keep) say(`kept: ${db.url} and ${dir}`);
    else {
      await db.close().catch((e: unknown) => process.stderr.write(`bench: cannot drop the database: ${String(e)}\n`));
      await rm(dir, { recursive: true, force: true });
    }
  }
};
