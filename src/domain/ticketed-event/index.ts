export { ticketedEvent } from './decider.js';
export { eventStream, isBookingEvent, isTicketedEventEvent, isTicketedEventType } from './events.js';
export type {
  BookingConfirmed,
  BookingEvent,
  CheckoutStarted,
  EventDetailsChanged,
  EventScheduled,
  HoldReleased,
  PaymentProvider,
  RefundReason,
  RefundRequested,
  SeatsHeld,
  TicketCheckedIn,
  TicketedEventEvent,
} from './events.js';
export { refundTarget } from './state.js';
export { requireCheckoutable } from './holds.js';
export type { RefundableBooking } from './state.js';
export { bookingStatus, bookingView, phaseStatus, eventSummary, resolveBookingId, seatStatus, standingAvailable } from './queries.js';
export type {
  Booking,
  BookingPhase,
  BookingStatus,
  BookingView,
  EventDetailsChanges,
  EventSummary,
  HoldSeats,
  ScheduleEvent,
  ScheduledState,
  SeatStatus,
  TicketedEventCommand,
  TicketedEventState,
} from './types.js';
