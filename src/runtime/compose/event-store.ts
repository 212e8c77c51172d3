import type { Logger } from 'pino';
import type { EventDecoder, EventShape, EventStore } from '../../commands/event-store/index.js';
import { openEsdbEventStore, openPgEventStore } from '../../commands/event-store/index.js';
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
