export type { Log } from './log.js';
export { inTransaction, withTransaction } from './transaction.js';
export { isUuid } from './uuid.js';
export { migrate } from './migrate.js';
export type { Migration } from './migrate.js';
export { CONNECT_TIMEOUT_MS, createPgClient, createPgPool, isConnectionFailure } from './pg-connections.js';
export type { ConnectionLog } from './pg-connections.js';
