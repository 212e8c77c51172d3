import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ProblemError } from './problem.js';

/** `/event/:id` -> a regular expression matching `/event/<one segment>`. */
export const routePattern = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`,
  );

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods some route answers at this path (HEAD with GET), sorted; empty for an unknown path. */
    allowedMethods(path: string): readonly string[];
    /** Every route as registered (its schema as completed by installDeclaredAnswers). */
    registeredRoutes(): readonly RouteOptions[];
  }
}

/**
 * Learns every route as it registers, so a known path asked with a method it
 * lacks is a 405 with `Allow` rather than a 404. Wildcard routes (the web app's
 * catch-all) make no path known. Install before any route.
 */
export const installAllowedMethods = (app: FastifyInstance): void => {
  const routes: { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [];
  const registered: RouteOptions[] = [];
  app.decorate('registeredRoutes', () => registered);
  app.addHook('onRoute', (route) => {
    registered.push(route);
    if (route.url.includes('*')) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    routes.push({ pattern: routePattern(route.url), methods });
  });
  app.decorate('allowedMethods', (path: string) => {
    const allowed = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  });
};

/** 405 naming the methods the path answers, or 404 when no route has the path. */
export const noRouteProblem = (app: FastifyInstance, request: FastifyRequest): ProblemError => {
  const path = request.url.split('?')[0] ?? '/';
  const allowed = app.hasDecorator('allowedMethods') ? app.allowedMethods(path) : [];
  if (allowed.length > 0 && !allowed.includes(request.method))
    return new ProblemError(
      405,
      'method-not-allowed',
      'Method not allowed',
      `${path} answers ${allowed.join(', ')}, not ${request.method}`,
      { allow: allowed },
      { allow: allowed.join(', ') },
    );
  return new ProblemError(404, 'not-found', 'Not found', `no route ${request.method} ${path}`);
};
