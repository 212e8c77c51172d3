import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommandContext, WaitingRoomInput } from '../../commands/ticketing/index.js';
import { roomConfigFrom, type Place, type QueueAnswer, type WaitingRoomQueue } from '../../commands/waiting-room/index.js';
import { ProblemError, openEventStream, idParams, isoTime, problemSchema } from '../http/index.js';
import { createStreamHub, type Watcher } from './stream-hub.js';

/**
 * The waiting room over HTTP (docs/api.md "Waiting room"): the organizer's
 * PUT, joining, polling and the SSE stream. The gate the hold route calls is admission.ts.
 */

/** What the routes need from the write side; the composition root adapts Ticketing and the TicketingPort to it. */
export type WaitingRoomTicketing = {
  /** The event as its writer knows it; undefined when there is no such event. */
  readonly getEvent: (eventId: string) => Promise<{ readonly organizerId: string } | undefined>;
  /** Appends WaitingRoomConfigured to the event's stream (Ticketing.configureWaitingRoom); throws DomainError. */
  readonly configureWaitingRoom: (eventId: string, input: WaitingRoomInput, ctx?: CommandContext) => Promise<unknown>;
};

export type QueueStreamOptions = {
  /** How often each process re-reads the places of its stream clients (one round trip per event). */
  readonly pollMs?: number;
  /** A client gets its place at least this often, changed or not. */
  readonly heartbeatMs?: number;
};

export type WaitingRoomRoutesDeps = {
  readonly queue: WaitingRoomQueue;
  readonly ticketing: WaitingRoomTicketing;
  /** ms since the epoch. */
  readonly clock?: () => number;
  readonly stream?: QueueStreamOptions;
};

export const waitingRoomBody = z.strictObject({
  enabled: z.boolean(),
  opensAt: isoTime,
  admitPerMinute: z.number().int().min(1).max(1_000_000),
  accessSeconds: z.number().int().min(30).max(86_400),
});

export const waitingRoomSchema = waitingRoomBody.extend({ eventId: z.string() });

export const queuePlaceSchema = z
  .object({
    state: z.enum(['waiting', 'admitted']),
    position: z.number().int().min(0).describe('1 = next to be admitted; 0 once admitted'),
    ahead: z.number().int().min(0),
    etaSeconds: z.number().int().min(0).describe('estimated from the observed admission rate'),
    accessToken: z.string().optional().describe('send as X-Access-Token when holding seats'),
    accessExpiresAt: isoTime.optional(),
  })
  .describe('A place in the waiting room');

const security = [{ bearer: [] }];

const notQueued = (): ProblemError =>
  new ProblemError(
    404,
    'not-found',
    'Not found',
    'you have no place in this queue (never joined, or an unused admission lapsed): POST /events/:id/queue to join',
  );

/** The place, or the problem a route answers instead. */
export const placeOrProblem = (answer: QueueAnswer): Place | ProblemError => {
  switch (answer.state) {
    case 'waiting':
    case 'admitted':
      return answer;
    case 'not-queued':
      return notQueued();
    case 'room-off':
      return new ProblemError(
        409,
        'waiting-room-off',
        'Waiting room off',
        'this event has no waiting room at the moment: no access token is needed',
      );
    case 'unknown-event':
      return new ProblemError(404, 'not-found', 'Not found', 'no such event');
    default: {
      const _: never = answer;
      return _;
    }
  }
};

/** The place, or throws the problem; a queue that cannot answer (Redis down) is a 503 the client retries. */
const placeOf = async (request: FastifyRequest, answer: Promise<QueueAnswer>): Promise<Place> => {
  let a: QueueAnswer;
  try {
    a = await answer;
  } catch (err) {
    request.log.warn({ err }, 'waiting-room queue unavailable');
    throw new ProblemError(
      503,
      'queue-unavailable',
      'Queue unavailable',
      'the waiting-room queue cannot answer right now; retry shortly',
      {},
      { 'retry-after': '2' },
    );
  }
  const p = placeOrProblem(a);
  if (p instanceof ProblemError) throw p;
  return p;
};

/**
 * The routes as a plugin for buildApp's `plugins`. Needs `app.authenticate`
 * and `app.requireOrganizer` (src/api/auth.ts); uses `app.limitWrites` when the
 * app has it.
 */
export const waitingRoomRoutes = (deps: WaitingRoomRoutesDeps): FastifyPluginAsync =>
  // Named, so a test can swap the composition root's instance for one on its own clock.
  async function waitingRoomPlugin(instance: FastifyInstance) {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    const { queue, ticketing } = deps;
    const clock = deps.clock ?? Date.now;
    const pollMs = deps.stream?.pollMs ?? 1000;
    const heartbeatMs = deps.stream?.heartbeatMs ?? 5000;
    const limit: preHandlerHookHandler[] = app.hasDecorator('limitWrites') ? [app.limitWrites] : [];
    const hub = createStreamHub(queue, clock, pollMs, (err) => app.log.warn({ err }, 'waiting-room stream refresh failed'));
    const streams = new Set<ServerResponse>();

    app.addHook('preClose', async () => {
      hub.close();
      for (const res of streams) res.end();
      streams.clear();
    });

    app.put(
      '/events/:id/waiting-room',
      {
        schema: {
          tags: ['waiting room'],
          summary: "Configure the event's waiting room (organizer)",
          security,
          params: idParams,
          body: waitingRoomBody,
          response: {
            200: waitingRoomSchema,
            400: problemSchema,
            403: problemSchema,
            404: problemSchema,
            409: problemSchema,
            503: problemSchema,
          },
        },
        preValidation: app.requireOrganizer,
        preHandler: limit,
      },
      async (request) => {
        const eventId = request.params.id;
        const event = await ticketing.getEvent(eventId);
        if (!event) throw new ProblemError(404, 'not-found', 'Not found', 'no such event');
        if (event.organizerId !== request.user.id)
          throw new ProblemError(403, 'forbidden', 'Not allowed', 'this event belongs to another organizer');
        await ticketing.configureWaitingRoom(eventId, request.body, { userId: request.user.id });
        try {
          await queue.configure(eventId, roomConfigFrom(request.body));
        } catch (err) {
          request.log.warn({ err }, 'waiting-room queue unavailable');
          throw new ProblemError(
            503,
            'queue-unavailable',
            'Queue unavailable',
            'the configuration is recorded but the queue could not take it yet; send the same PUT again shortly',
            {},
            { 'retry-after': '2' },
          );
        }
        return { eventId, ...request.body };
      },
    );

    app.post(
      '/events/:id/queue',
      {
        schema: {
          tags: ['waiting room'],
          summary: "Join the event's queue; joining again answers the same place",
          security,
          params: idParams,
          response: { 201: queuePlaceSchema, 404: problemSchema, 409: problemSchema, 503: problemSchema },
        },
        preHandler: [app.authenticate, ...limit],
      },
      async (request, reply) => reply.code(201).send(await placeOf(request, queue.join(request.params.id, request.user.id, clock()))),
    );

    app.get(
      '/events/:id/queue/me',
      {
        schema: {
          tags: ['waiting room'],
          summary: 'My place in the queue (with the access token once admitted)',
          security,
          params: idParams,
          response: { 200: queuePlaceSchema, 404: problemSchema, 409: problemSchema, 503: problemSchema },
        },
        preHandler: app.authenticate,
      },
      async (request) => placeOf(request, queue.status(request.params.id, request.user.id, clock())),
    );

    app.get(
      '/events/:id/queue/stream',
      {
        schema: {
          tags: ['waiting room'],
          summary:
            'My place as text/event-stream: a message whenever it changes, at least every 5 s and at once on admission; `event: problem` and the end when the place is gone',
          security,
          params: idParams,
          querystring: z.object({
            access_token: z
              .string()
              .optional()
              .describe('the session token, for EventSource clients that cannot send an Authorization header'),
          }),
          response: { 404: problemSchema, 409: problemSchema, 503: problemSchema },
        },
        preHandler: app.authenticate,
      },
      async (request, reply) => {
        const eventId = request.params.id;
        const userId = request.user.id;
        const first = await placeOf(request, queue.status(eventId, userId, clock()));

        const res = openEventStream(request, reply);
        streams.add(res);

        let closed = false;
        let last = '';
        let lastSentAt = 0;
        const send = (place: Place): void => {
          last = JSON.stringify(place);
          lastSentAt = Date.now();
          res.write(`data: ${last}\n\n`);
        };

        const watcher: Watcher = {
          eventId,
          userId,
          deliver: (answer) => {
            if (closed) return false;
            const p = placeOrProblem(answer);
            if (p instanceof ProblemError) {
              const body = { type: p.type, title: p.title, status: p.status, detail: p.detail };
              res.end(`event: problem\ndata: ${JSON.stringify(body)}\n\n`);
              cleanup();
              return false;
            }
            if (JSON.stringify(p) !== last || Date.now() - lastSentAt >= heartbeatMs) send(p);
            return true;
          },
        };

        const cleanup = (): void => {
          if (closed) return;
          closed = true;
          hub.remove(watcher);
          streams.delete(res);
        };
        res.on('close', cleanup);
        res.on('error', cleanup);

        send(first);
        hub.add(watcher);
      },
    );
  };

/** The name of every plugin waitingRoomRoutes makes. */
export const WAITING_ROOM_PLUGIN_NAME = 'waitingRoomPlugin';
