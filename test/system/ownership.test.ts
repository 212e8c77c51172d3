import t from 'tap';
import {
  acknowledged,
  checkAcknowledged,
  createOnSale,
  decided,
  heldInStream,
  registerBuyers,
  signIn,
  storm,
  tally,
  waitForSeatMapToMatchStream,
  type HoldAttempt,
} from './api.js';
import { crashLines, startMarquee, tempDir, waitFor, type Marquee } from './processes.js';
import { startNats, startSuitePostgres } from './servers.js';

/** A Prometheus sample of one process, or 0 when it has none. */
const sample = async (m: Marquee, name: string): Promise<number> => {
  const text = await (await fetch(`${m.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
};

const ownerAmong = async (apis: readonly Marquee[]): Promise<Marquee | undefined> => {
  for (const m of apis) if ((await sample(m, 'marquee_writer_owned_events').catch(() => 0)) > 0) return m;
  return undefined;
};

/** The first hold acknowledged that was sent after `at`, and how long after `at` it was sent. */
const firstHeldAfter = (attempts: readonly HoldAttempt[], at: number): number | undefined => {
  const held = attempts.filter((a) => a.at >= at && a.status === 201).map((a) => a.at + a.ms);
  return held.length > 0 ? Math.min(...held) - at : undefined;
};

t.test(
  'three api processes under a storm: one owner; kill -9 of the owner, then SIGTERM of the next one, mid-storm; nothing acknowledged lost, no seat twice',
  async (t) => {
    const [pgServer, nats] = await Promise.all([startSuitePostgres(t), startNats(t)]);
    if (!nats) return; // said why
    const shared = { DATABASE_URL: pgServer.url, NATS_URL: nats.url };
    const projector = await startMarquee(t, { ROLE: 'projector', DATA_DIR: await tempDir(t, 'projector'), ...shared });
    const apis = await Promise.all(
      ['api-1', 'api-2', 'api-3'].map(async (name) =>
        startMarquee(t, { ROLE: 'api', DATA_DIR: await tempDir(t, name), ...shared }, { name }),
      ),
    );
    await Promise.all([projector, ...apis].map((m) => m.ready()));
    const organizer = await signIn(apis[0]!.url);
    const buyers = await registerBuyers(apis[1]!.url, 24);
    const { eventId, seats } = await createOnSale(apis[2]!.url, organizer, 20, 40);

    const rotation = new Set(apis.map((a) => a.url));
    let turn = 0;
    const target = (): string => {
      const urls = [...rotation];
      return urls[turn++ % urls.length]!;
    };
    const holds = storm({ buyers, eventId, seats, target, pauseMs: 5 });

    await waitFor(
      'holds through every process',
      () => apis.every((a) => holds.attempts.some((h) => h.target === a.url && h.status === 201)),
      60_000,
    );
    const first = await ownerAmong(apis);
    t.equal(first, apis[2], 'the process that scheduled the event owns its writer');
    t.same(await Promise.all(apis.map((a) => sample(a, 'marquee_writer_owned_events'))), [0, 0, 1], 'and it is the only owner');
    t.ok((await sample(apis[0]!, 'marquee_writer_ownership_total{event="forwarded"}')) > 0, 'the others forward its commands');

    // kill -9 of the owner: the balancer notices the refused connections and stops sending it requests.
    const killedAt = Date.now();
    first!.signalGroup('SIGKILL');
    rotation.delete(first!.url);
    t.same(await first!.exit(), { code: null, signal: 'SIGKILL' }, 'the owner is killed mid-storm');
    await waitFor('a hold acknowledged after the kill', () => firstHeldAfter(holds.attempts, killedAt) !== undefined, 10_000, 20);
    const afterKill = firstHeldAfter(holds.attempts, killedAt)!;
    t.ok(afterKill < 5_000, `holds succeed again ${afterKill} ms after the owner was killed`);
    const second = await ownerAmong(apis.slice(0, 2));
    t.ok(second, 'another process took the writer over');
    await waitFor('more holds with the new owner', () => acknowledged(holds.attempts.filter((a) => a.at > killedAt)).length >= 60, 60_000);

    // SIGTERM of the new owner: out of rotation, then the signal; it hands the writer over before it exits.
    rotation.delete(second!.url);
    const termAt = Date.now();
    second!.signalGroup('SIGTERM');
    t.same(await second!.exit(), { code: 0, signal: null }, 'the second owner drains and exits 0');
    t.same(crashLines(second!.output()), [], 'and logged no error');
    t.match(second!.output(), /handed every owned writer over/, 'after handing its writer over');
    const last = apis.find((a) => a !== first && a !== second)!;
    const sinceTerm = Date.now();
    await waitFor(
      'holds through the last process',
      () => acknowledged(holds.attempts.filter((a) => a.at > sinceTerm)).length >= 40,
      60_000,
    );
    const attempts = await holds.stop();
    t.equal(await ownerAmong([last]), last, 'the last process owns the writer');

    const duringKill = attempts.filter((a) => a.at >= killedAt && a.at < termAt && a.target !== first!.url && !decided(a));
    t.ok(
      duringKill.every((a) => a.status === 503 && a.type === 'unavailable' && a.retryAfter !== null),
      `while the writer was taken over, commands were decided or answered 503 unavailable with retry-after (${JSON.stringify(tally(duringKill))})`,
    );
    const cut = attempts.filter((a) => a.target === first!.url && !decided(a));
    t.ok(
      cut.every((a) => a.status === 0),
      `at the killed process only requests in flight went unanswered (${JSON.stringify(tally(cut))})`,
    );
    const afterTerm = attempts.filter((a) => a.at >= termAt && !decided(a));
    t.same(
      tally(afterTerm),
      {},
      `the SIGTERM hand-over failed no request (${JSON.stringify(tally(attempts.filter((a) => a.at >= termAt)))})`,
    );

    const stream = await heldInStream(pgServer.url, eventId);
    t.pass(`no seat held twice in the stream (${stream.seats.size} seats held, version ${stream.version})`);
    const { checked, problems } = await checkAcknowledged(last.url, pgServer.url, eventId, attempts);
    t.same(problems, [], `all ${checked} acknowledged holds are held with their seats, as the stream says`);
    const conflicts = await sample(last, 'marquee_writer_appends_total{result="conflict"}');
    const appended = await sample(last, 'marquee_writer_appends_total{result="appended"}');
    t.comment(
      `measured: holds again ${afterKill} ms after kill -9 of the owner; ${attempts.length} holds (${JSON.stringify(tally(attempts))}); last process: ${appended} appends, ${conflicts} refused for version conflicts`,
    );
    await waitForSeatMapToMatchStream(last.url, pgServer.url, eventId);
    t.pass('the seat map agrees with the stream');
    t.same(
      await Promise.all([last, projector].map((m) => m.stop())),
      [0, 1].map(() => ({ code: 0, signal: null })),
      'the rest stop with exit code 0',
    );
  },
);
