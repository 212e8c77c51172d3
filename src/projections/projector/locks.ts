import pg from 'pg';
import { createPgClient, type Log } from '../../commands/platform/index.js';
import { RESET_CHANNEL } from './tables.js';

const LOCK_CLASS = 0x4d51; // "MQ": the first key of every projection lock

/** A connection of its own that holds the advisory locks; losing it means losing every lock. */
export const openLockConnection = (pool: pg.Pool, log: Log) => {
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  const held = new Set<string>();
  const lostListeners = new Set<() => void>();
  // One query at a time on the shared connection.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const resetListeners = new Map<string, Set<() => void>>();

  const drop = (c: pg.Client, err?: unknown): void => {
    if (client !== c) return;
    client = undefined;
    if (held.size > 0) log.warn({ err, projections: [...held] }, 'projection lock connection lost; stepping down');
    held.clear();
    lostListeners.forEach((l) => l());
    c.end().catch(() => undefined);
  };
  const get = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const c: pg.Client = createPgClient({ ...pool.options, application_name: 'marquee-projector-lock' }, (err) => {
        drop(c, err);
      });
      c.on('end', () => drop(c));
      c.on('notification', (n) => resetListeners.get(n.payload ?? '')?.forEach((l) => l()));
      try {
        await c.connect();
        await c.query(`LISTEN ${RESET_CHANNEL}`);
      } catch (e) {
        c.end().catch(() => undefined);
        throw e;
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    tryLock: (name: string): Promise<boolean> =>
      serial(async () => {
        if (held.has(name) && client) return true;
        const c = await get();
        const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, name]);
        const ok = r.rows[0]?.ok === true;
        if (ok) held.add(name);
        return ok;
      }),
    unlock: (name: string): Promise<void> =>
      serial(async () => {
        const c = client;
        if (!held.delete(name) || !c) return;
        await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, name]).catch(() => undefined);
      }),
    holds: (name: string): boolean => held.has(name),
    /** A rebuild reset this projection: the active instance must resume from the stored checkpoint. */
    onReset: (name: string, listener: () => void): (() => void) => {
      const set = resetListeners.get(name) ?? new Set<() => void>();
      resetListeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onLost: (listener: () => void): (() => void) => {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    close: async (): Promise<void> => {
      const c = client;
      client = undefined;
      held.clear();
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => undefined);
      }
    },
  };
};

export type LockConnection = ReturnType<typeof openLockConnection>;
