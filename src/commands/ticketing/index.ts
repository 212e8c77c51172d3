export { createTicketing } from './ticketing.js';
export type { BookingOutcome, CommandContext, Ticketing, WaitingRoomInput } from './ticketing.js';
