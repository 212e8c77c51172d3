import type { EventStore } from './port.js';
import type { EsdbEventStoreOptions } from './esdb-store.js';

/** Loads the EventStoreDB adapter on first use: its gRPC client is heavy, and most processes run on PostgreSQL. */
export const openEsdbEventStore = async (options: EsdbEventStoreOptions): Promise<EventStore> =>
  (await import('./esdb-store.js')).openEsdbEventStore(options);
