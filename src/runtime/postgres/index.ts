export { resolveDatabaseUrl } from './database-url.js';
export { ensureEmbeddedPostgres } from './embedded-postgres.js';
