export type { DomainEvent } from './events.js';
