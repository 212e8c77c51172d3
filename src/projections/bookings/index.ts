export { bookingsProjection, getBooking, listBookingsForUser, listTicketsForUser } from './bookings.js';
