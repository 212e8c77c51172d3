import type { Config } from '../config/index.js';
import { ensureEmbeddedPostgres } from './embedded-postgres.js';

/** The part of a logger (pino's included) this module writes to. */
export type InfoLog = { info(msg: string): void };

export type DatabaseUrl = {
  readonly url: string;
  /** Stops the embedded server when this call started it; otherwise does nothing. */
  close(): Promise<void>;
};

/**
 * DATABASE_URL when set (an unreachable server is then an error, never a
 * fallback), else the embedded PostgreSQL of DATA_DIR, started if nothing runs there.
 */
export const resolveDatabaseUrl = async (config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, log: InfoLog): Promise<DatabaseUrl> => {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, close: async () => undefined };
  const embedded = await ensureEmbeddedPostgres({ dataDir: config.DATA_DIR, log: (msg) => log.info(msg) });
  return { url: embedded.url, close: () => embedded.stop() };
};
