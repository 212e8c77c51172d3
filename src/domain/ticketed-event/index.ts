export { ticketedEvent } from './decider.js';
export { eventStream } from './events.js';
export type {
  BookingConfirmed,
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
export { bookingStatus, bookingView, eventSummary, resolveBookingId, seatStatus, standingAvailable } from './queries.js';
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
