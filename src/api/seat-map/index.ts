export { createSeatMapHub } from './hub.js';
export type { LiveSeatMapSource, SeatMapBus } from './hub.js';
export { seatMapRoutes } from './routes.js';
export type { SseOptions } from './routes.js';
