export { ConfigError, loadConfig } from './config.js';
export type { Config } from './config.js';
export { loadOrCreateSecret } from './secrets.js';
export { limitHeapGrowth } from './heap.js';
