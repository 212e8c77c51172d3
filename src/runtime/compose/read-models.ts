import type pg from 'pg';
import type { ReadModels } from '../../api/http/index.js';
import type { Log } from '../../commands/platform/index.js';
import { bookingsProjection, getBooking, listBookingsForUser, listTicketsForUser } from '../../projections/bookings/index.js';
import type { Bus } from '../../projections/bus/index.js';
import { catalogueProjection, getEvent, getVenue, listOrganizerEvents, listOrganizerVenues } from '../../projections/catalogue/index.js';
import { holdDeadlinesProjection } from '../../projections/hold-deadlines/index.js';
import type { Projection } from '../../projections/projector/index.js';
import { getSeatMap, seatMapProjection } from '../../projections/seat-map/index.js';
import { latestWaitlistEntry, listWaitlistForUser, waitlistCounts, waitlistProjection } from '../../projections/waitlist/index.js';
import type { WaitlistReads } from '../../api/waitlist/index.js';
import type { ProductionReads } from '../../api/productions/index.js';
import type { SearchProductions } from '../../api/search/index.js';
import { getProduction, listProductions, productionsProjection } from '../../projections/productions/index.js';

/**
 * The PostgreSQL read models every deployment runs. compose() adds the search
 * projection and, with REDIS_URL, redisHoldDeadlines(...).projection.
 */
export const readModelProjections = (deps: { bus: Bus; log: Log }): Projection[] => [
  catalogueProjection(),
  seatMapProjection(deps),
  bookingsProjection(),
  holdDeadlinesProjection(),
  waitlistProjection(),
  productionsProjection(),
];

export const productionReadsOn = (pool: pg.Pool): ProductionReads & SearchProductions => ({
  list: (query) => listProductions(pool, query),
  get: (id) => getProduction(pool, id),
  showtimesOf: async (id) => (await getProduction(pool, id))?.eventIds ?? [],
});

/** The waitlist routes' reads, on the read-model database. */
export const waitlistReadsOn = (pool: pg.Pool): WaitlistReads => ({
  listForUser: (userId, page, pageSize) => listWaitlistForUser(pool, userId, page, pageSize),
  latest: (eventId, userId) => latestWaitlistEntry(pool, eventId, userId),
  counts: (eventId) => waitlistCounts(pool, eventId),
});

/** The read models the API routes query, on the read-model database. */
export const readModelsOn = (pool: pg.Pool): ReadModels => ({
  getVenue: (venueId) => getVenue(pool, venueId),
  getEvent: (eventId) => getEvent(pool, eventId),
  getSeatMap: (eventId) => getSeatMap(pool, eventId),
  getBooking: (bookingId) => getBooking(pool, bookingId),
  listBookingsForUser: (userId, p) => listBookingsForUser(pool, userId, p.page, p.pageSize),
  listTicketsForUser: (userId, p) => listTicketsForUser(pool, userId, p.page, p.pageSize),
  listOrganizerEvents: (organizerId, p) => listOrganizerEvents(pool, organizerId, new Date(), p.page, p.pageSize),
  listOrganizerVenues: (organizerId, p) => listOrganizerVenues(pool, organizerId, p.page, p.pageSize),
});
