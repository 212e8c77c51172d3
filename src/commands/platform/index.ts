export type { Log } from './log.js';
export { migrate } from './migrate.js';
export type { Migration } from './migrate.js';
