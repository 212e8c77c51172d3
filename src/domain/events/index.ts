export { STREAM_PREFIXES, isDomainEventType } from './events.js';
export type { DomainEvent, DomainEventType } from './events.js';
