import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import pg from 'pg';
import { lockId } from '../src/commands/ownership/index.js';
import { fmt, percentile, scratchDatabase } from './support.js';

/**
 * `npm run bench -- leases [--n 500] [--ttl-ms 3000]` (DATABASE_URL and NATS_URL set)
 *
 * The two lease mechanisms the deployment already has, measured the way the
 * event-writer ownership uses them:
 * 1. taking a lease on a new key and giving it up (PostgreSQL session advisory
 *    lock; NATS JetStream KV `create` and a revision-checked `delete`);
 * 2. keeping it: the advisory lock needs nothing, a KV lease one revision-checked
 *    `update` per renewal;
 * 3. takeover after the holder dies without a word (kill -9): the advisory lock
 *    is free when PostgreSQL sees the session's socket close; a KV lease only when
 *    its TTL has passed.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const timed = async (n: number, f: (i: number) => Promise<unknown>): Promise<number[]> => {
  const ms: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await f(i);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
};

const line = (what: string, ms: number[]) =>
  process.stdout.write(`${what.padEnd(52)} p50 ${fmt(percentile(ms, 50), 2)} ms  p99 ${fmt(percentile(ms, 99), 2)} ms\n`);

export const run = async (args: string[]): Promise<void> => {
  const { values } = parseArgs({ args, options: { n: { type: 'string', default: '500' }, 'ttl-ms': { type: 'string', default: '3000' } } });
  const n = Number(values.n);
  const ttlMs = Number(values['ttl-ms']);
  const databaseUrl = process.env.DATABASE_URL;
  const natsUrl = process.env.NATS_URL;
  if (!databaseUrl || !natsUrl) throw new Error('set DATABASE_URL and NATS_URL');

  const db = await scratchDatabase(databaseUrl);
  const a = new pg.Client({ connectionString: db.url });
  const b = new pg.Client({ connectionString: db.url });
  a.on('error', () => undefined);
  await Promise.all([a.connect(), b.connect()]);
  const keys = Array.from({ length: n }, () => randomUUID());
  line('PostgreSQL advisory lock: take', await timed(n, (i) => a.query('SELECT pg_try_advisory_lock($1::bigint)', [lockId(keys[i]!)])));
  line(
    'PostgreSQL advisory lock: refused to a 2nd session',
    await timed(n, (i) => b.query('SELECT pg_try_advisory_lock($1::bigint)', [lockId(keys[i]!)])),
  );
  line('PostgreSQL advisory lock: give up', await timed(n, (i) => a.query('SELECT pg_advisory_unlock($1::bigint)', [lockId(keys[i]!)])));
  process.stdout.write(`${'PostgreSQL advisory lock: keep'.padEnd(52)} nothing to send (held by the session)\n`);
  await a.query('SELECT pg_try_advisory_lock($1::bigint)', [lockId('takeover')]);
  const killed = performance.now();
  // What kill -9 leaves: the socket closes under the session, nothing is said.
  (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  for (;;) {
    const r = await b.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockId('takeover')]);
    if (r.rows[0]?.ok) break;
    await sleep(5);
  }
  process.stdout.write(`${'PostgreSQL advisory lock: takeover after kill -9'.padEnd(52)} ${fmt(performance.now() - killed)} ms\n`);
  await b.end();
  await db.drop();

  const nc = await connect({ servers: natsUrl });
  const bucket = `bench_leases_${randomUUID().slice(0, 8)}`;
  const kv = await nc.jetstream().views.kv(bucket, { ttl: ttlMs, history: 1 });
  const revisions: number[] = [];
  line('NATS KV: take (create)', await timed(n, async (i) => revisions.push(await kv.create(keys[i]!, new Uint8Array([1])))));
  line('NATS KV: refused to a 2nd holder (create)', await timed(n, (i) => kv.create(keys[i]!, new Uint8Array([2])).catch(() => 0)));
  line(
    'NATS KV: keep (revision-checked update)',
    await timed(n, async (i) => (revisions[i] = await kv.update(keys[i]!, new Uint8Array([1]), revisions[i]!))),
  );
  line('NATS KV: give up (revision-checked delete)', await timed(n, (i) => kv.delete(keys[i]!, { previousSeq: revisions[i]! })));
  await kv.create('takeover', new Uint8Array([1]));
  const stopped = performance.now();
  for (;;) {
    const ok = await kv.create('takeover', new Uint8Array([2])).then(
      () => true,
      () => false,
    );
    if (ok) break;
    await sleep(20);
  }
  process.stdout.write(`${`NATS KV: takeover after kill -9 (TTL ${ttlMs} ms)`.padEnd(52)} ${fmt(performance.now() - stopped)} ms\n`);
  await kv.destroy();
  await nc.close();
};
