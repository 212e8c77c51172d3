export { latestWaitlistEntry, listWaitlistForUser, WAITLIST_PROJECTION, waitlistCounts, waitlistProjection } from './waitlist.js';
export type { WaitlistCounts, WaitlistEntryRow } from './waitlist.js';
