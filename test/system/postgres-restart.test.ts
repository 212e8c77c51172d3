import pg from 'pg';
import t from 'tap';
import {
  acknowledged,
  call,
  checkAcknowledged,
  decided,
  createOnSale,
  followSeatMap,
  registerBuyers,
  REQUEST_TIMEOUT_MS,
  signIn,
  storm,
  tally,
  waitForFollowerToMatchStream,
  waitForSeatMapToMatchStream,
  type HoldAttempt,
} from './api.js';
import { crashLines, sleep, startMarquee, tempDir, waitFor } from './processes.js';
import { startSuitePostgres } from './servers.js';

type Read = { readonly path: string; readonly status: number; readonly type?: string; readonly at: number; readonly ms: number };

/** Polls a few reads over and over until stopped, recording every answer. */
const readLoop = (base: string, paths: readonly string[]) => {
  const reads: Read[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      for (const path of paths) {
        const at = Date.now();
        const r = await call(base, 'GET', path, { timeoutMs: REQUEST_TIMEOUT_MS });
        reads.push({ path, status: r.status, at, ms: r.ms, ...('body' in r && typeof r.body.type === 'string' ? { type: r.body.type } : {}) });
      }
      await sleep(100);
    }
  })();
  return {
    reads,
    stop: async () => {
      stopped = true;
      await done;
      return reads;
    },
  };
};

/** Each projection's committed checkpoint, as a comparable pair (commit, prepare). */
const checkpoints = async (url: string): Promise<Map<string, [bigint, bigint]>> => {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const r = await c.query<{ name: string; commit: string | null; prepare: string | null }>(
      'SELECT name, commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints',
    );
    return new Map(r.rows.map((row) => [row.name, [BigInt(row.commit ?? -1), BigInt(row.prepare ?? -1)]]));
  } finally {
    await c.end();
  }
};

const notBefore = (a: [bigint, bigint] | undefined, b: [bigint, bigint] | undefined): boolean =>
  a !== undefined && b !== undefined && (a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]));

t.test('PostgreSQL restarted twice mid-storm: no process exits, writes answer 503 while it is away, nothing acknowledged is lost', async (t) => {
  const pgServer = await startSuitePostgres(t);
  const env = { DATABASE_URL: pgServer.url };
  const [api, projector] = await Promise.all([
    startMarquee(t, { ROLE: 'api', DATA_DIR: await tempDir(t, 'api'), ...env }),
    startMarquee(t, { ROLE: 'projector', DATA_DIR: await tempDir(t, 'projector'), ...env }),
  ]);
  await Promise.all([api.ready(), projector.ready()]);
  const organizer = await signIn(api.url);
  const buyers = await registerBuyers(api.url, 24);
  const { eventId, seats } = await createOnSale(api.url, organizer, 20, 40);
  await waitFor('the projections to have the event', async () =>
    (await Promise.all([call(api.url, 'GET', `/events/${eventId}`), call(api.url, 'GET', `/events/${eventId}/seats`)])).every((r) => r.status === 200),
  );
  const follower = followSeatMap(() => api.url, eventId);
  t.teardown(() => follower.close());

  const holds = storm({ buyers, eventId, seats, target: () => api.url, pauseMs: 20 });
  const reads = readLoop(api.url, [`/events/${eventId}/seats`, `/events/${eventId}`]);
  const outages: { down: number; up: number }[] = [];
  const recoveries: number[] = [];
  let checkpointsBefore = new Map<string, [bigint, bigint]>();
  for (let round = 0; round < 2; round++) {
    const before = acknowledged(holds.attempts).length;
    await waitFor('holds to be acknowledged before the restart', () => acknowledged(holds.attempts).length >= before + 30, 60_000);
    if (round === 0) checkpointsBefore = await checkpoints(pgServer.url);
    const down = Date.now();
    await pgServer.stop();
    // Long enough for every writer, pool and loop to meet the outage.
    await waitFor('writes to meet the outage', () => holds.attempts.some((a) => a.at > down && a.status === 503), 30_000);
    await sleep(2_000);
    await pgServer.start();
    const up = Date.now();
    outages.push({ down, up });
    await waitFor('a hold to succeed after PostgreSQL is back', () => holds.attempts.some((a) => a.at >= up && a.status === 201), 60_000);
    recoveries.push(Math.min(...holds.attempts.filter((a) => a.at >= up && a.status === 201).map((a) => a.at + a.ms)) - up);
  }
  await sleep(1_000);
  const attempts = await holds.stop();
  const readsSeen = await reads.stop();

  t.ok(api.alive() && projector.alive(), 'neither process exited');
  for (const m of [api, projector]) t.same(crashLines(m.output()), [], `${m.name} logged the outage as warnings, no error`);

  const during = (a: { at: number }): boolean => outages.some((o) => a.at >= o.down && a.at < o.up);
  const wrong = attempts.filter(
    (a: HoldAttempt) =>
      !(decided(a) || (a.status === 503 && a.type === 'unavailable' && a.retryAfter)),
  );
  t.same(tally(wrong), {}, `every hold answered 201, 409 seats-unavailable / ticket-limit, or 503 unavailable with retry-after (all: ${JSON.stringify(tally(attempts))})`);
  t.ok(attempts.filter(during).some((a) => a.status === 503), 'while PostgreSQL was away, holds answered 503 unavailable');
  const slowest = Math.max(...attempts.map((a) => a.ms));
  t.ok(slowest < REQUEST_TIMEOUT_MS, `no hold hung: the slowest answer took ${slowest} ms`);

  const seatReads = readsSeen.filter((r) => r.path.endsWith('/seats'));
  t.same(
    seatReads.filter((r) => r.status !== 200).map((r) => r.status),
    [],
    `the seat map (a projection the api holds) answered 200 throughout, ${seatReads.filter(during).length} times while PostgreSQL was away`,
  );
  const detailReads = readsSeen.filter((r) => !r.path.endsWith('/seats'));
  t.same(
    detailReads.filter((r) => !(r.status === 200 || (r.status === 503 && r.type === 'unavailable'))).map((r) => r.status),
    [],
    'event details (read from PostgreSQL) answered 200, or 503 unavailable while it was away; never a 500',
  );

  const { checked, problems } = await checkAcknowledged(api.url, pgServer.url, eventId, attempts);
  t.same(problems, [], `all ${checked} acknowledged holds are still held with the same seats, and the stream agrees`);

  const stormEnded = Date.now();
  await waitForSeatMapToMatchStream(api.url, pgServer.url, eventId);
  const caughtUp = Date.now() - stormEnded;
  t.pass('the projector resumed: the seat map agrees with the stream');
  await waitForFollowerToMatchStream(follower, pgServer.url, eventId);
  t.pass('and so does the live SSE seat map');
  t.ok((await call(projector.url, 'GET', '/ready')).status === 200, 'the projector is ready again');
  const checkpointsAfter = await checkpoints(pgServer.url);
  t.same(
    [...checkpointsBefore].filter(([name, at]) => !notBefore(checkpointsAfter.get(name), at)).map(([name]) => name),
    [],
    `every projection (${[...checkpointsBefore.keys()].join(', ')}) went on from its checkpoint: none moved back`,
  );

  const outageMs = outages.map((o) => o.up - o.down);
  t.comment(
    `measured: PostgreSQL away ${outageMs.join(' ms, ')} ms; first hold acknowledged ${recoveries.join(' ms, ')} ms after it accepted connections again; ${attempts.filter((a) => a.status === 503).length} holds answered 503 of ${attempts.length}; the seat map agreed with the stream ${caughtUp} ms after the storm ended`,
  );
  t.same(await Promise.all([api.stop(), projector.stop()]), [{ code: 0, signal: null }, { code: 0, signal: null }], 'both stop with exit code 0');
});
