import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ticketing } from '../../commands/ticketing/index.js';
import { DomainError } from '../../domain/shared/index.js';
import type { ProductionItem, ProductionQuery } from '../../projections/productions/index.js';
import { DEFAULT_RADIUS_KM, MAX_RADIUS_KM, type SearchIndex } from '../../projections/search/index.js';
import { eventDetailFromState } from '../catalogue/index.js';
import {
  ProblemError,
  category,
  eventBody,
  eventDetailSchema,
  eventItemSchema,
  isoTime,
  list,
  page,
  problemSchema,
  toProblem,
} from '../http/index.js';
import { parseNear, type SearchProductions } from '../search/index.js';

/**
 * Productions (a film, a touring show) and their showtimes: GET /productions
 * ("now showing near me"), GET /productions/:id (its showtimes, filtered like
 * browse), and POST /events/batch (a run of showtimes in one call).
 */

export type ProductionReads = {
  readonly list: (query: ProductionQuery) => Promise<{ items: readonly ProductionItem[]; total: number }>;
  readonly get: (
    id: string,
  ) => Promise<{ id: string; name: string; category: string; performers: ProductionItem['performers']; eventIds: string[] } | undefined>;
};

export type ProductionRoutesDeps = {
  readonly reads: ProductionReads;
  readonly search: SearchIndex;
  readonly productions: SearchProductions;
  readonly ticketing: Pick<Ticketing, 'scheduleEvent'>;
  readonly now?: () => Date;
};

export const MAX_BATCH = 200;
const SHOWTIME_LIMIT = 100;

const security = [{ bearer: [] }];
const slug = z.string().min(1).max(200);

const near = z
  .string()
  .refine((s) => parseNear(s) !== undefined, 'near must be "<lat>,<lng>"')
  .optional()
  .describe('"<lat>,<lng>": only showtimes within radiusKm, nearest first');

const placeAndDate = {
  near,
  radiusKm: z.coerce.number().gt(0).max(MAX_RADIUS_KM).optional().describe(`with near; default ${DEFAULT_RADIUS_KM}`),
  from: isoTime.optional().describe('showtimes starting at or after; default now'),
  to: isoTime.optional().describe('showtimes starting before'),
};

const productionItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  performers: list(z.object({ id: z.string(), name: z.string() })),
  nextShowtime: z.string(),
  showtimeCount: z.number().int(),
  priceFrom: z.number().int(),
  currency: z.string(),
  distanceKm: z.number().optional(),
});

const productionSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  performers: list(z.object({ id: z.string(), name: z.string() })),
  showtimes: list(eventItemSchema),
});

const batchBody = eventBody.omit({ startsAt: true }).extend({
  startsAt: z.array(isoTime).min(1).max(MAX_BATCH).describe(`one event per start time, at most ${MAX_BATCH}`),
});

const batchItem = z.object({
  startsAt: z.string(),
  status: z.number().int().describe('201 created, else the problem status'),
  event: eventDetailSchema.optional(),
  problem: problemSchema.optional(),
});

const invalid = (detail: string) => new ProblemError(400, 'invalid-input', 'Invalid input', detail);

const window = (f: { from?: string | undefined; to?: string | undefined }, now: Date) => {
  const from = f.from ?? now.toISOString();
  if (f.to !== undefined && Date.parse(f.to) <= Date.parse(from)) throw invalid('to must be later than from');
  return { from, ...(f.to === undefined ? {} : { to: f.to }) };
};

export const productionRoutes =
  (deps: ProductionRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const now = deps.now ?? (() => new Date());

    app.get(
      '/productions',
      {
        schema: {
          tags: ['productions'],
          summary: 'Now showing: productions with an upcoming showtime, nearest or soonest first',
          querystring: z.strictObject({
            ...placeAndDate,
            category: category.optional(),
            q: z.string().max(200).optional().describe('words of the production or its performers'),
            page: z.coerce.number().int().min(1).max(10_000).default(1),
            pageSize: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: page(productionItemSchema), 400: problemSchema },
        },
      },
      async (request) => {
        const f = request.query;
        if (f.radiusKm !== undefined && f.near === undefined) throw invalid('radiusKm needs near');
        const point = f.near === undefined ? undefined : parseNear(f.near);
        const r = await deps.reads.list({
          ...window(f, now()),
          ...(point ? { near: point, radiusKm: f.radiusKm ?? DEFAULT_RADIUS_KM } : {}),
          ...(f.category === undefined ? {} : { category: f.category }),
          ...(f.q === undefined || f.q.trim() === '' ? {} : { q: f.q }),
          page: f.page,
          pageSize: f.pageSize,
        });
        return { items: r.items, page: f.page, pageSize: f.pageSize, total: r.total };
      },
    );

    app.get(
      '/productions/:id',
      {
        schema: {
          tags: ['productions'],
          summary: 'A production and its upcoming showtimes (filtered by place and date, nearest or soonest first)',
          params: z.strictObject({ id: slug }),
          querystring: z.strictObject(placeAndDate),
          response: { 200: productionSchema, 400: problemSchema, 404: problemSchema },
        },
      },
      async (request) => {
        const f = request.query;
        if (f.radiusKm !== undefined && f.near === undefined) throw invalid('radiusKm needs near');
        const production = await deps.reads.get(request.params.id);
        if (!production) throw new ProblemError(404, 'not-found', 'Not found', `no production ${request.params.id}`);
        const point = f.near === undefined ? undefined : parseNear(f.near);
        const found = await deps.search.search({
          ...window(f, now()),
          ...(point ? { near: point, radiusKm: f.radiusKm ?? DEFAULT_RADIUS_KM } : {}),
          eventIds: production.eventIds,
          sort: point ? 'distance' : 'startsAt',
          page: 1,
          pageSize: SHOWTIME_LIMIT,
        });
        const ref = { id: production.id, name: production.name };
        const { eventIds: _ids, ...rest } = production;
        return { ...rest, showtimes: found.items.map((item) => ({ ...item, production: ref })) };
      },
    );

    app.post(
      '/events/batch',
      {
        schema: {
          tags: ['productions'],
          summary: `Schedule a run of showtimes: the same details at up to ${MAX_BATCH} start times, answered per item`,
          security,
          body: batchBody,
          response: { 200: z.object({ items: list(batchItem), created: z.number().int(), failed: z.number().int() }), 400: problemSchema },
        },
        preHandler: [app.requireOrganizer, app.limitWrites],
      },
      async (request) => {
        const { startsAt, onSaleAt, ...details } = request.body;
        const sale = onSaleAt ? new Date(onSaleAt).toISOString() : now().toISOString();
        const items: z.output<typeof batchItem>[] = [];
        for (const time of startsAt) {
          const at = new Date(time).toISOString();
          try {
            const r = await deps.ticketing.scheduleEvent(
              { ...details, startsAt: at, onSaleAt: sale, organizerId: request.user.id },
              {
                userId: request.user.id,
              },
            );
            const event = eventDetailFromState(r.state, now().toISOString());
            if (!event) throw new DomainError('not-found', 'the event was not scheduled');
            const { organizerId: _owner, ...shown } = event;
            items.push({ startsAt: at, status: 201, event: shown });
          } catch (err) {
            const p = toProblem(err);
            if (!p || p.status >= 500) throw err;
            items.push({
              startsAt: at,
              status: p.status,
              problem: {
                type: p.type,
                title: p.title,
                status: p.status,
                ...(p.detail === undefined ? {} : { detail: p.detail }),
                ...p.extra,
              },
            });
          }
        }
        const created = items.filter((i) => i.status === 201).length;
        return { items, created, failed: items.length - created };
      },
    );
  };
