import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { createMemoryBus } from '../../../src/projections/bus/index.js';
import { startProjectorThread } from '../../../src/runtime/compose/projector-thread.js';

t.test('a projector thread that dies is started again, its bus messages and lag reach the parent, and stop() ends it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'marquee-thread-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bus = createMemoryBus();
  const starts: unknown[] = [];
  const twice = new Promise<void>((resolve) => {
    bus.subscribe('thread.started', (m) => {
      starts.push(m);
      if (starts.length === 2) resolve();
    });
  });
  const thread = await startProjectorThread({
    env: { FLAKY_MARKER: join(dir, 'marker') },
    bus,
    log: pino({ level: 'silent' }),
    entry: new URL('./flaky-thread.ts', import.meta.url),
  });
  await twice;
  t.same(
    starts,
    [
      { first: true, youngMb: 8 },
      { first: false, youngMb: 8 },
    ],
    'the first start died and a second one came up, each with the small young generation',
  );
  for (let i = 0; i < 50 && thread.lag()[0]?.events !== 2; i++) await new Promise((r) => setTimeout(r, 20));
  t.same(thread.lag(), [{ projection: 'flaky', events: 2, seconds: 0 }], 'the lag the running thread reported');
  await thread.stop();
  await bus.close();
});

t.test('a thread that exits before it reports started fails the start', async (t) => {
  await t.rejects(
    startProjectorThread({
      env: {},
      bus: createMemoryBus(),
      log: pino({ level: 'silent' }),
      entry: new URL('./flaky-thread.ts', import.meta.url),
    }),
    /exited with code 1 before it started/,
  );
});
