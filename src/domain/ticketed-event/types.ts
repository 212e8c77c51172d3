import type { EventDetails, EventScheduled, PaymentProvider, Ticket } from './events.js';
import type { VenueDetails, Layout, StandingRequest, LayoutIndex } from '../venue/index.js';
import type { ExpiryTree } from './hold-expiries.js';
import type { PMap } from '../shared/index.js';
import type { BestRequest, FreeSeats } from './free-seats.js';

/** Every command carries `now` (ISO 8601): the decider never reads a clock. */
type Timed = { readonly now: string };

export type ScheduleEvent = Timed & {
  readonly type: 'ScheduleEvent';
  readonly eventId: string;
  readonly organizerId: string;
  readonly venue: VenueDetails & { readonly id: string };
  readonly layout: Layout;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly performers: readonly string[];
  /** Showtimes naming the same production (a film, a touring show) are listed together. */
  readonly production?: string | undefined;
  readonly startsAt: string;
  readonly onSaleAt: string;
  readonly currency: string;
  readonly sectionPrices: Readonly<Record<string, number>>;
  readonly holdSeconds: number;
  readonly maxTicketsPerUser: number;
};

/** A field left undefined is unchanged (the decider records only what differs). */
export type EventDetailsChanges = { readonly [K in keyof EventDetails]?: EventDetails[K] | undefined } & {
  readonly sectionPrices?: Readonly<Record<string, number>> | undefined;
};

export type ChangeEventDetails = Timed & {
  readonly type: 'ChangeEventDetails';
  readonly changes: EventDetailsChanges;
};

export type CancelEvent = Timed & { readonly type: 'CancelEvent'; readonly reason: string };

export type ConfigureWaitingRoom = Timed & {
  readonly type: 'ConfigureWaitingRoom';
  readonly enabled: boolean;
  readonly opensAt: string;
  readonly admitPerMinute: number;
  readonly accessSeconds: number;
};

export type HoldSeats = Timed & {
  readonly type: 'HoldSeats';
  /** A fresh id from the caller; see resolveBookingId for idempotent repeats. */
  readonly bookingId: string;
  readonly userId: string;
  readonly seats: readonly string[];
  readonly standing: readonly StandingRequest[];
  /** Instead of naming seats: the writer picks the best that fit (seats must then be empty). */
  readonly best?: BestRequest;
  readonly idempotencyKey?: string;
  /** A hash of the request body, so a key reused with another body is told apart. */
  readonly requestHash?: string;
};

export type ReleaseHold = Timed & { readonly type: 'ReleaseHold'; readonly bookingId: string; readonly userId: string };

export type ExpireHold = Timed & { readonly type: 'ExpireHold'; readonly bookingId: string };

export type StartCheckout = Timed & {
  readonly type: 'StartCheckout';
  readonly bookingId: string;
  readonly userId: string;
  readonly provider: PaymentProvider;
  readonly paymentId: string;
  readonly url: string;
  readonly expiresAt: string;
};

export type RecordPaymentSucceeded = Timed & {
  readonly type: 'RecordPaymentSucceeded';
  readonly bookingId: string;
  readonly paymentId: string;
  readonly paymentEventId: string;
  readonly amount: number;
  readonly currency: string;
  /** Fresh UUIDs, at least one per ticket; taken in order (seats first, then standing places). */
  readonly ticketIds: readonly string[];
};

export type RecordPaymentFailed = Timed & {
  readonly type: 'RecordPaymentFailed';
  readonly bookingId: string;
  readonly paymentId: string;
  readonly paymentEventId: string;
  readonly reason: string;
};

export type RecordRefundIssued = Timed & {
  readonly type: 'RecordRefundIssued';
  readonly bookingId: string;
  readonly refundId: string;
  readonly amount: number;
  readonly paymentEventId: string;
  /** The refunded payment when the provider says; without it the oldest requested refund is settled. */
  readonly paymentId?: string;
};

export type CheckInTicket = Timed & { readonly type: 'CheckInTicket'; readonly ticketId: string };

export type JoinWaitlist = Timed & {
  readonly type: 'JoinWaitlist';
  /** Fresh ids from the caller: the entry's, and the booking its offer will be. */
  readonly entryId: string;
  readonly offerBookingId: string;
  readonly userId: string;
  readonly quantity: number;
  readonly sectionId?: string | undefined;
  readonly maxPrice?: number | undefined;
};

export type LeaveWaitlist = Timed & { readonly type: 'LeaveWaitlist'; readonly userId: string };

export type TicketedEventCommand =
  | ScheduleEvent
  | ChangeEventDetails
  | CancelEvent
  | ConfigureWaitingRoom
  | HoldSeats
  | ReleaseHold
  | ExpireHold
  | StartCheckout
  | RecordPaymentSucceeded
  | RecordPaymentFailed
  | RecordRefundIssued
  | CheckInTicket
  | JoinWaitlist
  | LeaveWaitlist;

export type TicketedEventCommandType = TicketedEventCommand['type'];

/** The booking's lifecycle as the stream recorded it; read it through bookingView (which applies `now`). */
export type BookingPhase = 'held' | 'payment_pending' | 'released' | 'expired' | 'cancelled' | 'confirmed' | 'refund_pending' | 'refunded';

export type BookingPayment = {
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly refund: 'none' | 'requested' | 'issued';
};

export type Booking = {
  readonly id: string;
  readonly userId: string;
  readonly phase: BookingPhase;
  readonly seats: readonly string[];
  readonly standing: readonly StandingRequest[];
  /** Seats plus standing places. */
  readonly quantity: number;
  readonly amount: number;
  readonly currency: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly expiresAtMs: number;
  readonly checkout?: {
    readonly provider: PaymentProvider;
    readonly paymentId: string;
    readonly url: string;
    readonly expiresAt: string;
  };
  /** Successful payments, in arrival order. */
  readonly payments: readonly BookingPayment[];
  readonly confirmedPaymentId?: string;
  readonly tickets: readonly Ticket[];
};

export type StandingInventory = {
  readonly capacity: number;
  readonly sold: number;
  /** Quantity of holds not yet released by an event (live or lapsed). */
  readonly holds: ExpiryTree;
};

export type WaitingRoom = {
  readonly enabled: boolean;
  readonly opensAt: string;
  readonly admitPerMinute: number;
  readonly accessSeconds: number;
};

export type ScheduledEvent = EventScheduled['data'];

export type WaitlistStatus = 'waiting' | 'offered' | 'fulfilled' | 'expired' | 'left';

export type WaitlistEntry = {
  readonly id: string;
  readonly userId: string;
  readonly quantity: number;
  readonly sectionId?: string;
  readonly maxPrice?: number;
  readonly offerBookingId: string;
  readonly joinedAt: string;
  /** Joining order within the event, from 1. */
  readonly seq: number;
  readonly status: WaitlistStatus;
};

export type Waitlist = {
  readonly entries: PMap<WaitlistEntry>;
  /** Waiting entries keyed by (seq, id): the order offers are made in. */
  readonly waiting: ExpiryTree;
  /** userId -> the user's waiting or offered entry. */
  readonly active: PMap<string>;
  /** offer booking id -> entry id */
  readonly byBooking: PMap<string>;
  readonly joined: number;
};

export type UserBooking = { readonly id: string; readonly quantity: number; readonly untilMs: number };

export type ScheduledState = {
  readonly status: 'scheduled';
  readonly event: ScheduledEvent;
  readonly index: LayoutIndex;
  readonly cancelled: boolean;
  /**
   * The latest time the stream has recorded. Decisions use max(command.now, clockMs),
   * so a command stamped by a clock that lags cannot revive a hold that an earlier
   * decision already treated as lapsed.
   */
  readonly clockMs: number;
  readonly waitingRoom: WaitingRoom;
  /** seatId -> the booking holding or owning it (a lapsed hold may still be listed; liveness is checked on read). */
  readonly seatOwners: PMap<string>;
  /** The seats no booking owns, by row, for best available (see free-seats.ts). */
  readonly freeSeats: FreeSeats;
  readonly waitlist: Waitlist;
  readonly standing: Readonly<Record<string, StandingInventory>>;
  readonly bookings: PMap<Booking>;
  /**
   * userId -> the user's unreleased holds and confirmed bookings, each with the places it takes and until when
   * (Infinity once confirmed), so the per-buyer limit is counted without looking every booking up.
   */
  readonly userBookings: PMap<readonly UserBooking[]>;
  /** `${userId}\u0000${idempotencyKey}` -> the first booking. */
  readonly idempotency: PMap<{ readonly bookingId: string; readonly requestHash: string | undefined }>;
  readonly seenPaymentEvents: PMap<true>;
  /** ticketId -> booking and check-in. */
  readonly tickets: PMap<{ readonly bookingId: string; readonly checkedIn: boolean }>;
};

/**
 * State of `event-<eventId>`. Built from persistent maps: evolve returns a new
 * state and never mutates the old one, so a writer may keep an older state and
 * decide against it again after a version conflict.
 */
export type TicketedEventState = { readonly status: 'none' } | ScheduledState;

export type BookingStatus = 'held' | 'payment_pending' | 'confirmed' | 'released' | 'expired' | 'refunded' | 'cancelled';

export type BookingView = {
  readonly id: string;
  readonly eventId: string;
  readonly userId: string;
  readonly status: BookingStatus;
  readonly seats: readonly string[];
  readonly standing: readonly StandingRequest[];
  readonly amount: number;
  readonly currency: string;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly paymentId?: string;
  readonly tickets: readonly Ticket[];
};

export type SeatStatus = 'A' | 'H' | 'S';

export type EventSummary = {
  readonly scheduled: boolean;
  readonly cancelled: boolean;
  readonly eventId?: string;
  readonly name?: string;
  readonly capacity: number;
  readonly sold: number;
  readonly held: number;
  readonly available: number;
  readonly revenue: number;
  readonly currency?: string;
  readonly bookings: number;
  readonly checkedIn: number;
};
