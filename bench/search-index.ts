import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import pg from 'pg';
import { installProblemHandlers } from '../src/api/http/index.js';
import { searchRoutes } from '../src/api/search/index.js';
import { syntheticCatalogue } from '../src/cli/seed/index.js';
import { insertDocsBulk, pgSearchIndex, rebuildDictionary, setupPgSearch, scheduledDoc } from '../src/projections/search/index.js';
import type { EventDoc } from '../src/projections/search/index.js';

/**
 * `npm run bench -- search-index [--events 1000000] [--seconds 30] [--concurrency 16] [--pool 4] [--total-cap n] [--reuse]`
 *
 * Builds the PostgreSQL search index from the synthetic catalogue (the seed
 * generator's EventScheduled events, folded by the search projection's own
 * document builder and written in bulk straight into the search tables: feeding
 * a million events through the log one stream at a time is far slower, see
 * docs/search.md), then runs a mix of keyword, typo, radius and date queries
 * over HTTP (fastify with the search routes on loopback) at the given
 * concurrency and prints q/s and latency percentiles.
 */

type Options = {
  events: number;
  seconds: number;
  concurrency: number;
  reuse: boolean;
  seed: number;
  warmup: number;
  pool: number;
  totalCap: number | undefined;
};

const parse = (args: readonly string[]): Options => {
  const o: Options = { events: 1_000_000, seconds: 30, concurrency: 16, reuse: false, seed: 1, warmup: 5, pool: 4, totalCap: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--events') o.events = value();
    else if (a === '--seconds') o.seconds = value();
    else if (a === '--concurrency') o.concurrency = value();
    else if (a === '--seed') o.seed = value();
    else if (a === '--warmup') o.warmup = value();
    else if (a === '--pool') o.pool = Math.max(1, value());
    else if (a === '--total-cap') o.totalCap = Math.max(1, value());
    else if (a === '--reuse') o.reuse = true;
    else throw new Error(`unknown option ${a}; see bench/search-index.ts`);
  }
  return o;
};

const serverUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const databaseUrl = (events: number): { admin: string; url: string; name: string } => {
  const name = `marquee_bench_search_${events}`;
  const u = new URL(serverUrl());
  u.pathname = `/${name}`;
  return { admin: serverUrl(), url: u.toString(), name };
};

const SECONDARY_INDEXES = [
  'search_events_document',
  'search_events_earth',
  'search_events_starts',
  'search_events_category',
  'search_events_venue',
  'search_events_performers',
];

export type Samples = { performers: string[]; cities: { name: string; lat: number; lng: number }[]; words: string[]; categories: string[] };

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const build = async (o: Options, pool: pg.Pool, start: Date): Promise<Samples> => {
  const db = await pool.connect();
  try {
    await setupPgSearch(db);
    await db.query('TRUNCATE search_events, search_words');
    for (const ix of SECONDARY_INDEXES) await db.query(`DROP INDEX IF EXISTS ${ix}`);
  } finally {
    db.release();
  }
  const t0 = performance.now();
  const { events } = syntheticCatalogue({ events: o.events, seed: o.seed, start, days: 365 });
  let batch: EventDoc[] = [];
  const inflight = new Set<Promise<void>>();
  let written = 0;
  const flush = async (docs: EventDoc[]) => {
    const p = insertDocsBulk(pool, docs).then(() => {
      written += docs.length;
      if (written % 100_000 === 0) process.stderr.write(`  ${written} documents written (${secs(performance.now() - t0)})\n`);
    });
    inflight.add(p);
    p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    );
    if (inflight.size >= 2) await Promise.race(inflight);
  };
  for (const { event } of events()) {
    batch.push(scheduledDoc(event.data, 0));
    if (batch.length === 2000) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await flush(batch);
  await Promise.all(inflight);
  const loaded = performance.now();
  const db2 = await pool.connect();
  try {
    await db2.query('SET maintenance_work_mem = "512MB"');
    await setupPgSearch(db2);
    const indexed = performance.now();
    await rebuildDictionary(db2);
    // What autovacuum would do soon after a load: statistics, and the visibility map for index-only counts.
    await db2.query('VACUUM ANALYZE search_events');
    await db2.query('VACUUM ANALYZE search_words');
    const done = performance.now();
    const size = await db2.query<{ events: string; words: string; n: string; w: string }>(
      `SELECT pg_total_relation_size('search_events') AS events, pg_total_relation_size('search_words') AS words,
        (SELECT count(*) FROM search_events) AS n, (SELECT count(*) FROM search_words) AS w`,
    );
    const s = size.rows[0];
    process.stdout.write(
      `index build: ${s?.n} documents; generate+load ${secs(loaded - t0)} (${Math.round(o.events / ((loaded - t0) / 1000))} docs/s), ` +
        `indexes ${secs(indexed - loaded)}, dictionary+vacuum ${secs(done - indexed)}, total ${secs(done - t0)}\n` +
        `index size: search_events ${mb(Number(s?.events))} (table + indexes), search_words ${mb(Number(s?.words))} (${s?.w} words)\n`,
    );
  } finally {
    db2.release();
  }
  return samples(pool);
};

export const samples = async (pool: pg.Pool): Promise<Samples> => {
  const performers = await pool.query<{ name: string }>(
    `SELECT p->>'name' AS name FROM (SELECT performers FROM search_events TABLESAMPLE SYSTEM (1) LIMIT 2000) e, jsonb_array_elements(e.performers) p`,
  );
  const cities = await pool.query<{ name: string; lat: number; lng: number }>(
    `SELECT city AS name, lat, lng FROM search_events TABLESAMPLE SYSTEM (1) LIMIT 2000`,
  );
  const words = await pool.query<{ word: string }>(
    `SELECT word FROM search_words WHERE frequency BETWEEN 5 AND 5000 AND char_length(word) >= 6 AND word ~ '^[a-z]+$' ORDER BY md5(word) LIMIT 2000`,
  );
  return {
    performers: performers.rows.map((r) => r.name),
    cities: cities.rows,
    words: words.rows.map((r) => r.word),
    categories: ['music', 'theatre', 'comedy', 'sports', 'film', 'family'],
  };
};

/** A small deterministic PRNG so every run sends the same query mix. */
export const rng = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Swaps two neighbouring letters in the middle of the longest word: a typical slip. */
export const typo = (text: string): string => {
  const words = text.split(' ');
  let i = 0;
  for (let k = 1; k < words.length; k++) if ((words[k]?.length ?? 0) > (words[i]?.length ?? 0)) i = k;
  const w = words[i] ?? '';
  if (w.length < 5) return text;
  const j = Math.floor(w.length / 2);
  words[i] = w.slice(0, j - 1) + w.charAt(j) + w.charAt(j - 1) + w.slice(j + 1);
  return words.join(' ');
};

type Kind = 'keyword' | 'typo' | 'radius' | 'date';

const queryMix = (s: Samples, start: Date, count: number): { kind: Kind; path: string }[] => {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: { kind: Kind; path: string }[] = [];
  for (let i = 0; i < count; i++) {
    const x = r();
    if (x < 0.3) {
      const q = r() < 0.6 ? pick(s.performers) : pick(s.words);
      out.push({ kind: 'keyword', path: `/events/search?q=${encodeURIComponent(q)}` });
    } else if (x < 0.5) {
      const q = typo(r() < 0.6 ? pick(s.performers) : pick(s.words));
      out.push({ kind: 'typo', path: `/events/search?q=${encodeURIComponent(q)}` });
    } else if (x < 0.8) {
      const c = pick(s.cities);
      const radius = pick([10, 25, 50]);
      out.push({ kind: 'radius', path: `/events?near=${c.lat},${c.lng}&radiusKm=${radius}` });
    } else {
      const from = new Date(start.getTime() + Math.floor(r() * 350) * 86_400_000);
      const to = new Date(from.getTime() + 7 * 86_400_000);
      const category = r() < 0.5 ? `&category=${pick(s.categories)}` : '';
      out.push({ kind: 'date', path: `/events?from=${from.toISOString()}&to=${to.toISOString()}${category}` });
    }
  }
  return out;
};

/** CPU seconds (user + system) of local processes, from /proc; undefined where that cannot be read. */
export const cpuSeconds = async (pids: readonly number[]): Promise<number | undefined> => {
  try {
    let ticks = 0;
    for (const pid of pids) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return undefined;
  }
};

export const backendPids = async (pool: pg.Pool): Promise<number[]> =>
  (
    await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
    )
  ).rows.map((r) => r.pid);

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const getJson = (agent: http.Agent, port: number, path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

export const run = async (args: string[]): Promise<void> => {
  const o = parse(args);
  const { admin, url, name } = databaseUrl(o.events);
  const start = new Date(Date.UTC(2027, 0, 1));
  process.stdout.write(
    `search bench: ${o.events} events, concurrency ${o.concurrency}, pool ${o.pool}, total cap ${o.totalCap ?? 'default'}, ${o.seconds} s (database ${name})\n`,
  );
  if (!o.reuse) {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: o.pool });
  try {
    if (o.reuse) {
      // Brings an index built by an older version up to date (new tables, indexes); cheap when current.
      const db = await pool.connect();
      try {
        await setupPgSearch(db);
      } finally {
        db.release();
      }
    }
    const s = o.reuse ? await samples(pool) : await build(o, pool, start);
    const index = pgSearchIndex(pool, o.totalCap === undefined ? {} : { totalCap: o.totalCap });
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installProblemHandlers(app);
    await app.register(searchRoutes({ search: index, now: () => start }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
    const mix = queryMix(s, start, 20_000);
    const latencies: Record<Kind, number[]> = { keyword: [], typo: [], radius: [], date: [] };
    let errors = 0;
    let next = 0;
    const drive = async (until: number, record: boolean) => {
      const worker = async () => {
        while (performance.now() < until) {
          const q = mix[next++ % mix.length] as { kind: Kind; path: string };
          const t = performance.now();
          const status = await getJson(agent, port, q.path);
          if (status !== 200) errors++;
          if (record) latencies[q.kind].push(performance.now() - t);
        }
      };
      await Promise.all(Array.from({ length: o.concurrency }, worker));
    };
    await drive(performance.now() + o.warmup * 1000, false);
    // CPU spent per query, by this process (fastify, routes, client) and by the pool's backends:
    // unlike q/s it hardly depends on what else the machine is running.
    const pids = await backendPids(pool);
    const pgBefore = await cpuSeconds(pids);
    const nodeBefore = process.cpuUsage();
    const t0 = performance.now();
    await drive(t0 + o.seconds * 1000, true);
    const elapsed = (performance.now() - t0) / 1000;
    const nodeCpu = process.cpuUsage(nodeBefore);
    const pgAfter = await cpuSeconds(pids);
    const all = Object.values(latencies)
      .flat()
      .sort((a, b) => a - b);
    const line = (label: string, xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return `${label.padEnd(8)} n=${String(sorted.length).padStart(7)}  p50 ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`;
    };
    process.stdout.write(
      `throughput: ${(all.length / elapsed).toFixed(0)} q/s over ${elapsed.toFixed(1)} s, ${errors} non-200 answers\n` +
        `${line('all', all)}\n${(Object.keys(latencies) as Kind[]).map((k) => line(k, latencies[k])).join('\n')}\n`,
    );
    const perQuery = (seconds: number) => `${((seconds * 1000) / Math.max(1, all.length)).toFixed(2)} ms`;
    process.stdout.write(
      `cpu per query: node ${perQuery((nodeCpu.user + nodeCpu.system) / 1e6)}, postgres ${
        pgBefore === undefined || pgAfter === undefined ? 'n/a (not local)' : `${perQuery(pgAfter - pgBefore)} (${pids.length} backends)`
      }\n`,
    );
    agent.destroy();
    await app.close();
  } finally {
    await pool.end();
  }
};
