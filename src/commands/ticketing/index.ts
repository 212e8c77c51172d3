export { createTicketing } from './ticketing.js';
export { createLiveSeatMaps } from './live-seat-maps.js';
export type { LiveSeatDelta, LiveSeatListener, LiveSeatMap, LiveSeatMaps } from './live-seat-maps.js';
export type {
  BookingOutcome,
  CommandContext,
  EventOutcome,
  JoinWaitlistInput,
  Ticketing,
  WaitingRoomInput,
  WaitlistOutcome,
} from './ticketing.js';
