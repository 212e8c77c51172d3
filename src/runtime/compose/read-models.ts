import type { Bus } from '../../projections/bus/index.js';
import { bookingsProjection } from '../../projections/bookings/index.js';
import { catalogueProjection } from '../../projections/catalogue/index.js';
import { holdDeadlinesProjection } from '../../projections/hold-deadlines/index.js';
import type { Log } from '../../commands/platform/index.js';
import type { Projection } from '../../projections/projector/index.js';
import { salesProjection } from '../../projections/sales/index.js';
import { seatMapProjection } from '../../projections/seat-map/index.js';

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
