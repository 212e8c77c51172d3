import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  acknowledged,
  checkAcknowledged,
  decided,
  createOnSale,
  registerBuyers,
  signIn,
  storm,
  tally,
  waitForSeatMapToMatchStream,
} from './api.js';
import { crashLines, startMarquee, stopLeftoverPostgres, tempDir, threadNiceness, waitFor } from './processes.js';
import { startSuitePostgres } from './servers.js';

t.test('kill -9 of the embedded default (ROLE=all) mid-storm: after a restart every acknowledged hold is there', async (t) => {
  const dataDir = await tempDir(t, 'kill-all');
  stopLeftoverPostgres(t, dataDir);
  const env = { ROLE: 'all', DATA_DIR: dataDir } as const;
  const first = await startMarquee(t, env, { name: 'before kill -9' });
  await first.ready();
  const nice = threadNiceness(first.pid);
  if (nice)
    t.ok(
      nice.get(first.pid) === 0 && [...nice.values()].includes(10),
      `the projector thread runs at nice 10 beside the main thread's 0 (${JSON.stringify([...new Set(nice.values())])})`,
    );
  const organizer = await signIn(first.url);
  const buyers = await registerBuyers(first.url, 24);
  const { eventId, seats } = await createOnSale(first.url, organizer, 20, 40);

  const holds = storm({ buyers, eventId, seats, target: () => first.url });
  await waitFor('holds to be acknowledged', () => acknowledged(holds.attempts).length >= 60, 60_000);
  first.signalGroup('SIGKILL');
  t.same(await first.exit(), { code: null, signal: 'SIGKILL' }, 'killed mid-storm');
  const attempts = await holds.stop();
  const cut = attempts.filter((a) => !decided(a));
  t.ok(
    cut.every((a) => a.status === 0),
    `only requests in flight at the kill went unanswered (${JSON.stringify(tally(cut))})`,
  );

  const restartAt = Date.now();
  const second = await startMarquee(t, env, { name: 'after kill -9' });
  await second.ready();
  t.comment(`measured: the restart after kill -9 was ready in ${Date.now() - restartAt} ms`);
  t.match(
    second.output(),
    /took over the server on port/,
    'the restart takes over the embedded PostgreSQL the killed process left running',
  );
  const databaseUrl = (JSON.parse(readFileSync(join(dataDir, 'postgres.json'), 'utf8')) as { url: string }).url;
  const { checked, problems } = await checkAcknowledged(second.url, databaseUrl, eventId, attempts);
  t.same(problems, [], `all ${checked} holds answered 201 before the kill are held with the same seats, none twice, as the stream says`);
  await waitForSeatMapToMatchStream(second.url, databaseUrl, eventId);
  t.pass('the seat map agrees with the stream');
  t.same(
    await second.stop('SIGINT'),
    { code: 0, signal: null },
    'the restarted process stops cleanly, and with it the server it took over',
  );
  t.same(crashLines(second.output()), [], 'and logged no error');
});

t.test('kill -9 of the projector process mid-storm: holds go on, and its successor resumes from the checkpoint', async (t) => {
  const pgServer = await startSuitePostgres(t);
  const env = { DATABASE_URL: pgServer.url };
  const api = await startMarquee(t, { ROLE: 'api', DATA_DIR: await tempDir(t, 'api'), ...env });
  const projector = await startMarquee(t, { ROLE: 'projector', DATA_DIR: await tempDir(t, 'projector'), ...env }, { name: 'projector' });
  await Promise.all([api.ready(), projector.ready()]);
  const organizer = await signIn(api.url);
  const buyers = await registerBuyers(api.url, 16);
  const { eventId, seats } = await createOnSale(api.url, organizer, 20, 40);

  const holds = storm({ buyers, eventId, seats, target: () => api.url });
  await waitFor('holds to be acknowledged', () => acknowledged(holds.attempts).length >= 40, 60_000);
  projector.signalGroup('SIGKILL');
  await projector.exit();
  const killedAt = acknowledged(holds.attempts).length;
  await waitFor('more holds with no projector', () => acknowledged(holds.attempts).length >= killedAt + 40, 60_000);
  const successorAt = Date.now();
  const successor = await startMarquee(t, { ROLE: 'projector', DATA_DIR: await tempDir(t, 'projector2'), ...env }, { name: 'successor' });
  await successor.ready();
  const successorReady = Date.now() - successorAt;
  await waitFor('holds with the successor running', () => acknowledged(holds.attempts).length >= killedAt + 80, 60_000);
  const attempts = await holds.stop();

  t.same(
    tally(attempts.filter((a) => !decided(a))),
    {},
    `every hold answered 201 or 409 seats-unavailable / ticket-limit (${JSON.stringify(tally(attempts))})`,
  );
  const { checked, problems } = await checkAcknowledged(api.url, pgServer.url, eventId, attempts);
  t.same(problems, [], `all ${checked} acknowledged holds are held as the stream says`);
  const stormEnded = Date.now();
  await waitForSeatMapToMatchStream(api.url, pgServer.url, eventId);
  t.pass('the successor caught the seat map up with the stream');
  t.comment(
    `measured: successor ready ${successorReady} ms after it was started; seat map agreed with the stream ${Date.now() - stormEnded} ms after the storm ended`,
  );
  t.same(
    await Promise.all([api.stop(), successor.stop()]),
    [
      { code: 0, signal: null },
      { code: 0, signal: null },
    ],
    'both stop with exit code 0',
  );
});
