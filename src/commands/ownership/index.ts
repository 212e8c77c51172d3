export { startOwnership } from './ownership.js';
export type { StartOwnershipOptions } from './ownership.js';
export { createOwnedTicketing } from './owned-ticketing.js';
export type { OwnedTicketing, OwnershipEvent, OwnershipOptions } from './owned-ticketing.js';
export { createPgLeases, lockId } from './pg-leases.js';
export type { Leases } from './pg-leases.js';
export { connectNatsForwarding, writerSubject } from './nats-forwarding.js';
export type { Forwarding } from './nats-forwarding.js';
export { OwnerFailedError, OwnerUnavailableError } from './wire.js';
