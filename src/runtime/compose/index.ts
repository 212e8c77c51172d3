export { DEMO_ORGANIZER_EMAIL, compose } from './compose.js';
export type { Runtime } from './compose.js';
export { openEventStore } from './event-store.js';
export type { OpenedEventStore } from './event-store.js';
export { readModelProjections } from './read-models.js';
