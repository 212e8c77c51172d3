export { allHolds, dueHolds, holdDeadlinesProjection } from './pg-deadlines.js';
export { redisHoldDeadlines } from './redis-deadlines.js';
