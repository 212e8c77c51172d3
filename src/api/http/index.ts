export { installDeclaredAnswers, problemResponse } from './answers.js';
export { authPlugin, redactUrl } from './auth.js';
export type { Role } from './auth.js';
export { installProblemHandlers, sendProblem, toProblem } from './errors.js';
export { createMetrics } from './metrics.js';
export type { Metrics } from './metrics.js';
export type { Admission, ApiBooking, EventDetail, ReadModels, SeatMap, TicketingPort, VenueView } from './ports.js';
export { installAllowedMethods, noRouteProblem, routePattern } from './methods.js';
export { ProblemError } from './problem.js';
export { rateLimitPlugin } from './rate-limit.js';
export {
  bookingSchema,
  cancelBody,
  category,
  eventBody,
  eventDetailSchema,
  eventItemSchema,
  eventPatchBody,
  holdBody,
  idParams,
  idempotencyHeaders,
  isoTime,
  list,
  loginBody,
  myTicketSchema,
  page,
  pageQuery,
  problemSchema,
  registerBody,
  salesSchema,
  seatMapSchema,
  sessionSchema,
  userSchema,
  venueBody,
  venueSchema,
  isUuid,
} from './schemas.js';
export { openEventStream } from './sse.js';
