import { randomInt } from 'node:crypto';
import type { AccessTokens } from './access-tokens.js';

/**
 * The waiting-room queue port. Two adapters pass one contract suite
 * (test/waiting-room/contract.ts): in-process (waiting-room-memory.ts) and
 * Redis (waiting-room-redis.ts). Every operation takes `now` (ms since the
 * epoch) so tests can run an hour of queue in milliseconds.
 *
 * Order: a place is a score in one sorted set. Whoever joins before `opensAt`
 * gets a uniformly random score below FIFO_BASE drawn from a CSPRNG once, at
 * their first join (collisions are re-drawn, so ties cannot happen); whoever
 * joins later gets FIFO_BASE + a counter. So everyone who came early is ahead
 * of everyone who came late, in an order nobody can predict or improve by
 * arriving early or joining again.
 *
 * Admission: a token bucket refilled continuously at admitPerMinute and
 * capped at BURST_SECONDS of admissions, drained by `tick`; an admitted user
 * holds the place for accessSeconds and then loses it.
 */

/** The queue's view of WaitingRoomConfigured, with opensAt in ms. */
export type RoomConfig = {
  readonly enabled: boolean;
  readonly opensAt: number;
  readonly admitPerMinute: number;
  readonly accessSeconds: number;
};

/** 'unknown-event' when there is no such ticketed event. */
export type RoomLookup = RoomConfig | 'unknown-event';

/**
 * Reads the configuration from the source of truth (the event's stream or the
 * catalogue read model). Adapters call it when their store has no
 * configuration for the event (first use in this process, or Redis lost it);
 * an event that never configured a room answers `{ enabled: false, ... }`.
 */
export type LoadRoomConfig = (eventId: string) => Promise<RoomLookup>;

export type WaitingPlace = {
  readonly state: 'waiting';
  /** 1 = next to be admitted. */
  readonly position: number;
  readonly ahead: number;
  readonly etaSeconds: number;
};

export type AdmittedPlace = {
  readonly state: 'admitted';
  readonly position: 0;
  readonly ahead: 0;
  readonly etaSeconds: 0;
  readonly accessToken: string;
  /** ISO 8601. */
  readonly accessExpiresAt: string;
};

export type Place = WaitingPlace | AdmittedPlace;

/** `not-queued`: never joined, or the place lapsed (admitted and unused for accessSeconds, or the store was lost). */
export type QueueAnswer = Place | { readonly state: 'not-queued' } | { readonly state: 'room-off' } | { readonly state: 'unknown-event' };

export type AdmittedListener = (eventId: string, userIds: readonly string[]) => void;

export type WaitingRoomQueue = {
  /** Stores the configuration (called after WaitingRoomConfigured is appended). */
  readonly configure: (eventId: string, config: RoomConfig) => Promise<void>;
  readonly config: (eventId: string) => Promise<RoomLookup>;
  /** Join if absent; joining again answers the place already held. Never answers `not-queued`. */
  readonly join: (eventId: string, userId: string, now: number) => Promise<QueueAnswer>;
  readonly status: (eventId: string, userId: string, now: number) => Promise<QueueAnswer>;
  /** status for many users of one event in one round trip; answers in the order asked. */
  readonly statuses: (eventId: string, userIds: readonly string[], now: number) => Promise<readonly QueueAnswer[]>;
  /** Admits what the bucket allows at `now` and drops lapsed admissions; answers who was admitted. Safe to call from many processes. */
  readonly tick: (eventId: string, now: number) => Promise<readonly string[]>;
  /** tick for every enabled room this queue knows; answers how many users were admitted. */
  readonly tickAll: (now: number) => Promise<number>;
  /** Told about admissions made by any process sharing the store (Redis: pub/sub). Answers an unsubscribe function. */
  readonly onAdmitted: (listener: AdmittedListener) => () => void;
  /** Frees what the adapter opened itself (never the Redis client it was given). */
  readonly close: () => Promise<void>;
};

export type QueueOptions = {
  readonly tokens: AccessTokens;
  readonly loadConfig: LoadRoomConfig;
};

/** Admissions the bucket may hold, in seconds of rate: enough to ride out a slow tick, too few to make a burst. */
export const BURST_SECONDS = 2;
/** Time constant of the observed admission rate (exponentially weighted). */
export const RATE_TAU_MS = 30_000;
/** Pre-opening scores are below this; FIFO scores are FIFO_BASE + n. Both stay exact in a double and in Lua's %.14g. */
export const FIFO_BASE = 10_000_000_000_000;
export const RANDOM_SCORES = 2 ** 43;

/** A uniformly random pre-opening score from the CSPRNG, below FIFO_BASE. */
export const randomScore = (): number => randomInt(0, RANDOM_SCORES);

export const bucketCapacity = (admitPerMinute: number): number => Math.max(1, (admitPerMinute * BURST_SECONDS) / 60);

/** Refills `tokens` for `elapsedMs`; answers the new level. */
export const refill = (tokens: number, elapsedMs: number, admitPerMinute: number): number =>
  Math.min(bucketCapacity(admitPerMinute), tokens + (elapsedMs * admitPerMinute) / 60_000);

/** Whole admissions available (the epsilon absorbs float error such as 0.1 + 0.2). */
export const wholeTokens = (tokens: number): number => Math.floor(tokens + 1e-9);

/**
 * The observed admission rate (per second), moved towards what this tick did.
 * Only ticks that left people waiting count: when the queue runs dry the
 * admissions say nothing about how fast it moves.
 */
export const observeRate = (previous: number | undefined, admitPerMinute: number, admitted: number, elapsedMs: number): number => {
  const prior = previous ?? admitPerMinute / 60;
  if (elapsedMs <= 0) return prior;
  const alpha = 1 - Math.exp(-elapsedMs / RATE_TAU_MS);
  return prior + alpha * ((admitted * 1000) / elapsedMs - prior);
};

export const fromIso = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 time: ${JSON.stringify(iso)}`);
  return ms;
};

/** From WaitingRoomConfigured's data (or the event state's waitingRoom). */
export const roomConfigFrom = (c: {
  readonly enabled: boolean;
  readonly opensAt: string;
  readonly admitPerMinute: number;
  readonly accessSeconds: number;
}): RoomConfig => ({ enabled: c.enabled, opensAt: fromIso(c.opensAt), admitPerMinute: c.admitPerMinute, accessSeconds: c.accessSeconds });

export const assertRoomConfig = (c: RoomConfig): void => {
  if (!Number.isSafeInteger(c.opensAt) || c.opensAt < 0) throw new Error('opensAt must be a time in ms');
  if (!c.enabled) return;
  if (!Number.isInteger(c.admitPerMinute) || c.admitPerMinute < 1) throw new Error('admitPerMinute must be a positive integer');
  if (!Number.isInteger(c.accessSeconds) || c.accessSeconds < 1) throw new Error('accessSeconds must be a positive integer');
};

/** What a user sees while waiting: position, and a wait estimated from the observed rate (plus the time until opening). */
export const waitingPlace = (rank: number, config: RoomConfig, observedPerSecond: number | undefined, now: number): WaitingPlace => {
  const rate = observedPerSecond !== undefined && observedPerSecond > 0 ? observedPerSecond : config.admitPerMinute / 60;
  const untilOpen = Math.max(0, config.opensAt - now) / 1000;
  const position = rank + 1;
  const eta = rate > 0 ? untilOpen + position / rate : untilOpen;
  return { state: 'waiting', position, ahead: rank, etaSeconds: Math.ceil(eta) };
};

export const admittedPlace = (tokens: AccessTokens, eventId: string, userId: string, expiresAt: number): AdmittedPlace => ({
  state: 'admitted',
  position: 0,
  ahead: 0,
  etaSeconds: 0,
  accessToken: tokens.sign({ eventId, userId, expiresAt }),
  accessExpiresAt: new Date(expiresAt).toISOString(),
});
