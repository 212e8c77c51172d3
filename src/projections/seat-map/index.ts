export { getSeatMap, seatMapProjection } from './seat-map.js';
export type { SeatMapChange } from './seat-map.js';
