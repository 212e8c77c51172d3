export { createAdmission } from './admission.js';
export type { AdmissionDeps } from './admission.js';
export {
  WAITING_ROOM_PLUGIN_NAME,
  placeOrProblem,
  queuePlaceSchema,
  waitingRoomBody,
  waitingRoomRoutes,
  waitingRoomSchema,
} from './routes.js';
export type { QueueStreamOptions, WaitingRoomRoutesDeps, WaitingRoomTicketing } from './routes.js';
