import type { WaitingRoomQueue } from './queue.js';

export type AdmissionLoop = {
  /** Waits for a tick in flight, then stops; idempotent. */
  readonly stop: () => Promise<void>;
};

export type AdmissionLoopOptions = {
  readonly queue: WaitingRoomQueue;
  /** ms since the epoch. */
  readonly clock?: () => number;
  /** Between the end of one tick and the start of the next. */
  readonly intervalMs?: number;
  readonly onError?: (err: unknown) => void;
};

export const DEFAULT_TICK_MS = 250;

/**
 * Ticks every room of the queue in the background. Run one per API process:
 * with Redis every process may tick (the Lua admit is atomic and the bucket is
 * shared, so more tickers do not admit more), and the queue keeps moving while
 * any process is up.
 */
export const startAdmissionLoop = ({
  queue,
  clock = Date.now,
  intervalMs = DEFAULT_TICK_MS,
  onError,
}: AdmissionLoopOptions): AdmissionLoop => {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = queue
        .tickAll(clock())
        .then(
          () => undefined,
          (err: unknown) => onError?.(err),
        )
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
};
