export type { Log } from './log.js';
export { inTransaction, withTransaction } from './transaction.js';
export { isUuid } from './uuid.js';
export { migrate } from './migrate.js';
export type { Migration } from './migrate.js';
