import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
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
import { ProblemError, category, eventItemSchema, isoTime, list, page, pageQuery, problemSchema, type Metrics } from '../http/index.js';
import { createAnswerCache } from './answer-cache.js';

/**
 * GET /events, GET /events/search, GET /performers/:id. They read the search
 * index only, so they keep answering while the write side is down.
 */

/** Productions for search: `production=<id>` keeps to its showtimes (items carry theirs from the index). */
export type SearchProductions = {
  /** The ids of a production's showtimes; [] when unknown. */
  readonly showtimesOf: (productionId: string) => Promise<readonly string[]>;
};

export type SearchRoutesDeps = {
  readonly search: SearchIndex;
  readonly productions?: SearchProductions;
  readonly now?: () => Date;
  /** Answers kept in memory per index version (see answer-cache.ts); 0 or omitted keeps none. */
  readonly cacheEntries?: number;
  readonly metrics?: Pick<Metrics, 'searchAnswers'>;
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
  production: slug.optional().describe('a production id: only its showtimes'),
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

/** Browse and search answers are public: shared caches may keep them this long, then revalidate. */
export const SEARCH_CACHE_CONTROL = 'public, max-age=5';

/**
 * The ETag of an answer: the index's version, and for a query whose window starts "now" the
 * minute it was read in (an answer then stays valid for that minute, as far as time goes).
 */
export const searchTag = (version: string, minute: number | undefined): string =>
  `W/"${version}${minute === undefined ? '' : `-${minute}`}"`;

/** If-None-Match against one tag: a list of tags or *; weak comparison (RFC 9110 13.1.2). */
export const noneMatch = (header: string | undefined, tag: string): boolean => {
  if (header === undefined) return false;
  const opaque = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(tag));
};

type Answer = Omit<SearchPage, 'version'>;
const performerSchema = z.object({ id: z.string(), name: z.string(), upcoming: list(eventItemSchema) });
const UPCOMING_LIMIT = 50;

export const searchRoutes =
  (deps: SearchRoutesDeps): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const now = deps.now ?? (() => new Date());
    const productions = deps.productions;
    const readVersion = deps.search.version?.bind(deps.search);
    const cache =
      readVersion && (deps.cacheEntries ?? 0) > 0
        ? createAnswerCache<Answer>({ entries: deps.cacheEntries ?? 0, version: readVersion })
        : undefined;

    /** The search with `production` turned into its showtimes. */
    const searchWithProductions = async (query: SearchQuery, production: string | undefined): Promise<SearchPage> => {
      const ids = production === undefined || !productions ? undefined : await productions.showtimesOf(production);
      return searchPage(deps.search, ids === undefined ? query : { ...query, eventIds: ids });
    };

    // A conditional request whose tag is current costs one read of the version, not a search; with the
    // cache, a question already answered at this version costs none.
    const answer = async (
      request: FastifyRequest,
      reply: FastifyReply,
      query: SearchQuery,
      production: string | undefined,
      fromNow: boolean,
    ): Promise<Answer | undefined> => {
      const minute = fromNow ? Math.floor(now().getTime() / 60_000) : undefined;
      void reply.header('cache-control', SEARCH_CACHE_CONTROL);
      const condition = request.headers['if-none-match'];
      const current = readVersion && (cache || condition !== undefined) ? await (cache?.version() ?? readVersion()) : undefined;
      if (condition !== undefined && current !== undefined && noneMatch(condition, searchTag(current, minute))) {
        deps.metrics?.searchAnswers.inc({ source: 'not-modified' });
        await reply.header('etag', searchTag(current, minute)).code(304).send();
        return undefined;
      }
      // A production's showtimes come from another read model than the version: those answers are not kept.
      const key = cache && production === undefined ? JSON.stringify(minute === undefined ? query : { ...query, from: minute }) : undefined;
      if (key !== undefined && current !== undefined) {
        const kept = cache?.get(key, current);
        if (kept) {
          deps.metrics?.searchAnswers.inc({ source: 'cache' });
          void reply.header('etag', searchTag(current, minute));
          return kept;
        }
      }
      const { version, ...found } = await searchWithProductions(query, production);
      deps.metrics?.searchAnswers.inc({ source: 'index' });
      if (version !== undefined) {
        void reply.header('etag', searchTag(version, minute));
        if (key !== undefined) cache?.set(key, version, found);
      }
      return found;
    };

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
      async (request, reply) => {
        const f = request.query;
        const found = await answer(request, reply, toQuery(f, f.near ? 'distance' : 'startsAt', now()), f.production, f.from === undefined);
        return found ?? reply;
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
      async (request, reply) => {
        const { q, ...f } = request.query;
        const found = await answer(request, reply, toQuery(f, 'relevance', now(), q), f.production, f.from === undefined);
        return found ?? reply;
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
