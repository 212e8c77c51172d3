export { waitingRoomRoutes, wireWaitingRoom } from './routes.js';
