export { waitlistEntrySchema, waitlistRoutes } from './routes.js';
export type { WaitlistEntry, WaitlistReads, WaitlistRoutesDeps } from './routes.js';
