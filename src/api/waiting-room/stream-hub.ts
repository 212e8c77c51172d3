import type { QueueAnswer, WaitingRoomQueue } from '../../commands/waiting-room/index.js';

export type Watcher = {
  readonly eventId: string;
  readonly userId: string;
  /** Answers false once the stream has ended. */
  readonly deliver: (answer: QueueAnswer) => boolean;
};

/** Per process: re-reads the places of its stream clients, batched per event, and at once for users just admitted. */
export const createStreamHub = (queue: WaitingRoomQueue, clock: () => number, pollMs: number, onError: (err: unknown) => void) => {
  const byEvent = new Map<string, Set<Watcher>>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  // A poll and an admission may read the same place concurrently: only the later read is delivered.
  let reads = 0;
  const lastRead = new WeakMap<Watcher, number>();

  const refresh = async (eventId: string, watchers: readonly Watcher[]): Promise<void> => {
    if (watchers.length === 0) return;
    const read = ++reads;
    const answers = await queue.statuses(
      eventId,
      watchers.map((w) => w.userId),
      clock(),
    );
    watchers.forEach((w, i) => {
      const a = answers[i];
      if (!a || (lastRead.get(w) ?? 0) > read) return;
      lastRead.set(w, read);
      if (!w.deliver(a)) remove(w);
    });
  };

  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      for (const [eventId, watchers] of byEvent) await refresh(eventId, [...watchers]).catch(onError);
    } finally {
      polling = false;
    }
  };

  const unlisten = queue.onAdmitted((eventId, userIds) => {
    const watchers = byEvent.get(eventId);
    if (!watchers) return;
    const admitted = new Set(userIds);
    refresh(
      eventId,
      [...watchers].filter((w) => admitted.has(w.userId)),
    ).catch(onError);
  });

  const add = (w: Watcher): void => {
    let set = byEvent.get(w.eventId);
    if (!set) byEvent.set(w.eventId, (set = new Set()));
    set.add(w);
    if (!timer) {
      timer = setInterval(() => void poll(), pollMs);
      timer.unref();
    }
  };

  const remove = (w: Watcher): void => {
    const set = byEvent.get(w.eventId);
    if (!set) return;
    set.delete(w);
    if (set.size === 0) byEvent.delete(w.eventId);
    if (byEvent.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const close = (): void => {
    unlisten();
    if (timer) clearInterval(timer);
    timer = undefined;
    byEvent.clear();
  };

  return { add, remove, close };
};
