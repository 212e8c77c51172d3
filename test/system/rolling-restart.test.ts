import t from 'tap';
import {
  acknowledged,
  call,
  checkAcknowledged,
  decided,
  createOnSale,
  registerBuyers,
  signIn,
  storm,
  tally,
  waitForSeatMapToMatchStream,
} from './api.js';
import { crashLines, startMarquee, tempDir, waitFor, type Marquee } from './processes.js';
import { startNats, startSuitePostgres } from './servers.js';

t.test('a rolling restart of the api processes, one at a time, fails no request and loses no acknowledged hold', async (t) => {
  const [pgServer, nats] = await Promise.all([startSuitePostgres(t), startNats(t)]);
  const shared = { DATABASE_URL: pgServer.url, NATS_URL: nats?.url };
  const start = async (name: string): Promise<Marquee> =>
    startMarquee(t, { ROLE: 'api', DATA_DIR: await tempDir(t, name), ...shared }, { name });
  const projector = await startMarquee(t, { ROLE: 'projector', DATA_DIR: await tempDir(t, 'projector'), ...shared });
  const apis = [await start('api-1'), await start('api-2')];
  await Promise.all([projector, ...apis].map((m) => m.ready()));
  const organizer = await signIn(apis[0]!.url);
  const buyers = await registerBuyers(apis[0]!.url, 16);
  const { eventId, seats } = await createOnSale(apis[0]!.url, organizer, 20, 40);

  // The balancer: round robin over the processes in rotation.
  const rotation = new Set<string>(apis.map((a) => a.url));
  let turn = 0;
  const target = (): string => {
    const urls = [...rotation];
    return urls[turn++ % urls.length]!;
  };
  const holds = storm({ buyers, eventId, seats, target, pauseMs: 10 });
  const restarted: string[] = [];
  for (const [i, old] of apis.entries()) {
    await waitFor(`holds before restarting ${old.name}`, () => acknowledged(holds.attempts).length >= (i + 1) * 60, 60_000);
    // Out of rotation, then SIGTERM at once: whatever was just sent to it is still in flight.
    rotation.delete(old.url);
    old.signalGroup('SIGTERM');
    const seen = new Set<string>();
    await waitFor(`${old.name} to drain`, async () => {
      for (const path of ['/health', '/ready']) seen.add(`${path} ${(await call(old.url, 'GET', path, { timeoutMs: 2_000 })).status}`);
      return (seen.has('/health 503') && seen.has('/ready 503')) || !old.alive();
    }, 30_000, 25);
    t.ok(seen.has('/health 503') && seen.has('/ready 503'), `${old.name} answers /health and /ready 503 while it drains, so a balancer's health check takes it out`);
    t.same(await old.exit(), { code: 0, signal: null }, `${old.name} drains and exits 0`);
    const freshAt = Date.now();
    t.same(crashLines(old.output()), [], `${old.name} logged no error`);
    const fresh = await start(`${old.name} (restarted)`);
    await fresh.ready();
    t.comment(`measured: ${old.name} back in rotation ${Date.now() - freshAt} ms after the old process exited`);
    rotation.add(fresh.url);
    apis[i] = fresh;
    restarted.push(fresh.url);
    const now = Date.now();
    await waitFor(`holds through the restarted ${old.name}`, () => holds.attempts.some((a) => a.target === fresh.url && a.at > now && a.status === 201), 60_000);
  }
  const attempts = await holds.stop();

  t.same(tally(attempts.filter((a) => !decided(a))), {}, `no request failed: every hold answered 201 or 409 seats-unavailable / ticket-limit (${JSON.stringify(tally(attempts))})`);
  const { checked, problems } = await checkAcknowledged(apis[1]!.url, pgServer.url, eventId, attempts);
  t.same(problems, [], `all ${checked} acknowledged holds are held as the stream says`);
  await waitForSeatMapToMatchStream(apis[0]!.url, pgServer.url, eventId);
  t.pass('the seat map agrees with the stream');
  t.same(
    await Promise.all([...apis, projector].map((m) => m.stop())),
    [0, 1, 2].map(() => ({ code: 0, signal: null })),
    'every process stops with exit code 0',
  );
});
