import type { EsdbEventStoreOptions } from './esdb-store.js';
import type { EventShape, EventStore } from './port.js';

/** Loads the EventStoreDB adapter on first use: its gRPC client is heavy, and most processes run on PostgreSQL. */
export const openEsdbEventStore = async <E extends EventShape>(options: EsdbEventStoreOptions<E>): Promise<EventStore<E>> =>
  (await import('./esdb-store.js')).openEsdbEventStore(options);
