export { openEsdbEventStore } from './esdb.js';
export { openPgEventStore } from './pg-store.js';
export { WrongExpectedVersionError, comparePositions } from './port.js';
export type { AllSubscription, EventMetadata, EventStore, LogPosition, NewEvent, RecordedEvent } from './port.js';
