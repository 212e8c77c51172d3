import { createHash } from 'node:crypto';
import type pg from 'pg';
import { createPgClient, type Log } from '../platform/index.js';

/**
 * Leases on event writers as PostgreSQL session advisory locks, all held on one
 * connection of this process. The lock lives exactly as long as that session:
 * a process killed with -9 closes its socket, its backend ends and every lock it
 * held is free at once, with no TTL to wait out and no renewal traffic. A lost
 * connection means every lease is lost; `onLost` tells the owner to stop
 * serving before anyone else can take over (they need the same server to
 * grant the lock), and the next `tryAcquire` reconnects.
 */
export type Leases = {
  /** True when this process now holds the lease (or already did). */
  tryAcquire(key: string): Promise<boolean>;
  /** Gives the lease up; a no-op when not held. */
  release(key: string): Promise<void>;
  holds(key: string): boolean;
  /** The keys held, for hand-over and metrics. */
  held(): readonly string[];
  /** Gives every lease up and closes the connection. */
  close(): Promise<void>;
};

export type PgLeasesOptions = {
  readonly connectionString: string;
  readonly log: Pick<Log, 'warn' | 'info'>;
  /** Called with the keys that were held when the connection was lost. */
  readonly onLost: (keys: readonly string[]) => void;
  readonly applicationName?: string;
};

/** A signed 64-bit lock id from the key, as text for a bigint parameter; a collision only makes two events share an owner. */
export const lockId = (key: string): string => createHash('sha256').update(`marquee-writer:${key}`).digest().readBigInt64BE(0).toString();

export const createPgLeases = (options: PgLeasesOptions): Leases => {
  const { log, onLost } = options;
  const held = new Set<string>();
  let session: Promise<pg.Client> | undefined;
  let active: pg.Client | undefined;
  let closed = false;

  const lose = (client: pg.Client, err: Error | undefined): void => {
    if (client !== active) return;
    active = undefined;
    session = undefined;
    client.end().catch(() => undefined);
    const keys = [...held];
    held.clear();
    if (closed) return;
    if (keys.length > 0)
      log.warn({ reason: err?.message, leases: keys.length }, 'lease connection lost: giving up every writer this process owned');
    onLost(keys);
  };

  const connect = (): Promise<pg.Client> => {
    if (session) return session;
    const client = createPgClient(
      { connectionString: options.connectionString, application_name: options.applicationName ?? 'marquee-writer-leases' },
      (err) => lose(client, err),
    );
    client.on('end', () => lose(client, undefined));
    active = client;
    const opening = client.connect().then(
      () => client,
      (err: unknown) => {
        if (active === client) {
          active = undefined;
          session = undefined;
        }
        throw err;
      },
    );
    session = opening;
    return opening;
  };

  return {
    async tryAcquire(key) {
      if (closed) return false;
      if (held.has(key)) return true;
      const client = await connect();
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockId(key)]);
      if (!r.rows[0]?.ok) return false;
      // The session may have been lost while the answer travelled: then the lock went with it.
      if (active !== client) return false;
      held.add(key);
      return true;
    },
    async release(key) {
      if (!held.delete(key) || !session) return;
      const client = await session;
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockId(key)]);
    },
    holds: (key) => held.has(key),
    held: () => [...held],
    async close() {
      closed = true;
      const current = active;
      active = undefined;
      session = undefined;
      held.clear();
      await current?.end().catch(() => undefined);
    },
  };
};
