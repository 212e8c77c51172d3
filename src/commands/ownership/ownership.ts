import type { Ticketing } from '../ticketing/index.js';
import type { Log } from '../platform/index.js';
import { connectNatsForwarding } from './nats-forwarding.js';
import { createOwnedTicketing, type OwnedTicketing, type OwnershipEvent, type OwnershipOptions } from './owned-ticketing.js';
import { createPgLeases } from './pg-leases.js';

export type StartOwnershipOptions = Pick<OwnershipOptions, 'deadlineMs' | 'attemptMs' | 'orphanMs' | 'retryMs'> & {
  readonly local: Ticketing;
  /** The PostgreSQL that grants the leases: the same server for every process of the deployment. */
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly log: Pick<Log, 'info' | 'warn'>;
  readonly onEvent?: (event: OwnershipEvent) => void;
};

/** Leases on PostgreSQL, forwarding over NATS, and the Ticketing that routes between them; close() hands over and closes all three. */
export const startOwnership = async (options: StartOwnershipOptions): Promise<OwnedTicketing> => {
  const { local, log } = options;
  const forwarding = await connectNatsForwarding({ url: options.natsUrl, log });
  let onLost: (keys: readonly string[]) => void = () => undefined;
  const leases = createPgLeases({ connectionString: options.databaseUrl, log, onLost: (keys) => onLost(keys) });
  const owned = createOwnedTicketing({
    local,
    leases,
    forwarding,
    log,
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.attemptMs !== undefined ? { attemptMs: options.attemptMs } : {}),
    ...(options.orphanMs !== undefined ? { orphanMs: options.orphanMs } : {}),
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  onLost = (keys) => owned.lost(keys);
  const ticketing = owned;
  return {
    ...ticketing,
    async close() {
      try {
        await ticketing.close();
      } finally {
        await leases.close();
        await forwarding.close();
      }
    },
  };
};
