export { DEMO_ORGANIZER_EMAIL, compose } from './compose.js';
export type { ComposeOptions, Runtime } from './compose.js';
export { openEventStore, openStoreAndDatabase } from './event-store.js';
export type { OpenedEventStore, OpenedStoreAndDatabase } from './event-store.js';
export { WEBHOOK_SECRET_NAME, locateInReadModel, webhookSecretsFrom, wirePayments } from './payments.js';
export type { PaymentsWiring, WirePaymentsDeps } from './payments.js';
export { readModelProjections, readModelsOn } from './read-models.js';
export { wireWaitingRoom } from './waiting-room.js';
export type { WaitingRoomWiring, WaitingRoomWiringDeps } from './waiting-room.js';
