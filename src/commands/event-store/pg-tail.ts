import type { Page } from './pg-subscription.js';
import type { EventShape, LogPosition, RecordedEvent } from './port.js';
import { comparePositions } from './port.js';

/**
 * The log's recent tail in memory, read once for every live subscription of a
 * store. Each projection subscribes on its own; near the head they would all
 * read (and decode) the same new events, one query each, a few times a second.
 * Here a subscription whose cursor lies inside the tail is answered from it, and
 * one unfiltered read refreshes the tail for every subscription waiting on it.
 * Subscriptions behind the tail (a catch-up, a rebuild) read the log themselves.
 *
 * The tail holds every event of the log in (start, end], in log order, where
 * `end` is how far an unfiltered read safely scanned: the same gap-free view a
 * subscription's own read would give.
 */

export type TailOptions<E extends EventShape> = {
  /** An unfiltered page of the log after a position (the store's read). */
  readonly readPage: (after: LogPosition | undefined, maxCount: number) => Promise<Page<E>>;
  /** Events kept; older ones are dropped (the subscriptions still on them read the log instead). */
  readonly capacity: number;
  /** Events per refreshing read. */
  readonly pageSize: number;
};

export type Tail<E extends EventShape> = {
  /**
   * A page for a subscription at `after` with `matches` as its stream filter, or
   * undefined when the tail does not reach back to `after` (read the log instead).
   * When the tail has nothing after `after`, it is refreshed first by a read that
   * starts after this call, so nothing committed before the call is missed.
   */
  page(after: LogPosition | undefined, maxCount: number, matches: (stream: string) => boolean): Promise<Page<E> | undefined>;
  /** A subscription that read the log itself and is caught up: the tail may start here if it has not started yet. */
  offerStart(at: LogPosition | undefined): void;
};

/** Negative when a is before b; the start of the log (undefined) is before every position. */
const compare = (a: LogPosition | undefined, b: LogPosition | undefined): number =>
  a === undefined ? (b === undefined ? 0 : -1) : b === undefined ? 1 : comparePositions(a, b);

export const createTail = <E extends EventShape>(options: TailOptions<E>): Tail<E> => {
  const { readPage, capacity, pageSize } = options;
  let started = false;
  let start: LogPosition | undefined;
  let end: LogPosition | undefined;
  const events: RecordedEvent<E>[] = [];
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  /** Index of the first event after `at`. */
  const firstAfter = (at: LogPosition | undefined): number => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(events[mid]!.position, at) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const read = async (): Promise<void> => {
    const got = await readPage(end, pageSize);
    const last = got.events.at(-1)?.position;
    if (got.events.length > 0) events.push(...got.events);
    // A full page may stop short of the scanned horizon: the tail then ends at its last event.
    const reached = got.events.length < pageSize && got.scannedTo !== undefined && compare(got.scannedTo, last) > 0 ? got.scannedTo : last;
    if (reached !== undefined && compare(reached, end) > 0) end = reached;
    if (events.length > capacity) {
      const dropped = events.splice(0, events.length - capacity);
      start = dropped.at(-1)!.position;
    }
  };

  /** A read that starts after now: the one running is joined only through the one queued behind it. */
  const refresh = (): Promise<void> => {
    if (!running) {
      running = read().finally(() => {
        running = undefined;
      });
      return running;
    }
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return refresh();
      });
    return next;
  };

  const covers = (after: LogPosition | undefined): boolean => started && compare(after, start) >= 0 && compare(after, end) <= 0;

  const answer = (after: LogPosition | undefined, maxCount: number, matches: (stream: string) => boolean): Page<E> => {
    const out: RecordedEvent<E>[] = [];
    for (let i = firstAfter(after); i < events.length; i++) {
      const e = events[i]!;
      if (!matches(e.stream)) continue;
      out.push(e);
      if (out.length === maxCount) return { events: out, scannedTo: e.position };
    }
    return { events: out, scannedTo: end };
  };

  return {
    async page(after, maxCount, matches) {
      if (!started || compare(after, start) < 0) return undefined;
      // Nothing newer here (or the caller already scanned further on its own): read the log's tail first.
      if (compare(after, end) > 0 || firstAfter(after) === events.length) {
        await refresh();
        if (!covers(after)) return undefined;
      }
      return answer(after, maxCount, matches);
    },
    offerStart(at) {
      if (started) return;
      started = true;
      start = at;
      end = at;
    },
  };
};
