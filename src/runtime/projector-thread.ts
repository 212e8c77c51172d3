/**
 * The projector thread of ROLE=all (see compose/projector-thread.ts): the same
 * composition as ROLE=projector, without HTTP. Its bus messages go to the
 * parent thread unless the process has NATS.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { pino } from 'pino';
import { createPortBus } from '../projections/bus/index.js';
import { compose, type Runtime } from './compose/index.js';
import { lagOf, type ProjectorThreadCommand, type ProjectorThreadMessage } from './compose/projector-thread.js';
import { loadConfig } from './config/index.js';

const LAG_REPORT_MS = 1_000;

const port = parentPort;
if (!port) throw new Error('projector-thread.ts runs as a worker thread of the server');
const post = (m: ProjectorThreadMessage): void => port.postMessage(m);

const config = loadConfig(process.env);
const log = pino({ level: config.LOG_LEVEL, base: { role: 'projector-thread' } });

// On Linux a thread's nice value is its own: the writer and HTTP in the main thread keep the CPU while a hot
// on-sale needs it, and the read side takes the rest and catches up in bigger batches.
try {
  setPriority(0, config.PROJECTOR_THREAD_NICE);
} catch (err) {
  log.warn({ err }, 'cannot lower the projector thread priority');
}
let runtime: Runtime | undefined;
let timer: NodeJS.Timeout | undefined;

const stop = async (): Promise<void> => {
  if (timer) clearInterval(timer);
  try {
    await runtime?.close();
  } catch (err) {
    log.warn({ err }, 'closing the projector thread failed');
  }
  port.close();
};

// The main thread's writers: while they append back to back, the projections step back (ProjectorDeps.pressure).
let writersBusy = false;

port.on('message', (m: ProjectorThreadCommand) => {
  if (m.type === 'pressure') {
    writersBusy = m.busy;
    return;
  }
  // A shutdown must not wait behind a busy machine: back to the main thread's priority where the system lets
  // a thread raise its own (root, or RLIMIT_NICE); elsewhere it stops at its nice value.
  try {
    setPriority(0, 0);
  } catch {
    // not permitted here
  }
  void stop();
});

try {
  // With NATS the thread publishes there itself, like a ROLE=projector process.
  const pressure = { busy: () => writersBusy };
  runtime = await compose(config, log, config.NATS_URL ? { pressure } : { bus: createPortBus(port, { log }), pressure });
  await runtime.start();
  const current = runtime;
  timer = setInterval(() => {
    post({ type: 'lag', lag: lagOf(current.projector()) });
  }, LAG_REPORT_MS);
  post({ type: 'started' });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  await runtime?.close().catch(() => undefined);
  process.exit(1);
}
