import type { Layout, StandingRequest, VenueDetails } from '../venue/index.js';

/**
 * Domain events: past-tense facts, self-describing enough that an analyst can
 * replay a stream without this code. Times are ISO 8601 UTC strings, money is
 * an integer in minor units.
 */

export type EventDetails = {
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly performers: readonly string[];
  readonly startsAt: string;
  readonly onSaleAt: string;
};

export type EventScheduled = {
  readonly type: 'EventScheduled';
  readonly data: EventDetails & {
    readonly eventId: string;
    readonly organizerId: string;
    /** The production this is a showtime of (its id is performerId's slug of the name). */
    readonly production?: string;
    readonly venue: VenueDetails & { readonly id: string };
    readonly layout: Layout;
    readonly currency: string;
    readonly sectionPrices: Readonly<Record<string, number>>;
    readonly holdSeconds: number;
    readonly maxTicketsPerUser: number;
  };
};

export type EventDetailsChanged = {
  readonly type: 'EventDetailsChanged';
  readonly data: {
    readonly eventId: string;
    readonly changes: Partial<EventDetails> & { readonly sectionPrices?: Readonly<Record<string, number>> };
  };
};

export type EventCancelled = {
  readonly type: 'EventCancelled';
  readonly data: { readonly eventId: string; readonly reason: string; readonly cancelledAt: string };
};

export type WaitingRoomConfigured = {
  readonly type: 'WaitingRoomConfigured';
  readonly data: {
    readonly eventId: string;
    readonly enabled: boolean;
    readonly opensAt: string;
    readonly admitPerMinute: number;
    readonly accessSeconds: number;
  };
};

export type SeatsHeld = {
  readonly type: 'SeatsHeld';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly userId: string;
    readonly seats: readonly string[];
    readonly standing: readonly StandingRequest[];
    readonly amount: number;
    readonly currency: string;
    readonly heldAt: string;
    readonly expiresAt: string;
    /** Set when the command carried an Idempotency-Key; requestHash tells a reuse with another body. */
    readonly idempotencyKey?: string;
    readonly requestHash?: string;
  };
};

export type HoldReleased = {
  readonly type: 'HoldReleased';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly reason: 'cancelled' | 'expired';
    readonly seats: readonly string[];
    readonly standing: readonly StandingRequest[];
    readonly releasedAt: string;
  };
};

export type PaymentProvider = 'stripe' | 'local';

export type CheckoutStarted = {
  readonly type: 'CheckoutStarted';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly provider: PaymentProvider;
    readonly paymentId: string;
    readonly url: string;
    readonly expiresAt: string;
    readonly startedAt: string;
  };
};

export type PaymentSucceeded = {
  readonly type: 'PaymentSucceeded';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly paymentId: string;
    /** The provider's event id (Stripe `evt_...`): a second delivery of it changes nothing. */
    readonly paymentEventId: string;
    readonly amount: number;
    readonly currency: string;
    readonly paidAt: string;
  };
};

export type PaymentFailed = {
  readonly type: 'PaymentFailed';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly paymentId: string;
    readonly paymentEventId: string;
    readonly reason: string;
    readonly failedAt: string;
  };
};

export type Ticket = {
  readonly ticketId: string;
  /** A seat id for seated sections; absent for standing places. */
  readonly seat?: string;
  readonly sectionId: string;
};

export type BookingConfirmed = {
  readonly type: 'BookingConfirmed';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly userId: string;
    readonly tickets: readonly Ticket[];
    /** True when the payment arrived after the hold lapsed and the seats were still free. */
    readonly late: boolean;
    readonly confirmedAt: string;
  };
};

/** ticket-limit: a late payment whose confirmation would take the buyer past maxTicketsPerUser. */
export type RefundReason = 'seats-taken' | 'event-cancelled' | 'duplicate-payment' | 'ticket-limit';

export type RefundRequested = {
  readonly type: 'RefundRequested';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly paymentId: string;
    readonly amount: number;
    readonly currency: string;
    readonly reason: RefundReason;
    readonly requestedAt: string;
  };
};

export type RefundIssued = {
  readonly type: 'RefundIssued';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly refundId: string;
    readonly amount: number;
    readonly paymentEventId: string;
    /** The refunded payment when the provider names it; else the oldest requested refund of the booking. */
    readonly paymentId?: string;
    readonly refundedAt: string;
  };
};

export type TicketCheckedIn = {
  readonly type: 'TicketCheckedIn';
  readonly data: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly ticketId: string;
    readonly checkedInAt: string;
  };
};

/** A buyer queues for seats of a sold-out event (or section); `offerBookingId` names the booking an offer will be. */
export type WaitlistJoined = {
  readonly type: 'WaitlistJoined';
  readonly data: {
    readonly eventId: string;
    readonly entryId: string;
    readonly userId: string;
    readonly quantity: number;
    readonly sectionId?: string;
    readonly maxPrice?: number;
    readonly offerBookingId: string;
    readonly joinedAt: string;
  };
};

export type WaitlistLeft = {
  readonly type: 'WaitlistLeft';
  readonly data: { readonly eventId: string; readonly entryId: string; readonly userId: string; readonly leftAt: string };
};

/** Freed seats held for a waiting entry: recorded right after the SeatsHeld of booking `bookingId`. */
export type WaitlistOffered = {
  readonly type: 'WaitlistOffered';
  readonly data: {
    readonly eventId: string;
    readonly entryId: string;
    readonly userId: string;
    readonly bookingId: string;
    readonly seats: readonly string[];
    readonly standing: readonly StandingRequest[];
    readonly offeredAt: string;
    readonly expiresAt: string;
  };
};

/** The offer's hold ended unpaid (lapsed, let go, or the event was cancelled); its seats pass on. */
export type WaitlistOfferLapsed = {
  readonly type: 'WaitlistOfferLapsed';
  readonly data: {
    readonly eventId: string;
    readonly entryId: string;
    readonly userId: string;
    readonly bookingId: string;
    readonly reason: 'expired' | 'cancelled';
    readonly lapsedAt: string;
  };
};

export type WaitlistEvent = WaitlistJoined | WaitlistLeft | WaitlistOffered | WaitlistOfferLapsed;

export type TicketedEventEvent =
  | WaitlistEvent
  | EventScheduled
  | EventDetailsChanged
  | EventCancelled
  | WaitingRoomConfigured
  | SeatsHeld
  | HoldReleased
  | CheckoutStarted
  | PaymentSucceeded
  | PaymentFailed
  | BookingConfirmed
  | RefundRequested
  | RefundIssued
  | TicketCheckedIn;

export const eventStream = (eventId: string): string => `event-${eventId}`;

// A record, not a list, so the compiler insists on every type of the union.
const TICKETED_EVENT_TYPES: Readonly<Record<TicketedEventEvent['type'], true>> = {
  EventScheduled: true,
  EventDetailsChanged: true,
  EventCancelled: true,
  WaitingRoomConfigured: true,
  SeatsHeld: true,
  HoldReleased: true,
  CheckoutStarted: true,
  PaymentSucceeded: true,
  PaymentFailed: true,
  BookingConfirmed: true,
  RefundRequested: true,
  RefundIssued: true,
  TicketCheckedIn: true,
  WaitlistJoined: true,
  WaitlistLeft: true,
  WaitlistOffered: true,
  WaitlistOfferLapsed: true,
};

export const isTicketedEventType = (type: string): type is TicketedEventEvent['type'] => Object.hasOwn(TICKETED_EVENT_TYPES, type);

/** Narrows an event (recorded or not) to an `event-<id>` stream's events. */
export const isTicketedEventEvent = <T extends { readonly type: string }>(e: T): e is T & TicketedEventEvent => isTicketedEventType(e.type);

/** The events that change a booking's lifecycle (each names its booking in data.bookingId); the read side's booking ledger follows them. */
export type BookingEvent = Extract<
  TicketedEventEvent,
  {
    type:
      | 'SeatsHeld'
      | 'HoldReleased'
      | 'CheckoutStarted'
      | 'PaymentSucceeded'
      | 'PaymentFailed'
      | 'BookingConfirmed'
      | 'RefundRequested'
      | 'RefundIssued';
  }
>;

// A record, not a list, so the compiler insists on every type of the union.
const BOOKING_EVENT_TYPES: Readonly<Record<BookingEvent['type'], true>> = {
  SeatsHeld: true,
  HoldReleased: true,
  CheckoutStarted: true,
  PaymentSucceeded: true,
  PaymentFailed: true,
  BookingConfirmed: true,
  RefundRequested: true,
  RefundIssued: true,
};

export const isBookingEvent = <T extends { readonly type: string }>(e: T): e is T & BookingEvent =>
  Object.hasOwn(BOOKING_EVENT_TYPES, e.type);
