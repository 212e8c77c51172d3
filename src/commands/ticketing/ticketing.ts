import { createHash, randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/shared/index.js';
import type {
  PaymentProvider,
  TicketedEventEvent,
  BestRequest,
  BookingView,
  JoinWaitlist,
  WaitlistEntryView,
  EventDetailsChanges,
  HoldSeats,
  ScheduleEvent,
  TicketedEventCommand,
  TicketedEventState,
} from '../../domain/ticketed-event/index.js';
import type { DomainEvent } from '../../domain/events/index.js';
import type { Layout, StandingRequest, VenueDetails, VenueEvent, VenueState } from '../../domain/venue/index.js';
import {
  activeEntry,
  bookingView,
  eventStream,
  isTicketedEventEvent,
  resolveBookingId,
  ticketedEvent,
  waitlistEntryView,
} from '../../domain/ticketed-event/index.js';
import { isVenueEvent, venue, venueStream } from '../../domain/venue/index.js';
import type { EventMetadata, EventStore } from '../event-store/index.js';
import { createStreamWriters, streamStoreOf } from '../stream-writer/index.js';
import type { BatchInfo, StreamWriters, WriterChange } from '../stream-writer/index.js';

/**
 * The command side as the API, CLI, sweeper and webhook handler see it: fills
 * in time and ids, sends commands through the per-stream writers and answers
 * from the writer's state (read-your-writes).
 */

export type TicketingDeps = {
  readonly store: EventStore;
  readonly newId?: () => string;
  readonly now?: () => Date;
  readonly maxQueue?: number;
  readonly maxBatch?: number;
  readonly idleMs?: number;
  readonly onBatch?: (info: BatchInfo) => void;
  /** Each change of an event writer's state, in order (the live seat maps: createLiveSeatMaps). */
  readonly onEventChange?: (eventId: string, change: WriterChange<TicketedEventEvent, TicketedEventState>) => void;
};

/** Who and why, recorded on every event; `at` is filled in from the clock. */
export type CommandContext = Omit<EventMetadata, 'at'>;

export type EventOutcome = {
  readonly events: readonly TicketedEventEvent[];
  /** The stream version after the append that carried the events. */
  readonly version: number;
  readonly state: TicketedEventState;
};

/** Without the event's state: an owner elsewhere answers with the booking, not the megabytes of a hot event. */
export type BookingOutcome = Omit<EventOutcome, 'state'> & { readonly booking: BookingView };

export type VenueOutcome = {
  readonly venueId: string;
  readonly version: number;
  readonly venue: Extract<VenueState, { status: 'registered' }>;
};

export type RegisterVenueInput = {
  readonly venueId?: string;
  readonly registeredBy: string;
  readonly details: VenueDetails;
  readonly layout: Layout;
};

export type ScheduleEventInput = Omit<
  ScheduleEvent,
  'type' | 'now' | 'eventId' | 'venue' | 'layout' | 'holdSeconds' | 'maxTicketsPerUser'
> & {
  readonly eventId?: string;
  readonly venueId: string;
  readonly holdSeconds?: number;
  readonly maxTicketsPerUser?: number;
};

export type WaitingRoomInput = {
  readonly enabled: boolean;
  readonly opensAt: string;
  readonly admitPerMinute: number;
  readonly accessSeconds: number;
};

export type HoldInput = {
  readonly userId: string;
  readonly seats: readonly string[];
  readonly standing?: readonly StandingRequest[];
  readonly best?: BestRequest;
  readonly idempotencyKey?: string;
};

export type CheckoutInput = {
  readonly bookingId: string;
  readonly userId: string;
  readonly provider: PaymentProvider;
  readonly paymentId: string;
  readonly url: string;
  readonly expiresAt: string;
};

export type PaymentSucceededInput = {
  readonly bookingId: string;
  readonly paymentId: string;
  readonly paymentEventId: string;
  readonly amount: number;
  readonly currency: string;
};

export type PaymentFailedInput = {
  readonly bookingId: string;
  readonly paymentId: string;
  readonly paymentEventId: string;
  readonly reason: string;
};

export type RefundIssuedInput = {
  readonly bookingId: string;
  readonly refundId: string;
  readonly amount: number;
  readonly paymentEventId: string;
  readonly paymentId?: string;
};

export type JoinWaitlistInput = {
  readonly userId: string;
  readonly quantity: number;
  readonly sectionId?: string | undefined;
  readonly maxPrice?: number | undefined;
};

export type WaitlistOutcome = EventOutcome & {
  readonly entry: WaitlistEntryView;
  /** False when the buyer was already waiting (or offered): the same entry. */
  readonly created: boolean;
};

export interface Ticketing {
  registerVenue(input: RegisterVenueInput, ctx?: CommandContext): Promise<VenueOutcome>;
  updateVenue(venueId: string, changes: Partial<VenueDetails>, ctx?: CommandContext): Promise<VenueOutcome>;
  /** undefined when no such venue. */
  getVenue(venueId: string): Promise<VenueOutcome | undefined>;

  /** Copies the venue's details and layout into the event; not-found when the venue does not exist. */
  scheduleEvent(input: ScheduleEventInput, ctx?: CommandContext): Promise<EventOutcome & { readonly eventId: string }>;
  changeEventDetails(eventId: string, changes: EventDetailsChanges, ctx?: CommandContext): Promise<EventOutcome>;
  cancelEvent(eventId: string, reason: string, ctx?: CommandContext): Promise<EventOutcome>;
  configureWaitingRoom(eventId: string, input: WaitingRoomInput, ctx?: CommandContext): Promise<EventOutcome>;

  /** With an idempotency key seen before, the first booking (and no events). */
  hold(eventId: string, input: HoldInput, ctx?: CommandContext): Promise<BookingOutcome>;
  release(eventId: string, bookingId: string, userId: string, ctx?: CommandContext): Promise<BookingOutcome>;
  /** For the sweeper: records that a lapsed hold expired. `now` defaults to the clock. */
  expire(eventId: string, bookingId: string, now?: Date, ctx?: CommandContext): Promise<BookingOutcome>;
  startCheckout(eventId: string, input: CheckoutInput, ctx?: CommandContext): Promise<BookingOutcome>;
  /** Generates the ticket ids. May end in RefundRequested instead of BookingConfirmed: look at `events`. */
  recordPaymentSucceeded(eventId: string, input: PaymentSucceededInput, ctx?: CommandContext): Promise<BookingOutcome>;
  recordPaymentFailed(eventId: string, input: PaymentFailedInput, ctx?: CommandContext): Promise<BookingOutcome>;
  recordRefundIssued(eventId: string, input: RefundIssuedInput, ctx?: CommandContext): Promise<BookingOutcome>;
  checkIn(eventId: string, ticketId: string, ctx?: CommandContext): Promise<EventOutcome>;

  /** Joining again while waiting or offered answers the same entry (created: false). */
  joinWaitlist(eventId: string, input: JoinWaitlistInput, ctx?: CommandContext): Promise<WaitlistOutcome>;
  /** not-found when the buyer has no waiting or offered entry. */
  leaveWaitlist(eventId: string, userId: string, ctx?: CommandContext): Promise<WaitlistOutcome>;

  /** Read-your-writes: includes every command this process answered, and what other processes appended. */
  getBooking(eventId: string, bookingId: string): Promise<BookingView | undefined>;
  eventState(eventId: string, options?: { readonly refresh?: boolean }): Promise<{ state: TicketedEventState; version: number }>;

  /** Finishes accepted commands, then refuses new ones. The store stays open (its owner closes it). */
  close(): Promise<void>;
}

/** JSON with object keys sorted, so equal bodies hash equal whatever their key order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

export const holdRequestHash = (seats: readonly string[], standing: readonly StandingRequest[], best?: BestRequest): string =>
  createHash('sha256')
    .update(canonicalJson(best === undefined ? { seats, standing } : { seats, standing, best }))
    .digest('hex');

/** Tickets per booking can never exceed this (the API's maxTicketsPerUser bound). */
const MAX_TICKETS_PER_BOOKING = 50;

export const createTicketing = (deps: TicketingDeps): Ticketing => {
  const newId = deps.newId ?? randomUUID;
  const clock = deps.now ?? (() => new Date());
  const writerOptions = {
    ...(deps.maxQueue !== undefined ? { maxQueue: deps.maxQueue } : {}),
    ...(deps.maxBatch !== undefined ? { maxBatch: deps.maxBatch } : {}),
    ...(deps.idleMs !== undefined ? { idleMs: deps.idleMs } : {}),
    ...(deps.onBatch !== undefined ? { onBatch: deps.onBatch } : {}),
  };
  const venues = createStreamWriters({
    ...writerOptions,
    store: streamStoreOf<DomainEvent, VenueEvent>(deps.store, isVenueEvent),
    decider: venue,
    streamName: venueStream,
  });
  const events: StreamWriters<TicketedEventCommand, TicketedEventEvent, TicketedEventState> = createStreamWriters({
    ...writerOptions,
    store: streamStoreOf(deps.store, isTicketedEventEvent),
    decider: ticketedEvent,
    streamName: eventStream,
    ...(deps.onEventChange !== undefined ? { onChange: deps.onEventChange } : {}),
  });

  const meta = (ctx: CommandContext | undefined, at: string): EventMetadata => ({ ...ctx, at });

  const registered = (venueId: string, version: number, state: VenueState): VenueOutcome => {
    if (state.status !== 'registered') throw new DomainError('not-found', `Venue ${venueId} does not exist.`);
    return { venueId, version, venue: state };
  };

  const runEvent = async (eventId: string, command: TicketedEventCommand, ctx: CommandContext | undefined): Promise<EventOutcome> => {
    const r = await events.execute(eventId, command, meta(ctx, command.now));
    return { events: r.events, version: r.version, state: r.state };
  };

  const withBooking = (outcome: EventOutcome, eventId: string, bookingId: string, now: string): BookingOutcome => {
    const booking = bookingView(outcome.state, bookingId, now);
    if (!booking) throw new DomainError('not-found', `Booking ${bookingId} does not exist for event ${eventId}.`);
    return { ...outcome, booking };
  };

  const runBooking = async (
    eventId: string,
    bookingId: string,
    command: TicketedEventCommand,
    ctx: CommandContext | undefined,
  ): Promise<BookingOutcome> => withBooking(await runEvent(eventId, command, ctx), eventId, bookingId, command.now);

  return {
    async registerVenue(input, ctx) {
      const venueId = input.venueId ?? newId();
      const at = clock().toISOString();
      const r = await venues.execute(
        venueId,
        { type: 'RegisterVenue', venueId, registeredBy: input.registeredBy, details: input.details, layout: input.layout },
        meta(ctx, at),
      );
      return registered(venueId, r.version, r.state);
    },

    async updateVenue(venueId, changes, ctx) {
      const r = await venues.execute(venueId, { type: 'UpdateVenue', changes }, meta(ctx, clock().toISOString()));
      return registered(venueId, r.version, r.state);
    },

    async getVenue(venueId) {
      const { state, version } = await venues.state(venueId, { refresh: true });
      return state.status === 'registered' ? { venueId, version, venue: state } : undefined;
    },

    async scheduleEvent(input, ctx) {
      const { venueId, eventId: givenId, holdSeconds, maxTicketsPerUser, ...rest } = input;
      const v = await venues.state(venueId, { refresh: true });
      if (v.state.status !== 'registered') throw new DomainError('not-found', `Venue ${venueId} does not exist.`, { venueId });
      const eventId = givenId ?? newId();
      const outcome = await runEvent(
        eventId,
        {
          ...rest,
          type: 'ScheduleEvent',
          now: clock().toISOString(),
          eventId,
          venue: { ...v.state.details, id: venueId },
          layout: v.state.layout,
          holdSeconds: holdSeconds ?? 300,
          maxTicketsPerUser: maxTicketsPerUser ?? 8,
        },
        ctx,
      );
      return { ...outcome, eventId };
    },

    changeEventDetails: (eventId, changes, ctx) =>
      runEvent(eventId, { type: 'ChangeEventDetails', now: clock().toISOString(), changes }, ctx),

    cancelEvent: (eventId, reason, ctx) => runEvent(eventId, { type: 'CancelEvent', now: clock().toISOString(), reason }, ctx),

    configureWaitingRoom: (eventId, input, ctx) =>
      runEvent(
        eventId,
        {
          type: 'ConfigureWaitingRoom',
          now: clock().toISOString(),
          enabled: input.enabled,
          opensAt: input.opensAt,
          admitPerMinute: input.admitPerMinute,
          accessSeconds: input.accessSeconds,
        },
        ctx,
      ),

    async hold(eventId, input, ctx) {
      const standing = input.standing ?? [];
      const command: HoldSeats = {
        type: 'HoldSeats',
        now: clock().toISOString(),
        bookingId: newId(),
        userId: input.userId,
        seats: input.seats,
        standing,
        ...(input.best !== undefined ? { best: input.best } : {}),
        ...(input.idempotencyKey !== undefined
          ? { idempotencyKey: input.idempotencyKey, requestHash: holdRequestHash(input.seats, standing, input.best) }
          : {}),
      };
      const outcome = await runEvent(eventId, command, ctx);
      return withBooking(outcome, eventId, resolveBookingId(outcome.state, command), command.now);
    },

    release: (eventId, bookingId, userId, ctx) =>
      runBooking(eventId, bookingId, { type: 'ReleaseHold', now: clock().toISOString(), bookingId, userId }, ctx),

    expire: (eventId, bookingId, now, ctx) =>
      runBooking(eventId, bookingId, { type: 'ExpireHold', now: (now ?? clock()).toISOString(), bookingId }, ctx),

    startCheckout: (eventId, input, ctx) =>
      runBooking(eventId, input.bookingId, { type: 'StartCheckout', now: clock().toISOString(), ...input }, ctx),

    async recordPaymentSucceeded(eventId, input, ctx) {
      const now = clock().toISOString();
      // Ticket ids are made here, so decide stays pure; the pool only needs to be large enough.
      const bookingIn = async (refresh: boolean) => bookingView((await events.state(eventId, { refresh })).state, input.bookingId, now);
      const known = (await bookingIn(false)) ?? (await bookingIn(true));
      const quantity = known ? known.seats.length + known.standing.reduce((n, s) => n + s.quantity, 0) : MAX_TICKETS_PER_BOOKING;
      const ticketIds = Array.from({ length: quantity }, () => newId());
      return runBooking(eventId, input.bookingId, { type: 'RecordPaymentSucceeded', now, ...input, ticketIds }, ctx);
    },

    recordPaymentFailed: (eventId, input, ctx) =>
      runBooking(eventId, input.bookingId, { type: 'RecordPaymentFailed', now: clock().toISOString(), ...input }, ctx),

    recordRefundIssued: (eventId, input, ctx) =>
      runBooking(eventId, input.bookingId, { type: 'RecordRefundIssued', now: clock().toISOString(), ...input }, ctx),

    checkIn: (eventId, ticketId, ctx) => runEvent(eventId, { type: 'CheckInTicket', now: clock().toISOString(), ticketId }, ctx),

    async getBooking(eventId, bookingId) {
      const { state } = await events.state(eventId, { refresh: true });
      return bookingView(state, bookingId, clock().toISOString());
    },

    async joinWaitlist(eventId, input, ctx) {
      const command: JoinWaitlist = {
        type: 'JoinWaitlist',
        now: clock().toISOString(),
        entryId: newId(),
        offerBookingId: newId(),
        userId: input.userId,
        quantity: input.quantity,
        ...(input.sectionId === undefined ? {} : { sectionId: input.sectionId }),
        ...(input.maxPrice === undefined ? {} : { maxPrice: input.maxPrice }),
      };
      const outcome = await runEvent(eventId, command, ctx);
      const created = outcome.events.some((e) => e.type === 'WaitlistJoined');
      const state = outcome.state;
      const entryId = created || state.status !== 'scheduled' ? command.entryId : activeEntry(state, input.userId)?.id;
      const entry = state.status === 'scheduled' && entryId !== undefined ? waitlistEntryView(eventId, state.waitlist, entryId) : undefined;
      if (!entry) throw new DomainError('not-found', `No waitlist entry for event ${eventId}.`);
      return { ...outcome, entry, created };
    },

    async leaveWaitlist(eventId, userId, ctx) {
      const outcome = await runEvent(eventId, { type: 'LeaveWaitlist', now: clock().toISOString(), userId }, ctx);
      const left = outcome.events.find((e) => e.type === 'WaitlistLeft');
      const state = outcome.state;
      const entry =
        left !== undefined && state.status === 'scheduled' ? waitlistEntryView(eventId, state.waitlist, left.data.entryId) : undefined;
      if (!entry) throw new DomainError('not-found', 'You are not on the waitlist of this event.');
      return { ...outcome, entry, created: false };
    },

    eventState: (eventId, options) => events.state(eventId, options),

    async close() {
      await Promise.all([venues.close(), events.close()]);
    },
  };
};
