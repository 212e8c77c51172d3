export { bookingsProjection } from './bookings.js';
export type { BookingView, TicketView, UserTicketView } from './bookings.js';
export { getBooking, listBookingsForUser, listTicketsForUser } from './queries.js';
