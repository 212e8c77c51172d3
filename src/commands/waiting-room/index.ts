export { createAccessTokens } from './access-tokens.js';
export type { AccessTokens, TokenRejection } from './access-tokens.js';
export { startAdmissionLoop } from './admission-loop.js';
export type { AdmissionLoop } from './admission-loop.js';
export { createMemoryWaitingRoom } from './memory-queue.js';
export { roomConfigFrom } from './queue.js';
export type { LoadRoomConfig, Place, QueueAnswer, RoomConfig, WaitingRoomQueue } from './queue.js';
export { createRedisWaitingRoom } from './redis-queue.js';
