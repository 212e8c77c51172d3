import type { FastifyRequest } from 'fastify';
import type { AccessTokens, LoadRoomConfig, TokenRejection, WaitingRoomQueue } from '../../commands/waiting-room/index.js';
import { ProblemError, type Admission } from '../http/index.js';

const REASONS: Record<TokenRejection | 'missing', string> = {
  missing:
    "this event's waiting room is on: join the queue (POST /events/:id/queue) and send the access token it gives you as X-Access-Token",
  malformed: 'the X-Access-Token is not an access token',
  'bad-signature': 'the X-Access-Token is not one this server issued',
  'wrong-event': 'the X-Access-Token is for another event',
  'wrong-user': 'the X-Access-Token was issued to another user',
  expired: 'the X-Access-Token has expired: join the queue again',
};

const waitingRoomProblem = (reason: TokenRejection | 'missing'): ProblemError =>
  new ProblemError(403, 'waiting-room', 'Waiting room', REASONS[reason], { reason });

export type AdmissionDeps = {
  readonly queue: WaitingRoomQueue;
  readonly tokens: AccessTokens;
  readonly clock?: () => number;
  /** Where the configuration comes from when the queue's store cannot answer (Redis down): the event stream. */
  readonly fallbackConfig?: LoadRoomConfig;
};

/**
 * The gate before a hold: passes when the event's room is off (or there is no
 * such event: the hold answers that), else only with an X-Access-Token signed
 * for this user and event and not expired. Needs request.user (authenticated).
 * Tokens verify without the queue, so with a fallback holds go on while Redis is down.
 */
export const createAdmission = ({ queue, tokens, clock = Date.now, fallbackConfig }: AdmissionDeps): Admission => ({
  check: async (request: FastifyRequest, eventId: string) => {
    const config = await queue.config(eventId).catch((err: unknown) => {
      if (!fallbackConfig) throw err;
      request.log.warn({ err }, 'waiting-room queue unavailable; gate reads the event stream');
      return fallbackConfig(eventId);
    });
    if (config === 'unknown-event' || !config.enabled) return;
    const header = request.headers['x-access-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (token === undefined || token.trim() === '') throw waitingRoomProblem('missing');
    const verdict = tokens.verify(token.trim(), { eventId, userId: request.user.id, now: clock() });
    if (!verdict.ok) throw waitingRoomProblem(verdict.reason);
  },
});
