import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { call, createOnSale, expectStatus, registerBuyers, signIn, waitForSeatMapToMatchStream, type Answer, type NoAnswer } from './api.js';
import { crashLines, sleep, startMarquee, stopLeftoverPostgres, tempDir, type Marquee } from './processes.js';

/** Processes whose command line names `dir`: the embedded PostgreSQL of a data directory, or anything else left there. */
const processesOn = (dir: string): string[] => {
  try {
    return execFileSync('pgrep', ['-a', '-f', dir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

const postmasterPid = (dataDir: string): string | undefined => {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n')[0] : undefined;
};

// 22 starts of the embedded default, each a few seconds on a loaded machine: more than tap's default per file.
t.setTimeout(600_000);

type Cycle = { readonly signal: 'SIGINT' | 'SIGTERM'; readonly times: 1 | 2 };

const CYCLES: readonly Cycle[] = Array.from({ length: 20 }, (_, i) => ({
  signal: i % 2 === 0 ? 'SIGINT' : 'SIGTERM',
  times: i % 4 < 2 ? 2 : 1,
}));

t.test('the embedded default (ROLE=all, no DATABASE_URL) stops cleanly on signals to its process group, 20 times in a row', async (t) => {
  const dataDir = await tempDir(t, 'signals');
  stopLeftoverPostgres(t, dataDir);
  const env = { ROLE: 'all', DATA_DIR: dataDir } as const;

  // The data this start writes must survive every restart below.
  const first = await startMarquee(t, env, { name: 'first start' });
  await first.ready();
  const organizer = await signIn(first.url);
  const buyers = await registerBuyers(first.url, 4);
  const buyer = buyers[0];
  const { eventId, seats } = await createOnSale(first.url, organizer, 5, 20);
  const held = await expectStatus(
    call(first.url, 'POST', `/events/${eventId}/bookings`, { token: buyer!.token, body: { seats: [seats[0]] } }),
    201,
    'a hold before the cycles',
  );
  t.same(await first.stop('SIGTERM'), { code: 0, signal: null }, 'the first start stops with exit code 0');

  const results: string[] = [];
  const stopMs: number[] = [];
  const startMs: number[] = [];
  let seat = 1;
  for (const [i, cycle] of CYCLES.entries()) {
    const startedAt = Date.now();
    const m: Marquee = await startMarquee(t, env, { name: `start ${i + 1}` });
    await m.ready();
    startMs.push(Date.now() - startedAt);
    const out = m.output();
    if (/took over the server/.test(out)) results.push(`start ${i + 1} found a server left running by the one before`);

    // In flight when the signal comes: holds on open keep-alive connections.
    const inFlight: Promise<Answer | NoAnswer>[] = buyers.map((b) =>
      call(m.url, 'POST', `/events/${eventId}/bookings`, { token: b.token, body: { seats: [seats[seat++]] } }),
    );
    await sleep(5);
    const signalledAt = Date.now();
    m.signalGroup(cycle.signal);
    if (cycle.times === 2) {
      await sleep(20);
      m.signalGroup(cycle.signal);
    }
    const exit = await m.exit(60_000).catch((err: unknown) => {
      results.push(`start ${i + 1}: ${(err as Error).message.split('\n')[0]}`);
      return undefined;
    });
    stopMs.push(Date.now() - signalledAt);
    const answers = await Promise.all(inFlight);
    const what = `${cycle.signal}${cycle.times === 2 ? ' twice' : ''}`;
    if (exit && (exit.code !== 0 || exit.signal !== null)) results.push(`start ${i + 1}, ${what}: exit ${JSON.stringify(exit)}`);
    for (const a of answers)
      if (a.status !== 201) results.push(`start ${i + 1}, ${what}: a hold in flight got ${a.status} ${'error' in a ? a.error : JSON.stringify(a.body)}`);
    const left = processesOn(dataDir);
    if (left.length > 0) results.push(`start ${i + 1}, ${what}: left running: ${left.join('; ')}`);
    if (postmasterPid(dataDir)) results.push(`start ${i + 1}, ${what}: postmaster.pid still there`);
    if (existsSync(join(dataDir, 'postgres.lock'))) results.push(`start ${i + 1}, ${what}: the start lock is left behind`);
    const errors = crashLines(m.output());
    if (errors.length > 0) results.push(`start ${i + 1}, ${what}: logged ${errors.join(' | ')}`);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  t.comment(`measured: start to ready ${median(startMs)} ms median, ${Math.max(...startMs)} ms max; signal to exit ${median(stopMs)} ms median, ${Math.max(...stopMs)} ms max`);
  t.same(results, [], `${CYCLES.length} starts, each stopped by SIGINT or SIGTERM (half of them sent twice): exit 0, nothing left behind, next start clean`);

  const last = await startMarquee(t, env, { name: 'after the cycles' });
  await last.ready();
  const r = await expectStatus(call(last.url, 'GET', `/bookings/${held.body.id as string}`, { token: buyer!.token }), 200, 'the first hold');
  t.equal(r.body.status, 'held', 'what was written before the cycles is still there');
  const { url } = JSON.parse(readFileSync(join(dataDir, 'postgres.json'), 'utf8')) as { url: string };
  await waitForSeatMapToMatchStream(last.url, url, eventId);
  t.pass('every projector stopped at a checkpoint it could resume from: the seat map agrees with the stream');
  t.same(await last.stop('SIGINT'), { code: 0, signal: null });
});

t.test('`npm start` (npm, then tsx, then node) stops cleanly on Ctrl-C to the group, once and twice', async (t) => {
  const dataDir = await tempDir(t, 'npm-start');
  stopLeftoverPostgres(t, dataDir);
  for (const times of [2, 1] as const) {
    const m = await startMarquee(t, { ROLE: 'all', DATA_DIR: dataDir }, { npm: true, name: `npm start (Ctrl-C ×${times})` });
    await m.ready(180_000);
    m.signalGroup('SIGINT');
    if (times === 2) {
      await sleep(30);
      m.signalGroup('SIGINT');
    }
    const exit = await m.exit(60_000);
    // npm passes a signal its script ended on back to its own shell (it re-raises SIGINT); the server itself logs that it stopped cleanly.
    t.ok(exit.code === 0 || exit.signal === 'SIGINT', `npm ends after Ctrl-C ×${times} (${JSON.stringify(exit)})`);
    t.match(m.output(), /"msg":"stopped"/, 'the server stopped cleanly (it exits 0 right after saying so)');
    t.same(processesOn(dataDir), [], 'no process is left on the data directory');
    t.notOk(postmasterPid(dataDir), 'the embedded PostgreSQL stopped');
    t.notMatch(m.output(), /second signal: exiting now/, 'a repeated signal does not cut the shutdown short');
  }
});
