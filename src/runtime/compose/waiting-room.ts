import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Ticketing } from '../../commands/ticketing/index.js';
import {
  createAccessTokens,
  createMemoryWaitingRoom,
  createRedisWaitingRoom,
  roomConfigFrom,
  startAdmissionLoop,
} from '../../commands/waiting-room/index.js';
import type { AccessTokens, AdmissionLoop, LoadRoomConfig, WaitingRoomQueue } from '../../commands/waiting-room/index.js';
import type { Admission } from '../../api/http/index.js';
import { createAdmission, waitingRoomRoutes } from '../../api/waiting-room/index.js';
import type { QueueStreamOptions, WaitingRoomTicketing } from '../../api/waiting-room/index.js';

export type WaitingRoomWiringDeps = {
  /** The event streams: configureWaitingRoom records the organizer's settings, eventState is the source of truth for the queue. */
  readonly ticketing: Pick<Ticketing, 'configureWaitingRoom' | 'eventState'>;
  /** Shared by every API process; the in-process queue when absent (one process only). */
  readonly redis?: Redis | undefined;
  /** Key and channel prefix in Redis. */
  readonly prefix?: string;
  /** HMAC key for access tokens, the same in every process (e.g. derived from JWT_SECRET). */
  readonly tokenKey: string | Buffer;
  readonly clock?: () => number;
  readonly tickMs?: number;
  readonly onError?: (err: unknown) => void;
  readonly stream?: QueueStreamOptions;
};

export type WaitingRoomWiring = {
  readonly queue: WaitingRoomQueue;
  readonly tokens: AccessTokens;
  /** For buildApp's `admission`. */
  readonly admission: Admission;
  /** For buildApp's `plugins`. */
  readonly plugin: FastifyPluginAsync;
  /** Starts this process's admission loop (idempotent). */
  readonly start: () => void;
  /** Stops the loop and closes what the queue opened (not the Redis client it was given). */
  readonly close: () => Promise<void>;
};

/** Everything a process needs for the waiting room, picked by whether Redis is configured. */
export const wireWaitingRoom = (deps: WaitingRoomWiringDeps): WaitingRoomWiring => {
  const clock = deps.clock ?? Date.now;
  const tokens = createAccessTokens(deps.tokenKey);
  const loadConfig: LoadRoomConfig = async (eventId) => {
    const { state } = await deps.ticketing.eventState(eventId, { refresh: true });
    return state.status === 'scheduled' ? roomConfigFrom(state.waitingRoom) : 'unknown-event';
  };
  const queue = deps.redis
    ? createRedisWaitingRoom({ redis: deps.redis, tokens, loadConfig, ...(deps.prefix !== undefined ? { prefix: deps.prefix } : {}) })
    : createMemoryWaitingRoom({ tokens, loadConfig });
  const ticketing: WaitingRoomTicketing = {
    getEvent: async (eventId) => {
      const { state } = await deps.ticketing.eventState(eventId, { refresh: true });
      return state.status === 'scheduled' ? { organizerId: state.event.organizerId } : undefined;
    },
    configureWaitingRoom: (eventId, input, ctx) => deps.ticketing.configureWaitingRoom(eventId, input, ctx),
  };
  let loop: AdmissionLoop | undefined;
  return {
    queue,
    tokens,
    admission: createAdmission({ queue, tokens, clock, fallbackConfig: loadConfig }),
    plugin: waitingRoomRoutes({ queue, ticketing, clock, ...(deps.stream ? { stream: deps.stream } : {}) }),
    start: () => {
      loop ??= startAdmissionLoop({
        queue,
        clock,
        ...(deps.tickMs !== undefined ? { intervalMs: deps.tickMs } : {}),
        ...(deps.onError ? { onError: deps.onError } : {}),
      });
    },
    close: async () => {
      await loop?.stop();
      loop = undefined;
      await queue.close();
    },
  };
};
