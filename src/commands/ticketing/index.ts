export { createTicketing } from './ticketing.js';
export type { BookingOutcome, CommandContext, JoinWaitlistInput, Ticketing, WaitingRoomInput, WaitlistOutcome } from './ticketing.js';
