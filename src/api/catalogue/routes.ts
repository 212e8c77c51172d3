import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ProblemError,
  cancelBody,
  eventBody,
  eventDetailSchema,
  eventPatchBody,
  idParams,
  problemSchema,
  salesSchema,
  venueBody,
  venueSchema,
} from '../http/index.js';
import type { EventDetail, ReadModels, TicketingPort } from '../http/index.js';

const security = [{ bearer: [] }];

/** Times are stored the way the read models print them (UTC, milliseconds), whatever offset the client used. */
const canonicalTime = (iso: string): string => new Date(iso).toISOString();

export const notFound = (what: string): ProblemError => new ProblemError(404, 'not-found', 'Not found', `no such ${what}`);

export const organizerRoutes: FastifyPluginAsyncZod<{ ticketing: TicketingPort; reads: ReadModels; now: () => Date }> = async (
  app,
  { ticketing, reads, now },
) => {
  // The role is checked before the body is validated: a customer learns nothing from a 400.
  const organizerWrite = { preValidation: app.requireOrganizer, preHandler: app.limitWrites };

  /** The event as its writer knows it, when it is this organizer's. */
  const ownEvent = async (request: FastifyRequest, eventId: string): Promise<EventDetail> => {
    const event = await ticketing.getEvent(eventId);
    if (!event) throw notFound('event');
    if (event.organizerId !== request.user.id)
      throw new ProblemError(403, 'forbidden', 'Not allowed', 'this event belongs to another organizer');
    return event;
  };

  app.post(
    '/venues',
    {
      schema: {
        tags: ['venues'],
        summary: 'Register a venue and its seating layout',
        security,
        body: venueBody,
        response: { 201: venueSchema, 400: problemSchema },
      },
      ...organizerWrite,
    },
    async (request, reply) => reply.code(201).send(await ticketing.registerVenue(request.body, request.user.id)),
  );

  app.get(
    '/venues/:id',
    { schema: { tags: ['venues'], summary: 'A venue', params: idParams, response: { 200: venueSchema, 404: problemSchema } } },
    async (request) => {
      const id = request.params.id;
      // The catalogue first; a venue registered a moment ago comes from its stream.
      const venue = (await reads.getVenue?.(id)) ?? (await ticketing.getVenue(id));
      if (!venue) throw notFound('venue');
      return venue;
    },
  );

  app.post(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Schedule an event at a venue',
        security,
        body: eventBody,
        response: { 201: eventDetailSchema, 400: problemSchema, 404: problemSchema },
      },
      ...organizerWrite,
    },
    async (request, reply) => {
      const body = request.body;
      const event = await ticketing.scheduleEvent(
        { ...body, startsAt: canonicalTime(body.startsAt), onSaleAt: body.onSaleAt ? canonicalTime(body.onSaleAt) : now().toISOString() },
        request.user.id,
      );
      return reply.code(201).header('location', `/events/${event.id}`).send(event);
    },
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'An event with its sections and prices',
        params: idParams,
        response: { 200: eventDetailSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const id = request.params.id;
      // The read model trails a write by a moment: an event just scheduled is served from its writer.
      const event = (await reads.getEvent(id)) ?? (await ticketing.getEvent(id));
      if (!event) throw notFound('event');
      return event;
    },
  );

  app.patch(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Change an event’s details',
        security,
        params: idParams,
        body: eventPatchBody,
        response: { 200: eventDetailSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      ...organizerWrite,
    },
    async (request) => {
      await ownEvent(request, request.params.id);
      const { startsAt, onSaleAt, ...rest } = request.body;
      return ticketing.changeEventDetails(request.params.id, {
        ...rest,
        ...(startsAt !== undefined ? { startsAt: canonicalTime(startsAt) } : {}),
        ...(onSaleAt !== undefined ? { onSaleAt: canonicalTime(onSaleAt) } : {}),
      });
    },
  );

  app.post(
    '/events/:id/cancel',
    {
      schema: {
        tags: ['events'],
        summary: 'Cancel an event (confirmed bookings are refunded)',
        security,
        params: idParams,
        body: cancelBody,
        response: { 200: eventDetailSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      ...organizerWrite,
    },
    async (request) => {
      await ownEvent(request, request.params.id);
      return ticketing.cancelEvent(request.params.id, request.body?.reason ?? 'cancelled by the organizer');
    },
  );

  app.get(
    '/events/:id/sales',
    {
      schema: {
        tags: ['events'],
        summary: 'Sales figures of an event',
        security,
        params: idParams,
        response: { 200: salesSchema, 403: problemSchema, 404: problemSchema },
      },
      preValidation: app.requireOrganizer,
    },
    async (request) => {
      await ownEvent(request, request.params.id);
      const sales = await ticketing.getSales(request.params.id);
      if (!sales) throw notFound('event');
      return sales;
    },
  );
};
