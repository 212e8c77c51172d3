import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { isPortBusMessage, type Bus } from '../../projections/bus/index.js';
import type { Projector } from '../../projections/projector/index.js';

/** One projection's lag as the thread reports it (for /metrics). */
export type ThreadLag = { readonly projection: string; readonly events: number; readonly seconds: number };

/** What /metrics reports of a projector, in this thread or the projector thread. */
export const lagOf = (projector: Pick<Projector, 'status'> | undefined): ThreadLag[] =>
  (projector?.status() ?? []).map((s) => ({ projection: s.name, events: s.eventsBehind, seconds: s.msBehind / 1000 }));

/** What the projector thread posts to its parent, besides bus messages. */
export type ProjectorThreadMessage =
  | { readonly type: 'started' }
  | { readonly type: 'lag'; readonly lag: readonly ThreadLag[] }
  | { readonly type: 'failed'; readonly message: string };

/** What the parent posts to the thread. */
export type ProjectorThreadCommand = { readonly type: 'stop' } | { readonly type: 'pressure'; readonly busy: boolean };

export type ProjectorThread = {
  /** The last lag the thread reported; [] before its first report. */
  lag(): readonly ThreadLag[];
  /** Asks the thread to finish its batches and close its clients, then waits for it to exit. */
  stop(): Promise<void>;
  /** Tells the thread's projector whether the writers are under pressure (see ProjectorDeps.pressure). */
  setPressure(busy: boolean): void;
};

export type ProjectorThreadOptions = {
  /** The thread's environment: the process's, with ROLE=projector and the resolved DATABASE_URL. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the thread's bus messages are published in this thread (the in-process bus). */
  readonly bus: Bus;
  readonly log: Logger;
  /** How long stop() waits for a clean exit before terminating the thread; default 10 s. */
  readonly stopTimeoutMs?: number;
  /** The thread's module; default src/runtime/projector-thread (tests give their own). */
  readonly entry?: URL;
};

const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 10_000;

/**
 * ROLE=all runs its projections in a worker thread (src/runtime/projector-thread.ts): the read
 * side then has a core of its own instead of taking turns with the writer and HTTP on one event
 * loop. Resolves once the thread's projector runs; a thread that dies later is started again
 * (the projections resume from their checkpoints), with a growing pause if it keeps dying.
 */
/**
 * The read side's young generation, in MB (V8's default is about 48). Its batches are short-lived garbage either
 * way; at 8 MB the thread collects it more often at low priority and the process is about 40 MB smaller after an
 * on-sale, at the same fill rate.
 */
const THREAD_YOUNG_GENERATION_MB = 8;

export const startProjectorThread = async (options: ProjectorThreadOptions): Promise<ProjectorThread> => {
  const { bus, log } = options;
  // Under tsx (`npm start`) the thread's entry is TypeScript too, and a worker does not inherit tsx's loader:
  // the thread registers it before it imports the entry.
  const typescript = import.meta.url.endsWith('.ts');
  const entry = options.entry ?? new URL(`../projector-thread${typescript ? '.ts' : '.js'}`, import.meta.url);
  const boot = typescript
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`
    : undefined;
  let lag: readonly ThreadLag[] = [];
  let stopping = false;
  let failures = 0;
  let worker: Worker;
  let exited: Promise<number>;
  let restartTimer: NodeJS.Timeout | undefined;

  const spawn = (onStarted?: (err?: Error) => void): void => {
    const settings = { env: { ...options.env }, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } };
    worker = boot ? new Worker(boot, { eval: true, ...settings }) : new Worker(entry, settings);
    let started = false;
    worker.on('message', (m: unknown) => {
      if (isPortBusMessage(m)) {
        void bus.publish(m.subject, m.message);
        return;
      }
      const msg = m as ProjectorThreadMessage;
      if (msg.type === 'started') {
        started = true;
        failures = 0;
        onStarted?.();
      } else if (msg.type === 'lag') lag = msg.lag;
      else if (msg.type === 'failed') log.error({ reason: msg.message }, 'projector thread failed');
    });
    worker.on('error', (err) => log.error({ err }, 'projector thread threw'));
    exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        resolve(code);
        if (!started) {
          onStarted?.(new Error(`the projector thread exited with code ${code} before it started`));
          return;
        }
        if (stopping) return;
        failures += 1;
        const pause = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** Math.min(failures, 5));
        log.error({ code, restartInMs: pause }, 'projector thread exited; starting it again');
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (!stopping) spawn();
        }, pause);
      });
    });
  };

  await new Promise<void>((resolve, reject) => spawn((err) => (err ? reject(err) : resolve())));

  return {
    lag: () => lag,
    setPressure: (busy) => {
      const m: ProjectorThreadCommand = { type: 'pressure', busy };
      if (!stopping) worker.postMessage(m);
    },
    stop: async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const stop: ProjectorThreadCommand = { type: 'stop' };
      worker.postMessage(stop);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.stopTimeoutMs ?? 10_000).unref());
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        log.warn('the projector thread did not stop in time: terminating it');
        await worker.terminate();
      }
    },
  };
};
