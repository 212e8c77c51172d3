import type { Metrics } from '../../api/http/index.js';
import { startOwnership } from '../../commands/ownership/index.js';
import type { Log } from '../../commands/platform/index.js';
import type { Ticketing } from '../../commands/ticketing/index.js';
import type { Config } from '../config/index.js';

/**
 * With NATS, every process may serve any event, so each event's writer gets one
 * owner (a lease on the shared PostgreSQL) and the other processes forward its
 * commands there. Without NATS there is one process: it owns everything, as before.
 * A projector-only process sends no commands and takes no leases.
 */
export const ownedWriters = async (
  config: Config,
  deps: { readonly local: Ticketing; readonly databaseUrl: string; readonly log: Pick<Log, 'info' | 'warn'>; readonly metrics: Metrics },
): Promise<Ticketing> => {
  if (!config.NATS_URL || config.ROLE === 'projector') return deps.local;
  const owned = await startOwnership({
    local: deps.local,
    databaseUrl: deps.databaseUrl,
    natsUrl: config.NATS_URL,
    log: deps.log,
    onEvent: (event) => deps.metrics.writerOwnership.inc({ event }),
  });
  deps.metrics.setOwnedEvents(() => owned.owned().length);
  return owned;
};
