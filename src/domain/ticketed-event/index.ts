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
  WaitlistEvent,
  WaitlistJoined,
  WaitlistOffered,
} from './events.js';
export { refundTarget } from './state.js';
export { requireCheckoutable } from './holds.js';
export type { RefundableBooking } from './state.js';
export { bookingStatus, bookingView, phaseStatus, eventSummary, resolveBookingId, seatStatus, standingAvailable } from './queries.js';
export { pickBest } from './free-seats.js';
export { seatMapChanges, seatMapView } from './seat-map.js';
export type { SeatMapChanges, SeatMapView, SeatMapViewSection } from './seat-map.js';
export { activeEntry } from './waitlist.js';
export { waitlistEntryView } from './waitlist-state.js';
export type { WaitlistEntryView } from './waitlist-state.js';
export type { BestRequest, FreeSeats } from './free-seats.js';
export type {
  Booking,
  BookingPhase,
  BookingStatus,
  BookingView,
  EventDetailsChanges,
  EventSummary,
  HoldSeats,
  JoinWaitlist,
  ScheduleEvent,
  ScheduledState,
  SeatStatus,
  TicketedEventCommand,
  TicketedEventState,
  WaitlistEntry,
  WaitlistStatus,
} from './types.js';
