export { createTicketing } from './ticketing.js';
export type { BookingOutcome, CommandContext, EventOutcome, Ticketing, WaitingRoomInput } from './ticketing.js';
