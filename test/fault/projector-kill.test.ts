import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import type { LogPosition } from '../../src/commands/event-store/index.js';
import { comparePositions } from '../../src/commands/event-store/index.js';
import { createMemoryBus } from '../../src/projections/bus/index.js';
import { readModelProjections } from '../../src/runtime/compose/index.js';
import { rebuildProjections } from '../../src/projections/projector/index.js';
import {
  catalogueCounts,
  appendEvent,
  confirmed,
  dumpTables,
  givenEvent,
  held,
  openEnv,
  paid,
  READ_MODEL_TABLES,
  readEverything,
  released,
  silentLog,
  waitFor,
  type Env,
} from '../projections/helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/projector-process.ts', import.meta.url));
const projections = readModelProjections({ bus: createMemoryBus(), log: silentLog });

type Child = { proc: ChildProcess; lines: string[]; exited: Promise<number | null> };

const spawnProjector = (t: Test, url: string, pause?: string): Child => {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, DATABASE_URL: url, ...(pause ? { PAUSE_BEFORE_CHECKPOINT: pause } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  proc.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return { proc, lines, exited };
};

const checkpoints = async (env: Env): Promise<Map<string, LogPosition | undefined>> => {
  const r = await env.pool.query<{ name: string; commit: string | null; prepare: string | null }>(
    'SELECT name, commit::text, prepare::text FROM projection_checkpoints',
  );
  return new Map(
    r.rows.map((row) => [
      row.name,
      row.commit === null || row.prepare === null ? undefined : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) },
    ]),
  );
};

/** Every projection's committed checkpoint has reached the last event it reads. */
const allCaughtUp = async (env: Env): Promise<boolean> => {
  const cps = await checkpoints(env);
  for (const p of projections) {
    const last = (await readEverything(env.store, p.streamPrefixes)).at(-1)?.position;
    const cp = cps.get(p.name);
    if (last && (!cp || comparePositions(cp, last) < 0)) return false;
  }
  return true;
};

const moreTraffic = async (env: Env, eventId: string, from: number, n: number): Promise<void> => {
  for (let i = from; i < from + n; i++) {
    const seat = `A-${(i % 2) + 1}-${(i % 3) + 1}`;
    const id = `${eventId}-${i}`;
    await appendEvent(env.store, eventId, [
      held(eventId, id, { seats: [seat], standing: [{ sectionId: 'PIT', quantity: 1 }], userId: `u${i % 3}` }),
    ]);
    if (i % 2 === 0) await appendEvent(env.store, eventId, [released(eventId, id, 'expired', [seat], [{ sectionId: 'PIT', quantity: 1 }])]);
    else
      await appendEvent(env.store, eventId, [
        paid(eventId, id, 10_500),
        confirmed(eventId, id, [{ seat, sectionId: 'A' }, { sectionId: 'PIT' }], `u${i % 3}`),
      ]);
  }
};

t.test('a projector killed between a read-model write and its checkpoint resumes to what a rebuild gives', async (t) => {
  const env = await openEnv(t);
  const { eventId } = await givenEvent(env.store);
  await moreTraffic(env, eventId, 0, 2);

  const first = spawnProjector(t, env.url);
  await waitFor('first projector ready', async () => first.lines.includes('READY'), 60_000);
  await waitFor('first projector to catch up', () => allCaughtUp(env), 60_000);
  first.proc.kill('SIGKILL');
  await first.exited;
  const committed = await checkpoints(env);
  const before = await dumpTables(env.pool, READ_MODEL_TABLES);

  await moreTraffic(env, eventId, 2, 2);
  const paused = spawnProjector(t, env.url, 'all');
  await waitFor(
    'every projection to pause inside its transaction',
    async () => projections.every((p) => paused.lines.includes(`PAUSED ${p.name}`)),
    60_000,
  );
  t.same(await checkpoints(env), committed, 'no checkpoint moved');
  t.same(await dumpTables(env.pool, READ_MODEL_TABLES), before, 'nothing uncommitted is visible');
  paused.proc.kill('SIGKILL');
  t.equal(await paused.exited, null, 'killed by a signal');

  const third = spawnProjector(t, env.url);
  await waitFor('third projector ready', async () => third.lines.includes('READY'), 60_000);
  await waitFor('third projector to catch up', () => allCaughtUp(env), 60_000);
  third.proc.kill('SIGTERM');
  t.equal(await third.exited, 0, 'stops cleanly on SIGTERM');
  const resumed = await dumpTables(env.pool, READ_MODEL_TABLES);
  t.same(await catalogueCounts(env.pool, eventId), { sold: 4, held: 0 }, 'each event counted once');

  await rebuildProjections({ store: env.store, pool: env.pool, projections, names: 'all', log: silentLog });
  t.same(resumed, await dumpTables(env.pool, READ_MODEL_TABLES), 'equal to a fresh rebuild');
});
