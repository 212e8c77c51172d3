export { createStreamWriters, streamStoreOf } from './stream-writer.js';
export type { BatchInfo, StreamWriters } from './stream-writer.js';
