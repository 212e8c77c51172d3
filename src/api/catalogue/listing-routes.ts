import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eventItemSchema, page, pageQuery, problemSchema, venueSchema, type ReadModels } from '../http/index.js';

const security = [{ bearer: [] }];

/**
 * The organizer console's lists: GET /me/events (every event of the signed-in
 * organizer, any status, upcoming soonest first, then past ones) and
 * GET /me/venues (the venues they registered). From the catalogue read model,
 * so an event scheduled a moment ago appears once the projector has it.
 */
export const organizerListingRoutes: FastifyPluginAsyncZod<{ reads: ReadModels }> = async (app, { reads }) => {
  app.get(
    '/me/events',
    {
      schema: {
        tags: ['events'],
        summary: 'My events (organizer): upcoming soonest first, then past ones',
        security,
        querystring: pageQuery,
        response: { 200: page(eventItemSchema), 401: problemSchema, 403: problemSchema },
      },
      preValidation: app.requireOrganizer,
    },
    async (request) => {
      const { page: p, pageSize } = request.query;
      const r = await reads.listOrganizerEvents(request.user.id, { page: p, pageSize });
      return { items: r.items, page: p, pageSize, total: r.total };
    },
  );

  app.get(
    '/me/venues',
    {
      schema: {
        tags: ['venues'],
        summary: 'My venues (organizer), by name',
        security,
        querystring: pageQuery,
        response: { 200: page(venueSchema), 401: problemSchema, 403: problemSchema },
      },
      preValidation: app.requireOrganizer,
    },
    async (request) => {
      const { page: p, pageSize } = request.query;
      const r = await reads.listOrganizerVenues(request.user.id, { page: p, pageSize });
      return { items: r.items, page: p, pageSize, total: r.total };
    },
  );
};
