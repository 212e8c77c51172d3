export { insertDocsBulk, pgSearchIndex, rebuildDictionary } from './pg-index.js';
export { setupPgSearch } from './pg-schema.js';
export { DEFAULT_RADIUS_KM, MAX_PAGE_SIZE, MAX_RADIUS_KM, MAX_RESULT_WINDOW } from './port.js';
export type { EventDoc, SearchDocStore, SearchIndex, SearchPage, SearchQuery, SearchSort } from './port.js';
export { scheduledDoc, searchProjection } from './projection.js';
export { typesenseSearchIndex } from './typesense-index.js';
export { outboxDocStore } from './typesense-outbox.js';
