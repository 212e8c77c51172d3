import type pg from 'pg';
import { outboxDocStore, pgSearchIndex, typesenseSearchIndex } from '../../projections/search/index.js';
import type { SearchDocStore, SearchIndex } from '../../projections/search/index.js';
import type { Config } from '../config/index.js';

/** Search: PostgreSQL tables, or Typesense fed through an outbox table. */
export type SearchWiring = { readonly index: SearchIndex; readonly store: SearchDocStore; close(): Promise<void> };

export const searchWiring = (config: Config, pool: pg.Pool): SearchWiring => {
  if (config.SEARCH === 'typesense') {
    const index = typesenseSearchIndex({ url: config.TYPESENSE_URL!, apiKey: config.TYPESENSE_API_KEY! });
    return { index, store: outboxDocStore(pool, index), close: async () => undefined };
  }
  const index = pgSearchIndex(pool);
  return { index, store: index.store, close: async () => undefined };
};
