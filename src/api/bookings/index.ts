export { bookingRoutes, createBookingDirectory } from './routes.js';
export type { TicketCode } from './routes.js';
