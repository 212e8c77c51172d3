import type { Logger } from 'pino';
import type { EventStore } from '../commands/event-store.js';
import { openPgEventStore } from '../commands/pg-event-store.js';
import type { Config } from './config.js';
import { resolveDatabaseUrl } from './database-url.js';

export type OpenedEventStore = { readonly store: EventStore; close(): Promise<void> };

/**
 * The event store the configuration names: EventStoreDB when EVENT_STORE=eventstoredb,
 * else PostgreSQL (DATABASE_URL, or the embedded server in DATA_DIR). `close` also
 * releases the embedded server when this call started it.
 */
export const openEventStore = async (config: Config, log: Logger): Promise<OpenedEventStore> => {
  switch (config.EVENT_STORE) {
    case 'eventstoredb': {
      const connectionString = config.EVENTSTORE_URL;
      if (!connectionString) throw new Error('EVENTSTORE_URL is required when EVENT_STORE=eventstoredb');
      // Loaded on demand: the gRPC client is heavy, and the CLI and tests mostly run on PostgreSQL.
      const { openEsdbEventStore } = await import('../commands/esdb-event-store.js');
      const store = await openEsdbEventStore({
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
        const store = await openPgEventStore({ connectionString: database.url, log });
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
