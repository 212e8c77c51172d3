import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GeoPoint } from '../../domain/venue/index.js';
import {
  DEFAULT_RADIUS_KM,
  MAX_RADIUS_KM,
  MAX_RESULT_WINDOW,
  type SearchIndex,
  type SearchPage,
  type SearchQuery,
  type SearchSort,
} from '../../projections/search/index.js';
import { ProblemError, category, eventItemSchema, isoTime, list, page, pageQuery, problemSchema } from '../http/index.js';

/**
 * GET /events, GET /events/search, GET /performers/:id. They read the search
 * index only, so they keep answering while the write side is down.
 */

export type SearchRoutesDeps = {
  readonly search: SearchIndex;
  readonly now?: () => Date;
};

const NUMBER = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const NEAR = new RegExp(String.raw`^\s*(${NUMBER})\s*,\s*(${NUMBER})\s*$`);

export const parseNear = (near: string): GeoPoint | undefined => {
  const m = NEAR.exec(near);
  if (!m) return undefined;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 ? { lat, lng } : undefined;
};

const slug = z.string().min(1).max(200);

const filters = {
  near: z
    .string()
    .refine((s) => parseNear(s) !== undefined, 'near must be "<lat>,<lng>" with -90 <= lat <= 90 and -180 <= lng <= 180')
    .optional()
    .describe('"<lat>,<lng>": sort by distance and keep events within radiusKm'),
  radiusKm: z.coerce.number().gt(0).max(MAX_RADIUS_KM).optional().describe(`with near; default ${DEFAULT_RADIUS_KM}`),
  from: isoTime.optional().describe('events starting at or after; default now'),
  to: isoTime.optional().describe('events starting before'),
  category: category.optional(),
  performer: slug.optional().describe('a performer id'),
  venue: slug.optional().describe('a venue id'),
  // Every list pages by the same rule (pageQuery): a page past the end is an empty page.
  ...pageQuery.shape,
};

export const browseQuery = z.strictObject(filters);
export const searchQuery = z.strictObject({ ...filters, q: z.string().max(200).default('').describe('keywords; typos tolerated') });

type Filters = z.output<typeof browseQuery>;

const invalid = (detail: string): ProblemError => new ProblemError(400, 'invalid-input', 'Invalid input', detail);

const toQuery = (f: Filters, sort: SearchSort, now: Date, q?: string): SearchQuery => {
  if (f.radiusKm !== undefined && f.near === undefined) throw invalid('radiusKm needs near');
  const from = f.from ?? now.toISOString();
  if (f.to !== undefined && Date.parse(f.to) <= Date.parse(from)) throw invalid('to must be later than from');
  const near = f.near === undefined ? undefined : parseNear(f.near);
  return {
    sort,
    from,
    page: f.page,
    pageSize: f.pageSize,
    ...(q === undefined ? {} : { q }),
    ...(near ? { near, radiusKm: f.radiusKm ?? DEFAULT_RADIUS_KM } : {}),
    ...(f.to === undefined ? {} : { to: f.to }),
    ...(f.category === undefined ? {} : { category: f.category }),
    ...(f.performer === undefined ? {} : { performer: f.performer }),
    ...(f.venue === undefined ? {} : { venue: f.venue }),
  };
};

/**
 * The index reads no deeper than MAX_RESULT_WINDOW results; a page past that is
 * empty, as a page past the end of any list is, and its total still counts every match.
 */
const searchPage = async (search: SearchIndex, query: SearchQuery): Promise<SearchPage> => {
  if ((query.page - 1) * query.pageSize < MAX_RESULT_WINDOW) return search.search(query);
  const { total } = await search.search({ ...query, page: 1, pageSize: 1 });
  return { items: [], page: query.page, pageSize: query.pageSize, total };
};

const resultPage = page(eventItemSchema);
const performerSchema = z.object({ id: z.string(), name: z.string(), upcoming: list(eventItemSchema) });
const UPCOMING_LIMIT = 50;

export const searchRoutes =
  (deps: SearchRoutesDeps): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const now = deps.now ?? (() => new Date());

    app.get(
      '/events',
      {
        schema: {
          tags: ['search'],
          summary: 'Browse upcoming events: near a place (by distance, then start time) or by start time',
          querystring: browseQuery,
          response: { 200: resultPage, 400: problemSchema },
        },
      },
      async (request) => {
        const f = request.query;
        return searchPage(deps.search, toQuery(f, f.near ? 'distance' : 'startsAt', now()));
      },
    );

    app.get(
      '/events/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Find events by keywords over name, performers, venue, city and description, by relevance',
          querystring: searchQuery,
          response: { 200: resultPage, 400: problemSchema },
        },
      },
      async (request) => {
        const { q, ...f } = request.query;
        return searchPage(deps.search, toQuery(f, 'relevance', now(), q));
      },
    );

    app.get(
      '/performers/:id',
      {
        schema: {
          tags: ['search'],
          summary: 'A performer and their upcoming events',
          params: z.strictObject({ id: slug }),
          querystring: z.strictObject({}),
          response: { 200: performerSchema, 404: problemSchema },
        },
      },
      async (request) => {
        const id = request.params.id;
        const upcoming = await deps.search.search({
          performer: id,
          from: now().toISOString(),
          sort: 'startsAt',
          page: 1,
          pageSize: UPCOMING_LIMIT,
        });
        // A performer with nothing coming up is still known by their past events.
        const named =
          upcoming.items[0] ??
          (await deps.search.search({ performer: id, sort: 'startsAt', page: 1, pageSize: 1 })).items[0] ??
          (await deps.search.search({ performer: id, status: 'cancelled', sort: 'startsAt', page: 1, pageSize: 1 })).items[0];
        const name = named?.performers.find((p) => p.id === id)?.name;
        if (name === undefined) throw new ProblemError(404, 'not-found', 'Not found', `no performer ${id}`);
        return { id, name, upcoming: upcoming.items };
      },
    );
  };
