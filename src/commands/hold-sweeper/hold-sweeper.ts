import type { Log } from '../platform/index.js';
/**
 * The hold-expiry sweeper: asks a due-holds source (a read model, passed in:
 * commands never import projections) for holds past their deadline and sends
 * the expire command for each. Expiry itself is lazy and exact in the decider;
 * this only makes read models and seat maps show it. Expire is idempotent (a
 * no-op once the booking was paid, released or expired), so several sweepers
 * may run at once, in one process or many.
 */

export type DueHold = { readonly eventId: string; readonly bookingId: string; readonly expiresAt: string };

export type HoldSweeperDeps = {
  readonly dueHolds: (now: Date, limit: number) => Promise<readonly DueHold[]>;
  readonly expire: (eventId: string, bookingId: string, now: Date) => Promise<void>;
  readonly now?: () => Date;
  /** Pause between sweeps; default 500 ms. */
  readonly intervalMs?: number;
  /** Most holds taken per sweep; default 500. */
  readonly batchSize?: number;
  /** Expire commands in flight at once; default 8. */
  readonly concurrency?: number;
  /** A hold already sent is not sent again for this long (the read model may trail the command); default 5000 ms. */
  readonly resendAfterMs?: number;
  readonly log: Pick<Log, 'debug' | 'warn'>;
};

export type HoldSweeper = {
  /** One sweep now; resolves with the number of expire commands sent. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
};

export const startHoldSweeper = (deps: HoldSweeperDeps): HoldSweeper => {
  const now = deps.now ?? (() => new Date());
  const intervalMs = deps.intervalMs ?? 500;
  const batchSize = deps.batchSize ?? 500;
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  const resendAfterMs = deps.resendAfterMs ?? 5_000;
  const sent = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const sweepOnce = async (): Promise<number> => {
    const at = now();
    const clock = Date.now();
    for (const [id, t] of sent) if (clock - t >= resendAfterMs) sent.delete(id);
    const due = (await deps.dueHolds(at, batchSize)).filter((h) => !sent.has(h.bookingId));
    let next = 0;
    let count = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && next < due.length) {
        const hold = due[next++];
        if (!hold) return;
        sent.set(hold.bookingId, Date.now());
        try {
          await deps.expire(hold.eventId, hold.bookingId, at);
          count++;
        } catch (err) {
          deps.log.warn({ err, eventId: hold.eventId, bookingId: hold.bookingId }, 'expiring a hold failed; will retry');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    if (count > 0) deps.log.debug({ expired: count }, 'hold sweeper sent expire commands');
    return count;
  };

  const sweep = (): Promise<number> => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      sweep()
        .catch((err: unknown) => deps.log.warn({ err }, 'hold sweep failed; retrying'))
        .finally(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    sweep,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
};
