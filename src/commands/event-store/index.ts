export { UnknownEventTypeError, anyEvent, domainEvent } from './decoders.js';
export { openEsdbEventStore } from './esdb.js';
export { openPgEventStore } from './pg-store.js';
export type { PgEventStoreOptions } from './pg-store.js';
export { WrongExpectedVersionError, comparePositions } from './port.js';
export type {
  AllSubscription,
  AppendManyOptions,
  AppendManyResult,
  StreamAppend,
  EventDecoder,
  EventMetadata,
  EventShape,
  EventStore,
  ExpectedVersion,
  LogPosition,
  NewEvent,
  RecordedEvent,
} from './port.js';
