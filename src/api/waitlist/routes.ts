import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ticketing } from '../../commands/ticketing/index.js';
import type { WaitlistEntryView } from '../../domain/ticketed-event/index.js';
import { ProblemError, idParams, isoTime, openEventStream, page, pageQuery, problemSchema } from '../http/index.js';

/**
 * The waitlist of a sold-out event: join, leave, my entries, my entry's stream,
 * and the organizer's counts. Joins and leaves go to the event's writer; lists
 * and the stream read the waitlist projection.
 */

export type WaitlistEntry = Omit<WaitlistEntryView, 'userId'> & { readonly userId: string; readonly updatedAt?: string };

export type WaitlistReads = {
  readonly listForUser: (userId: string, page: number, pageSize: number) => Promise<{ items: readonly WaitlistEntry[]; total: number }>;
  /** The user's latest entry for the event. */
  readonly latest: (eventId: string, userId: string) => Promise<WaitlistEntry | undefined>;
  readonly counts: (eventId: string) => Promise<{ waiting: number; offered: number; fulfilled: number }>;
};

export type WaitlistRoutesDeps = {
  readonly ticketing: Pick<Ticketing, 'joinWaitlist' | 'leaveWaitlist' | 'eventState'>;
  readonly reads: WaitlistReads;
  /** How often an entry's stream looks for a change; default 1000 ms. */
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
};

const security = [{ bearer: [] }];

export const waitlistEntrySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  quantity: z.number().int(),
  sectionId: z.string().optional(),
  maxPrice: z.number().int().optional(),
  status: z.enum(['waiting', 'offered', 'fulfilled', 'expired', 'left']),
  position: z.number().int().optional().describe('place in the queue (from 1) while waiting'),
  bookingId: z.string().optional().describe('the held booking once offered: check it out before it lapses'),
  createdAt: isoTime,
});

const joinBody = z.strictObject({
  quantity: z.number().int().min(1).max(50).describe("1..the event's maxTicketsPerUser"),
  sectionId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,16}$/)
    .optional(),
  maxPrice: z.number().int().min(0).max(100_000_000).optional().describe('only seats priced at most this, in minor units'),
});

const countsSchema = z.object({ waiting: z.number().int(), offered: z.number().int(), fulfilled: z.number().int() });

const view = (e: WaitlistEntry): z.output<typeof waitlistEntrySchema> => {
  const { userId: _owner, updatedAt: _at, ...rest } = e;
  return rest;
};

export const waitlistRoutes =
  (deps: WaitlistRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const pollMs = deps.pollMs ?? 1000;
    const heartbeatMs = deps.heartbeatMs ?? 15_000;
    const streams = new Set<() => void>();
    app.addHook('onClose', async () => {
      for (const end of streams) end();
    });

    app.post(
      '/events/:id/waitlist',
      {
        schema: {
          tags: ['waitlist'],
          summary: 'Join the waitlist of a sold-out event (or section); joining again answers the same entry',
          security,
          params: idParams,
          body: joinBody,
          response: { 200: waitlistEntrySchema, 201: waitlistEntrySchema, 400: problemSchema, 404: problemSchema, 409: problemSchema },
        },
        preHandler: [app.authenticate, app.limitWrites],
      },
      async (request, reply) => {
        const r = await deps.ticketing.joinWaitlist(
          request.params.id,
          { userId: request.user.id, ...request.body },
          { userId: request.user.id },
        );
        return reply.code(r.created ? 201 : 200).send(view(r.entry));
      },
    );

    app.delete(
      '/events/:id/waitlist',
      {
        schema: {
          tags: ['waitlist'],
          summary: 'Leave the waitlist (an offer not yet paid is let go)',
          security,
          params: idParams,
          response: { 200: waitlistEntrySchema, 404: problemSchema },
        },
        preHandler: [app.authenticate, app.limitWrites],
      },
      async (request) => view((await deps.ticketing.leaveWaitlist(request.params.id, request.user.id, { userId: request.user.id })).entry),
    );

    app.get(
      '/me/waitlist',
      {
        schema: {
          tags: ['waitlist'],
          summary: 'My waitlist entries, newest first',
          security,
          querystring: pageQuery,
          response: { 200: page(waitlistEntrySchema) },
        },
        preHandler: app.authenticate,
      },
      async (request) => {
        const { page: p, pageSize } = request.query;
        const r = await deps.reads.listForUser(request.user.id, p, pageSize);
        return { items: r.items.map(view), page: p, pageSize, total: r.total };
      },
    );

    app.get(
      '/events/:id/waitlist',
      {
        schema: {
          tags: ['waitlist'],
          summary: "The event's waitlist counts (its organizer)",
          security,
          params: idParams,
          response: { 200: countsSchema, 403: problemSchema, 404: problemSchema },
        },
        preHandler: app.requireOrganizer,
      },
      async (request) => {
        const { state } = await deps.ticketing.eventState(request.params.id, { refresh: true });
        if (state.status !== 'scheduled') throw new ProblemError(404, 'not-found', 'Not found', 'no such event');
        if (state.event.organizerId !== request.user.id)
          throw new ProblemError(403, 'forbidden', 'Not allowed', 'this event belongs to another organizer');
        return deps.reads.counts(request.params.id);
      },
    );

    app.get(
      '/events/:id/waitlist/me/stream',
      {
        schema: {
          tags: ['waitlist'],
          summary: 'My entry as text/event-stream: a message whenever it changes (an offer carries bookingId)',
          security,
          params: idParams,
          querystring: z.object({
            access_token: z
              .string()
              .optional()
              .describe('the session token, for EventSource clients that cannot send an Authorization header'),
          }),
          response: { 404: problemSchema },
        },
        preHandler: app.authenticate,
      },
      async (request, reply) => {
        const eventId = request.params.id;
        const userId = request.user.id;
        const first = await deps.reads.latest(eventId, userId);
        if (!first) throw new ProblemError(404, 'not-found', 'Not found', 'you are not on the waitlist of this event');
        const res = openEventStream(request, reply);
        let last = '';
        let lastSentAt = 0;
        const send = (e: WaitlistEntry) => {
          const body = JSON.stringify(view(e));
          if (body === last && Date.now() - lastSentAt < heartbeatMs) return;
          last = body;
          lastSentAt = Date.now();
          res.write(`data: ${body}\n\n`);
        };
        send(first);
        const timer = setInterval(() => {
          deps.reads.latest(eventId, userId).then(
            (e) => e && send(e),
            (err: unknown) => request.log.warn({ err, eventId }, 'waitlist stream refresh failed'),
          );
        }, pollMs);
        const end = () => {
          clearInterval(timer);
          streams.delete(end);
          res.end();
        };
        streams.add(end);
        res.on('close', end);
      },
    );
  };
