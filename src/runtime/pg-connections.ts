import pg from 'pg';

/**
 * Every PostgreSQL pool and client of the program is made here, so each one has
 * an 'error' listener from birth. pg emits 'error' on a connection the server
 * drops (a restart: 57P01) even while it is checked out of its pool between two
 * queries, and an 'error' without a listener kills the process. With one, the
 * next query on that connection fails, the pool replaces it, and the caller's
 * error handling decides (503 on the API, retry in the projector).
 */

export type ConnectionLog = { warn(obj: object, msg: string): void };

/** How long a new connection may take before the query fails instead of waiting on a server that is away. */
export const CONNECT_TIMEOUT_MS = 5_000;

const CONNECTION_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '53300', // too_many_connections
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)/i;

/** The server is away (restarting, refusing connections, dropped the connection), as opposed to a statement's own error. */
export const isConnectionFailure = (e: unknown): boolean => {
  if (!(e instanceof Error)) return false;
  if (e instanceof AggregateError && e.errors.some(isConnectionFailure)) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || CONNECTION_CODES.has(code))) return true;
  return CONNECTION_MESSAGES.test(e.message);
};

/** At most one warning per interval: a restart drops every connection of every pool at once. */
const throttledWarn = (log: ConnectionLog | undefined, what: string, quiet: () => boolean, intervalMs = 5_000): ((err: Error) => void) => {
  let last = 0;
  let suppressed = 0;
  return (err) => {
    if (quiet()) return;
    const now = Date.now();
    if (now - last < intervalMs) {
      suppressed += 1;
      return;
    }
    // Not the error itself: pg hangs the whole client on it.
    const reason = { message: err.message, code: (err as { code?: unknown }).code };
    log?.warn({ reason, connection: what, ...(suppressed > 0 ? { alsoDropped: suppressed } : {}) }, 'PostgreSQL connection lost');
    last = now;
    suppressed = 0;
  };
};

/** A pool whose connections, idle or checked out, never emit an unhandled 'error'. */
export const createPgPool = (config: pg.PoolConfig, log?: ConnectionLog): pg.Pool => {
  const pool = new pg.Pool({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...config });
  // Ending the pool (shutdown) is no news: its connections may be cut while they close.
  const warn = throttledWarn(log, config.application_name ?? 'pool', () => pool.ending);
  // Idle connections: the pool removes them and re-emits their error here.
  pool.on('error', warn);
  // Checked-out connections: the pool listens only while they are idle.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
};

/**
 * A connection of its own (LISTEN, advisory locks). `onError` is required: such a
 * connection is not replaced by a pool, so its owner must notice and reconnect.
 */
export const createPgClient = (config: pg.ClientConfig, onError: (err: Error) => void): pg.Client => {
  const client = new pg.Client({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...config });
  client.on('error', onError);
  return client;
};
