export { createTicketing } from './ticketing.js';
export type {
  BookingOutcome,
  CommandContext,
  EventOutcome,
  JoinWaitlistInput,
  Ticketing,
  WaitingRoomInput,
  WaitlistOutcome,
} from './ticketing.js';
