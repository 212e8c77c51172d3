import type pg from 'pg';
import { createPgClient, isConnectionFailure } from '../runtime/pg-connections.js';
import type { AllSubscription, LogPosition, RecordedEvent } from './event-store.js';
import { comparePositions } from './event-store.js';

export type Page = {
  readonly events: RecordedEvent[];
  /** Every event up to here has been scanned (matching or not) and no in-flight transaction lies below it. */
  readonly scannedTo: LogPosition | undefined;
};

export type Wakeups = {
  /** Calls `wake` on every notification and after (re)connecting; returns the unsubscribe function. */
  add(wake: () => void): () => void;
  close(): Promise<void>;
};

const RECONNECT_MS = 1_000;

/**
 * One LISTEN connection shared by every subscription of a store, opened while
 * at least one subscription runs and reopened when it drops. Missed
 * notifications are harmless: subscriptions also poll.
 */
export const listenForAppends = (connectionString: string, channel: string): Wakeups => {
  const wakers = new Set<() => void>();
  let client: pg.Client | undefined;
  let connecting = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const wakeAll = (): void => wakers.forEach((w) => w());

  const connect = (): void => {
    if (stopped || client || connecting || wakers.size === 0) return;
    connecting = true;
    const c = createPgClient({ connectionString, application_name: 'marquee-event-store-listener' }, () => dropped());
    const dropped = (): void => {
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        connect();
      }, RECONNECT_MS);
    };
    c.on('notification', wakeAll);
    c.on('end', dropped);
    c.connect()
      .then(() => c.query(`LISTEN ${channel}`))
      .then(() => {
        connecting = false;
        if (stopped || wakers.size === 0) {
          c.end().catch(() => undefined);
          return;
        }
        client = c;
        wakeAll();
      })
      .catch(() => {
        connecting = false;
        dropped();
      });
  };

  const disconnect = (): void => {
    if (retry) clearTimeout(retry);
    retry = undefined;
    const c = client;
    client = undefined;
    c?.removeAllListeners('end');
    c?.removeAllListeners('notification');
    c?.on('error', () => undefined);
    c?.end().catch(() => undefined);
  };

  return {
    add(wake) {
      wakers.add(wake);
      connect();
      return () => {
        wakers.delete(wake);
        if (wakers.size === 0) disconnect();
      };
    },
    async close() {
      stopped = true;
      wakers.clear();
      disconnect();
    },
  };
};

export type SubscriptionDeps = {
  readonly readPage: (after: LogPosition | undefined, maxCount: number) => Promise<Page>;
  readonly wakeups: Wakeups;
  readonly pollMs: number;
  readonly coalesceMs: number;
  readonly pageSize: number;
  readonly onClose: () => void;
};

/** Catch-up through pages of the gap-free log, then wait for a notification or the poll interval. */
export const pollingSubscription = (deps: SubscriptionDeps, after: LogPosition | undefined): AllSubscription => {
  let closed = false;
  let woken = false;
  let wakeWaiter: (() => void) | undefined;
  const wake = (): void => {
    woken = true;
    wakeWaiter?.();
  };
  const waitForWake = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (woken || closed) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeWaiter = undefined;
        resolve();
      }
      wakeWaiter = done;
    });
  let unlisten: (() => void) | undefined;

  async function* run(): AsyncGenerator<RecordedEvent> {
    unlisten = deps.wakeups.add(wake);
    let cursor = after;
    let failures = 0;
    try {
      while (!closed) {
        woken = false;
        const readAt = Date.now();
        let page: Page;
        try {
          page = await deps.readPage(cursor, deps.pageSize);
          failures = 0;
        } catch (e) {
          if (closed) return;
          // The server restarting or a dropped connection is ridden out; anything else ends the subscription.
          if (!isConnectionFailure(e)) throw e;
          failures += 1;
          await waitForWake(Math.min(5_000, deps.pollMs * 2 ** failures));
          continue;
        }
        for (const event of page.events) {
          if (closed) return;
          cursor = event.position;
          yield event;
        }
        if (page.events.length === deps.pageSize) continue;
        if (page.scannedTo && (!cursor || comparePositions(page.scannedTo, cursor) > 0)) cursor = page.scannedTo;
        await waitForWake(deps.pollMs);
        const early = deps.coalesceMs - (Date.now() - readAt);
        if (early > 0 && !closed) await new Promise((resolve) => setTimeout(resolve, early));
      }
    } finally {
      unlisten?.();
      deps.onClose();
    }
  }

  const iterator = run();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      if (closed) return;
      closed = true;
      wake();
      await iterator.return(undefined);
      deps.onClose();
    },
  };
};
