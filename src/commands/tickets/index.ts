export { createTicketCodes } from './ticket-codes.js';
export type { TicketCodes } from './ticket-codes.js';
