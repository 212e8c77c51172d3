export { resolveDatabaseUrl } from './database-url.js';
