import type { RefundRequested } from '../../domain/ticketed-event/index.js';
import { pget } from '../../domain/shared/index.js';
import type { AllSubscription, EventStore, LogPosition } from '../event-store/index.js';
import type { PaymentPort, RefundRequest } from './port.js';
import type { Ticketing } from '../ticketing/index.js';
import type { Log } from '../platform/index.js';

/**
 * The refund processor: follows the log for RefundRequested (a late payment
 * whose seats were taken, a duplicate payment, a cancelled event) and asks the
 * provider for the money back, retrying with back-off until the provider takes
 * the request. The provider reports the refund as `charge.refunded` through the
 * webhook handler, which records RefundIssued. Requests whose payment is
 * already refunded (seen on the catch-up after a restart) are skipped; the
 * provider call is idempotent per booking and payment, so several processes
 * may run this at once.
 */

export type RefundProcessorDeps = {
  readonly store: EventStore;
  readonly ticketing: Ticketing;
  readonly port: PaymentPort;
  readonly log: Pick<Log, 'warn'> & Partial<Pick<Log, 'debug'>>;
  /** First retry delay; doubles up to maxRetryMs. Default 1000. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Provider calls in flight at once; default 4. */
  readonly concurrency?: number;
};

export type RefundProcessor = {
  /** Refunds asked of the provider so far (for tests and metrics). */
  readonly requested: () => number;
  stop(): Promise<void>;
};

const keyOf = (r: RefundRequest): string => `${r.eventId}\u0000${r.bookingId}\u0000${r.paymentId}`;

export const startRefundProcessor = (deps: RefundProcessorDeps): RefundProcessor => {
  const retryMs = deps.retryMs ?? 1000;
  const maxRetryMs = deps.maxRetryMs ?? 60_000;
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const queue: { request: RefundRequest; attempt: number }[] = [];
  const known = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let active = 0;
  let requested = 0;
  let stopped = false;

  /** Still owed: the stream has the payment with a refund requested and not yet issued. */
  const stillOwed = async (r: RefundRequest): Promise<boolean> => {
    const { state } = await deps.ticketing.eventState(r.eventId, { refresh: true });
    if (state.status !== 'scheduled') return false;
    const payment = pget(state.bookings, r.bookingId)?.payments.find((p) => p.paymentId === r.paymentId);
    return payment?.refund === 'requested';
  };

  const attempt = async (item: { request: RefundRequest; attempt: number }): Promise<void> => {
    const r = item.request;
    try {
      if (await stillOwed(r)) {
        await deps.port.refund(r);
        requested++;
        deps.log.debug?.({ bookingId: r.bookingId, paymentId: r.paymentId }, 'refund asked of the provider');
      }
      known.delete(keyOf(r));
    } catch (err) {
      if (stopped) return;
      const delay = Math.min(maxRetryMs, retryMs * 2 ** Math.min(item.attempt, 16));
      deps.log.warn({ err, bookingId: r.bookingId, paymentId: r.paymentId, retryInMs: delay }, 'refund failed; will retry');
      const timer = setTimeout(() => {
        timers.delete(timer);
        queue.push({ request: r, attempt: item.attempt + 1 });
        pump();
      }, delay);
      timers.add(timer);
    }
  };

  const pump = (): void => {
    while (!stopped && active < concurrency && queue.length > 0) {
      const item = queue.shift()!;
      active++;
      const p = attempt(item).finally(() => {
        active--;
        inFlight.delete(p);
        pump();
      });
      inFlight.add(p);
    }
  };

  const enqueue = (e: RefundRequested['data']): void => {
    if (e.paymentId === '') {
      deps.log.warn({ bookingId: e.bookingId }, 'refund requested without a payment id; nothing to refund');
      return;
    }
    const request: RefundRequest = {
      eventId: e.eventId,
      bookingId: e.bookingId,
      paymentId: e.paymentId,
      amount: e.amount,
      currency: e.currency,
      reason: e.reason,
    };
    if (known.has(keyOf(request))) return;
    known.add(keyOf(request));
    queue.push({ request, attempt: 0 });
    pump();
  };

  let subscription: AllSubscription | undefined;
  let wake: (() => void) | undefined;
  const following = (async () => {
    let after: LogPosition | undefined;
    while (!stopped) {
      try {
        subscription = deps.store.subscribeToAll({ streamPrefixes: ['event-'], ...(after ? { after } : {}) });
        for await (const e of subscription) {
          if (stopped) break;
          if (e.type === 'RefundRequested') enqueue(e.data);
          after = e.position;
        }
      } catch (err) {
        if (stopped) break;
        deps.log.warn({ err, retryInMs: retryMs }, 'the refund processor lost the log; following it again shortly');
      }
      if (!stopped)
        await new Promise<void>((resolve) => {
          wake = resolve;
          const t = setTimeout(resolve, retryMs);
          t.unref();
        });
    }
  })();

  return {
    requested: () => requested,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await subscription?.close();
      wake?.();
      await following;
      await Promise.allSettled([...inFlight]);
    },
  };
};
