import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Ticketing } from '../../commands/ticketing/index.js';
import { accountRoutes, type Accounts } from '../accounts/index.js';
import { bookingRoutes, createBookingDirectory, type TicketCode } from '../bookings/index.js';
import { organizerListingRoutes, organizerRoutes, ticketingPort } from '../catalogue/index.js';
import {
  authPlugin,
  installAllowedMethods,
  installDeclaredAnswers,
  installProblemHandlers,
  ProblemError,
  rateLimitPlugin,
  redactUrl,
  sendProblem,
} from '../http/index.js';
import type { Admission, Metrics, ReadModels } from '../http/index.js';
import { opsRoutes, type ReadinessCheck } from '../ops/index.js';
import { createSeatMapHub, seatMapRoutes, type LiveSeatMapSource, type SeatMapBus, type SseOptions } from '../seat-map/index.js';
import { webAppPlugin } from '../web-app/index.js';

export type AppConfig = {
  /** Write requests per minute per user and per IP; 0 turns limits off. */
  readonly RATE_LIMIT: number;
  readonly PUBLIC_URL: string;
};

export type AppDeps = {
  readonly config: AppConfig;
  readonly log: FastifyBaseLogger;
  readonly jwtSecret: string;
  readonly accounts: Accounts;
  readonly ticketing: Ticketing;
  readonly reads: ReadModels;
  readonly bus: SeatMapBus;
  readonly metrics: Metrics;
  /** Named pings for /ready: each throws when its dependency is unreachable. */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Rate-limit counters shared by every API process; in-process when absent. */
  readonly redis?: Redis;
  /** Key prefix of the rate-limit counters in Redis ('marquee-rl:'): separate installations sharing one Redis. */
  readonly rateLimitNamespace?: string;
  /** The waiting room's gate for holds. */
  readonly admission?: Admission;
  /** More route plugins (search, waiting room, payments), registered after the core routes' decorators exist. */
  readonly plugins?: readonly FastifyPluginAsync[];
  readonly bodyLimit?: number;
  /** Signs a ticket's scannable code (check-ins); tickets carry no code without it. */
  readonly ticketCode?: TicketCode;
  readonly sse?: SseOptions;
  /** Seat maps straight from this process's event writers, where it holds them (one process). */
  readonly liveSeatMaps?: LiveSeatMapSource;
  readonly now?: () => Date;
  /** The built web app (web/dist by default); served at `/`. */
  readonly webRoot?: string;
};

/** The access log's view of a request: as fastify's, with tokens in the query redacted. */
const requestLogView = (req: FastifyRequest) => ({
  method: req.method,
  url: redactUrl(req.url),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Before a server closes, it drains: /health and /ready say 503 so balancers move away, answers
 * close their connections, and requests keep being served until none has come for
 * `quietMs`. Closing at once would reset the connections whose request is still on
 * its way in (Node counts them idle), failing requests clients had already sent.
 */
export type DrainOptions = { readonly quietMs?: number; readonly maxMs?: number };
const DRAIN_QUIET_MS = 500;
const DRAIN_MAX_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    drain(options?: DrainOptions): Promise<void>;
  }
}

/**
 * The server every role runs: zod schemas, the one problem handler, and a close
 * that ends keep-alive connections so it waits for in-flight requests only.
 */
const baseApp = (deps: Pick<AppDeps, 'log' | 'bodyLimit'>): FastifyInstance => {
  const app = Fastify({
    loggerInstance: deps.log.child({}, { serializers: { req: requestLogView } }),
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Requests that reach a closing server on an open connection are still served (close waits for them).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON: text/plain is refused (415) like a body without a type, not parsed to a string that fails the schema.
  app.removeContentTypeParser('text/plain');
  installAllowedMethods(app);
  installDeclaredAnswers(app);
  installProblemHandlers(app);
  // While draining and closing, answers end their keep-alive connection, so close() waits for in-flight requests only.
  let draining = false;
  let lastRequestAt = 0;
  const OPS_PATHS = new Set(['/health', '/ready', '/metrics']);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A balancer's health checks must not keep a draining server open.
    if (!OPS_PATHS.has(path)) lastRequestAt = Date.now();
    // Draining, the process takes no new traffic: balancers route by /health, readiness probes ask /ready.
    if (draining && path === '/ready')
      return sendProblem(reply, new ProblemError(503, 'not-ready', 'Not ready', 'shutting down', {}, { 'retry-after': '5' }));
    if (draining && path === '/health')
      return sendProblem(reply, new ProblemError(503, 'unavailable', 'Unavailable', 'shutting down', {}, { 'retry-after': '5' }));
  });
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (draining) reply.header('connection', 'close');
  });
  app.decorate('drain', async (options: DrainOptions = {}) => {
    draining = true;
    const started = Date.now();
    const quietMs = options.quietMs ?? DRAIN_QUIET_MS;
    const deadline = started + (options.maxMs ?? DRAIN_MAX_MS);
    // Quiet counts from the signal at the earliest: a request sent just before it may not have been read yet.
    while (Date.now() < deadline && Date.now() - Math.max(lastRequestAt, started) < quietMs) await new Promise((r) => setTimeout(r, 50));
  });
  return app;
};

/** A projector-only process serves just /health, /ready and /metrics. */
export const buildOpsApp = async (deps: Pick<AppDeps, 'log' | 'readiness' | 'metrics'>): Promise<FastifyInstance> => {
  const app = baseApp(deps);
  await app.register(opsRoutes, { readiness: deps.readiness, metrics: deps.metrics });
  return app;
};

/** The app, not yet listening (and not yet `ready()`: callers may register more routes). */
export const buildApp = async (deps: AppDeps): Promise<FastifyInstance> => {
  const app = baseApp(deps);
  // First, so it learns every API route's prefix as the routes register.
  await app.register(webAppPlugin, deps.webRoot ? { root: deps.webRoot } : {});
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Marquee',
        description: 'Event-sourced ticket booking: venues, events, live seat maps, holds, payments and tickets.',
        version: '0.1.0',
      },
      servers: [{ url: deps.config.PUBLIC_URL }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(authPlugin, { secret: deps.jwtSecret });
  await app.register(rateLimitPlugin, { max: deps.config.RATE_LIMIT, redis: deps.redis, namespace: deps.rateLimitNamespace });

  const now = deps.now ?? (() => new Date());
  await app.register(opsRoutes, { readiness: deps.readiness, metrics: deps.metrics });
  await app.register(accountRoutes, { accounts: deps.accounts });
  const ticketing = ticketingPort(deps.ticketing, now);
  const hub = createSeatMapHub({
    load: (eventId) => deps.reads.getSeatMap(eventId),
    bus: deps.bus,
    onError: (err, eventId) => app.log.warn({ err, eventId }, 'seat map reload failed'),
    ...(deps.liveSeatMaps ? { live: deps.liveSeatMaps } : {}),
  });
  app.addHook('onClose', async () => hub.close());
  await app.register(organizerRoutes, { ticketing, reads: deps.reads, now });
  await app.register(organizerListingRoutes, { reads: deps.reads });
  await app.register(bookingRoutes, {
    ticketing,
    reads: deps.reads,
    metrics: deps.metrics,
    admission: deps.admission,
    directory: createBookingDirectory(),
    ticketCode: deps.ticketCode,
  });
  await app.register(seatMapRoutes, {
    hub,
    metrics: deps.metrics,
    scheduled: async (eventId) => (await ticketing.getEvent(eventId)) !== undefined,
    ...(deps.sse ? { sse: deps.sse } : {}),
  });
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
};
