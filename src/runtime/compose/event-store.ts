import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventDecoder, EventShape, EventStore } from '../../commands/event-store/index.js';
import { openEsdbEventStore, openPgEventStore } from '../../commands/event-store/index.js';
import { createPgPool } from '../../commands/platform/index.js';
import type { Config } from '../config/index.js';
import { resolveDatabaseUrl } from '../postgres/index.js';

export type OpenedEventStore<E extends EventShape> = { readonly store: EventStore<E>; close(): Promise<void> };

/**
 * The event store the configuration names: EventStoreDB when EVENT_STORE=eventstoredb,
 * else PostgreSQL (DATABASE_URL, or the embedded server in DATA_DIR). `close` also
 * releases the embedded server when this call started it. `decode` types what the
 * store reads: `domainEvent` for the server, `anyEvent` for tools that copy streams.
 */
export const openEventStore = async <E extends EventShape>(
  config: Config,
  log: Logger,
  decode: EventDecoder<E>,
): Promise<OpenedEventStore<E>> => {
  switch (config.EVENT_STORE) {
    case 'eventstoredb': {
      const connectionString = config.EVENTSTORE_URL;
      if (!connectionString) throw new Error('EVENTSTORE_URL is required when EVENT_STORE=eventstoredb');
      const store = await openEsdbEventStore({
        decode,
        connectionString,
        onSubscriptionDropped: (err, retryInMs) =>
          log.warn({ err, retryInMs }, 'EventStoreDB subscription dropped; resubscribing from the last delivered position'),
      });
      try {
        await store.ping();
      } catch (err) {
        await store.close().catch(() => undefined);
        throw new Error(`cannot reach EventStoreDB at ${redact(connectionString)}: ${(err as Error).message}`, { cause: err });
      }
      return { store, close: () => store.close() };
    }
    case 'postgres': {
      const database = await resolveDatabaseUrl(config, log);
      try {
        const store = await openPgEventStore({ decode, connectionString: database.url, log });
        return {
          store,
          close: async () => {
            try {
              await store.close();
            } finally {
              await database.close();
            }
          },
        };
      } catch (err) {
        await database.close().catch(() => undefined);
        throw err;
      }
    }
    default: {
      const _: never = config.EVENT_STORE;
      throw new Error(`unknown EVENT_STORE ${String(_)}`);
    }
  }
};

const redact = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

export type OpenedStoreAndDatabase<E extends EventShape> = OpenedEventStore<E> & {
  /** The PostgreSQL database of the accounts and read models. */
  readonly pool: pg.Pool;
};

/**
 * The event store and the PostgreSQL database beside it (accounts), for tools that
 * move both (export, import). With the PostgreSQL event store both are one database,
 * so an embedded server is started once.
 */
export const openStoreAndDatabase = async <E extends EventShape>(
  config: Config,
  log: Logger,
  decode: EventDecoder<E>,
): Promise<OpenedStoreAndDatabase<E>> => {
  const database = await resolveDatabaseUrl(config, log);
  const pool = createPgPool({ connectionString: database.url, max: 2, application_name: 'marquee-cli' }, log);
  const releaseDatabase = async (): Promise<void> => {
    try {
      await pool.end();
    } finally {
      await database.close();
    }
  };
  try {
    const opened =
      config.EVENT_STORE === 'postgres'
        ? { store: await openPgEventStore({ decode, connectionString: database.url, log }), close: async () => undefined }
        : await openEventStore(config, log, decode);
    return {
      store: opened.store,
      pool,
      close: async () => {
        try {
          if (config.EVENT_STORE === 'postgres') await opened.store.close();
          else await opened.close();
        } finally {
          await releaseDatabase();
        }
      },
    };
  } catch (err) {
    await releaseDatabase().catch(() => undefined);
    throw err;
  }
};
