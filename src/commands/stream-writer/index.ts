export { createStreamWriters, streamStoreOf } from './stream-writer.js';
export { OverloadedError, WriterClosedError } from './stream-writer.js';
export type { BatchInfo, StreamWriters, WriterChange } from './stream-writer.js';
