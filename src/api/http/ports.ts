import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { BestRequest, BookingView } from '../../domain/ticketed-event/index.js';
import type { GeoPoint, Layout, StandingRequest } from '../../domain/venue/index.js';
import type {
  bookingSchema,
  eventDetailSchema,
  eventItemSchema,
  myTicketSchema,
  salesSchema,
  seatMapSchema,
  ticketSchema,
} from './schemas.js';

/**
 * What the routes need from the write side and the read models, in the API's
 * terms. The composition root (src/runtime/compose.ts) adapts the command
 * handlers and projection queries to these.
 */

/** A booking in the API's terms (tickets named `id`, `section`), with its owner for the BOLA check. */
export type ApiBooking = Omit<z.output<typeof bookingSchema>, 'tickets'> & {
  readonly userId: string;
  readonly tickets: readonly Omit<z.output<typeof ticketSchema>, 'code'>[];
};

export type EventDetail = z.output<typeof eventDetailSchema> & { readonly organizerId: string };
export type Sales = z.output<typeof salesSchema>;
export type EventItem = z.output<typeof eventItemSchema>;
export type SeatMap = z.output<typeof seatMapSchema>;
export type MyTicket = Omit<z.output<typeof myTicketSchema>, 'code'>;
export type Page<T> = { readonly items: readonly T[]; readonly total: number };
export type PageRequest = { readonly page: number; readonly pageSize: number };

export type VenueInput = {
  readonly name: string;
  readonly address: string;
  readonly city: string;
  readonly country: string;
  readonly location: GeoPoint;
  readonly timezone: string;
  readonly layout: Layout;
};
export type VenueView = VenueInput & { readonly id: string; readonly capacity: number };

export type EventInput = {
  readonly venueId: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly performers: readonly string[];
  readonly production?: string | undefined;
  readonly startsAt: string;
  readonly currency: string;
  readonly sectionPrices: Readonly<Record<string, number>>;
  readonly onSaleAt: string;
  readonly holdSeconds: number;
  readonly maxTicketsPerUser: number;
};

/** A field left undefined is unchanged. */
export type EventChanges = {
  readonly [K in 'name' | 'description' | 'category' | 'performers' | 'startsAt' | 'onSaleAt' | 'sectionPrices']?:
    EventInput[K] | undefined;
};

export type HoldInput = {
  readonly eventId: string;
  readonly userId: string;
  readonly seats: readonly string[];
  readonly standing: readonly StandingRequest[];
  readonly best?: BestRequest | undefined;
  readonly idempotencyKey?: string;
};

/** Commands throw DomainError (rendered by the one error handler) or OverloadedError (503). */
export type TicketingPort = {
  readonly registerVenue: (input: VenueInput, organizerId: string) => Promise<VenueView>;
  /** From the venue stream: read-your-writes. */
  readonly getVenue: (venueId: string) => Promise<VenueView | undefined>;
  readonly scheduleEvent: (input: EventInput, organizerId: string) => Promise<EventDetail>;
  readonly changeEventDetails: (eventId: string, changes: EventChanges) => Promise<EventDetail>;
  readonly cancelEvent: (eventId: string, reason: string) => Promise<EventDetail>;
  /** From the event's writer (read-your-writes); undefined when no such event. */
  readonly getEvent: (eventId: string) => Promise<EventDetail | undefined>;
  readonly getSales: (eventId: string) => Promise<Sales | undefined>;
  readonly hold: (input: HoldInput) => Promise<BookingView>;
  readonly release: (eventId: string, bookingId: string, userId: string) => Promise<BookingView>;
  /** The booking as the event's writer knows it; undefined when the stream has no such booking. */
  readonly getBooking: (eventId: string, bookingId: string) => Promise<BookingView | undefined>;
};

export type BookingRef = { readonly bookingId: string; readonly eventId: string; readonly userId: string };

export type ReadModels = {
  readonly getVenue?: (venueId: string) => Promise<VenueView | undefined>;
  readonly getEvent: (eventId: string) => Promise<EventDetail | undefined>;
  readonly getSeatMap: (eventId: string) => Promise<SeatMap | undefined>;
  readonly getBooking: (bookingId: string) => Promise<ApiBooking | undefined>;
  readonly listBookingsForUser: (userId: string, page: PageRequest) => Promise<Page<ApiBooking>>;
  readonly listTicketsForUser: (userId: string, page: PageRequest) => Promise<Page<MyTicket>>;
  /** The organizer console's lists: every event of an organizer (any status, upcoming first) and their venues. */
  readonly listOrganizerEvents: (organizerId: string, page: PageRequest) => Promise<Page<EventItem>>;
  readonly listOrganizerVenues: (organizerId: string, page: PageRequest) => Promise<Page<VenueView>>;
};

/** Called before a hold; throws a ProblemError (403 `waiting-room`) when the buyer has not been admitted. */
export type Admission = {
  readonly check: (request: FastifyRequest, eventId: string) => Promise<void>;
};
