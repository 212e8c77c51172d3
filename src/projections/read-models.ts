import type { Bus } from './bus.js';
import { bookingsProjection } from './bookings.js';
import { catalogueProjection } from './catalogue.js';
import { holdDeadlinesProjection } from './hold-deadlines.js';
import type { Log } from './log.js';
import type { Projection } from './projection.js';
import { salesProjection } from './sales.js';
import { seatMapProjection } from './seat-map.js';

/**
 * The PostgreSQL read models every deployment runs. A composition root adds
 * the search projection and, with REDIS_URL, redisHoldDeadlines(...).projection.
 */
export const readModelProjections = (deps: { bus: Bus; log: Log }): Projection[] => [
  catalogueProjection(),
  seatMapProjection(deps),
  bookingsProjection(),
  salesProjection(),
  holdDeadlinesProjection(),
];
