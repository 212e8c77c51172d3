import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Metrics } from '../http/index.js';
import { openEventStream, idParams, ProblemError, problemSchema, seatMapSchema } from '../http/index.js';
import { notFound } from '../catalogue/index.js';
import { mergeDeltas, type SeatDelta, type SeatMapHub, type Snapshot } from './hub.js';

export type SseOptions = {
  /** Shortest gap between two `seats` messages to one client: deltas in between are merged. */
  readonly coalesceMs?: number;
  readonly heartbeatMs?: number;
  /** A client this far behind on its socket is disconnected (it reconnects with Last-Event-ID). */
  readonly maxBufferedBytes?: number;
};

export type SeatMapRoutesOptions = {
  readonly hub: SeatMapHub;
  readonly metrics: Metrics;
  readonly sse?: SseOptions;
  /** Whether the write side knows the event: its stream then waits for the projection instead of answering 404. */
  readonly scheduled?: (eventId: string) => Promise<boolean>;
};

const etagOf = (version: number): string => `"${version}"`;

const matches = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');

/** How long GET /events/:id/seats waits for a new event's projection before it answers 503. */
const NEW_EVENT_WAIT_MS = 5_000;

const sseMessage = (event: string, id: number, data: string): string => `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;

export const seatMapRoutes: FastifyPluginAsyncZod<SeatMapRoutesOptions> = async (app, { hub, metrics, sse = {}, scheduled }) => {
  const coalesceMs = sse.coalesceMs ?? 100;
  const heartbeatMs = sse.heartbeatMs ?? 15_000;
  const maxBuffered = sse.maxBufferedBytes ?? 8 * 1024 * 1024;
  const streams = new Set<ServerResponse>();

  /** Waits for the projection to have an event the write side already knows; undefined when given up. */
  const projected = async (eventId: string, gaveUp: () => boolean, ms = Infinity): Promise<Snapshot | undefined> => {
    const deadline = Date.now() + ms;
    for (let waitMs = 50; Date.now() < deadline && !gaveUp(); waitMs = Math.min(waitMs * 2, 1_000)) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, Math.max(0, deadline - Date.now()))));
      if (gaveUp()) return undefined;
      const snap = await hub.snapshot(eventId).catch((err: unknown) => {
        app.log.warn({ err, eventId }, 'seat map not readable yet');
        return undefined;
      });
      if (snap) return snap;
    }
    return undefined;
  };

  // Ends the streams before the server closes, so app.close() does not wait on them.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
    streams.clear();
  });

  app.get(
    '/events/:id/seats',
    {
      schema: {
        tags: ['seat map'],
        summary: 'The seat map (ETag = version; If-None-Match gives 304)',
        params: idParams,
        response: { 200: seatMapSchema, 304: z.undefined(), 404: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) => {
      const eventId = request.params.id;
      let snap = await hub.snapshot(eventId);
      if (!snap) {
        if (!(await scheduled?.(eventId))) throw notFound('event');
        snap = await projected(eventId, () => false, NEW_EVENT_WAIT_MS);
        if (!snap)
          throw new ProblemError(
            503,
            'unavailable',
            'Unavailable',
            'the seat map of this new event is not ready yet',
            {},
            { 'retry-after': '1' },
          );
      }
      const etag = etagOf(snap.version);
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      // Already serialized for this version: sent as is, the cache's point.
      return reply
        .type('application/json; charset=utf-8')
        .serializer((s: unknown) => s as string)
        .send(snap.body as never);
    },
  );

  app.get(
    '/events/:id/seats/stream',
    {
      schema: {
        tags: ['seat map'],
        summary: 'Live seat map (text/event-stream): `snapshot`, then coalesced `seats` deltas; id = version; Last-Event-ID resumes',
        params: idParams,
        headers: z.object({ 'last-event-id': z.string().max(40).optional() }),
        response: { 404: problemSchema },
      },
    },
    async (request, reply) => {
      const eventId = request.params.id;
      let snap = await hub.snapshot(eventId);
      if (!snap && !(await scheduled?.(eventId))) throw notFound('event');
      const lastId = request.headers['last-event-id'];
      const resumeFrom = lastId !== undefined && /^-?\d+$/.test(lastId.trim()) ? Number(lastId.trim()) : undefined;

      const res = openEventStream(request, reply);
      streams.add(res);
      metrics.sseClients.inc();

      let pending: SeatDelta[] = [];
      let lastSent = 0;
      let flushTimer: NodeJS.Timeout | undefined;
      let unlisten: (() => void) | undefined = undefined;
      let closed = false;

      const write = (chunk: string): void => {
        if (closed) return;
        res.write(chunk);
        if (res.writableLength > maxBuffered) {
          request.log.info({ eventId }, 'seat-map stream too far behind; closing it');
          res.destroy();
        }
      };
      const heartbeat = setInterval(() => write(`: keep-alive ${new Date().toISOString()}\n\n`), heartbeatMs);
      const cleanup = (): void => {
        if (closed) return;
        closed = true;
        unlisten?.();
        clearInterval(heartbeat);
        if (flushTimer) clearTimeout(flushTimer);
        streams.delete(res);
        metrics.sseClients.dec();
      };
      res.on('close', cleanup);
      res.on('error', cleanup);

      // Scheduled, but not yet in the read model (the projector trails the write): the stream is open
      // already, and its first message is the snapshot as soon as the projection has the event.
      if (!snap) {
        write(': waiting for the seat map\n\n');
        snap = await projected(eventId, () => closed);
        if (!snap) return;
      }

      const flush = (): void => {
        flushTimer = undefined;
        const merged = mergeDeltas(pending);
        pending = [];
        if (!merged) return;
        lastSent = Date.now();
        write(sseMessage('seats', merged.version, JSON.stringify(merged)));
      };
      const schedule = (): void => {
        if (flushTimer || closed) return;
        flushTimer = setTimeout(flush, Math.max(0, lastSent + coalesceMs - Date.now()));
      };

      unlisten = hub.listen(eventId, (d) => {
        pending.push(d);
        schedule();
      });

      // Resume with the deltas missed when the hub still has them all; else start over with a snapshot.
      const resumed = resumeFrom === undefined ? undefined : hub.since(eventId, resumeFrom);
      if (resumed === 'current') write(': resumed\n\n');
      else if (resumed) {
        lastSent = Date.now();
        write(sseMessage('seats', resumed.version, JSON.stringify(resumed)));
      } else {
        write(sseMessage('snapshot', snap.version, snap.body));
        lastSent = Date.now();
      }
    },
  );
};
