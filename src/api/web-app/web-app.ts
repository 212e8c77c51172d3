import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { noRouteProblem, routePattern, type ProblemError } from '../http/index.js';

/**
 * Serves the web app (web/, built by `npm run build:web` into web/dist) at `/`.
 * A browser asking for any page gets the app's HTML (200 for the app's routes,
 * 404 for others, which the app renders as "Page not found"); every path under
 * an API prefix keeps its JSON answers, and anything that does not ask for HTML
 * gets problem JSON as before. Files are read once at start-up and kept in
 * memory with their gzip form: the whole app is a few hundred kilobytes.
 */

/** web/dist of the package this module belongs to (src/ under tsx, dist/ when compiled, wherever the file sits). */
const packageRoot = (from: string): string => {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
};

export const DEFAULT_WEB_ROOT = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'web', 'dist');

export type WebAppOptions = {
  /** The built app: index.html, routes.json and assets/. */
  readonly root?: string;
};

type StaticFile = { readonly body: Buffer; readonly gzip: Buffer | undefined; readonly type: string; readonly etag: string };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.webmanifest']);

const load = (path: string): StaticFile => {
  const body = readFileSync(path);
  const ext = extname(path);
  return {
    body,
    gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
};

/** Every file under `dir`, by URL path (`/assets/index-3f2a.js`). */
const loadTree = (dir: string, prefix: string, into: Map<string, StaticFile>): void => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) loadTree(path, `${prefix}${name}/`, into);
    else into.set(`${prefix}${name}`, load(path));
  }
};

const firstSegment = (path: string): string => path.split('/')[1] ?? '';

const wantsHtml = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html');

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
    "media-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(self), geolocation=(self)',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marquee</title></head>
<body><main><h1>The web app is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm install</code>) and reload.
The API answers as usual: see <a href="/docs">/docs</a>.</p></main></body></html>`;

export { routePattern };

export const webAppPlugin = fp(
  async (app: FastifyInstance, opts: WebAppOptions) => {
    const root = opts.root ?? DEFAULT_WEB_ROOT;
    const files = new Map<string, StaticFile>();
    let index: StaticFile | undefined;
    let pages: RegExp[] = [];
    try {
      index = load(join(root, 'index.html'));
      pages = (JSON.parse(readFileSync(join(root, 'routes.json'), 'utf8')) as string[]).map(routePattern);
      loadTree(root, '/', files);
      files.delete('/index.html');
      files.delete('/routes.json');
    } catch (err) {
      app.log.warn({ err: (err as Error).message, root }, 'the web app is not built: run `npm run build:web`; the API still answers');
    }

    // Paths under these first segments belong to the API (collected as routes register), never to the app.
    const apiPrefixes = new Set<string>();
    const ownRoutes = new Set<string>(['/', '/*', ...files.keys()]);
    app.addHook('onRoute', (route) => {
      if (!ownRoutes.has(route.url)) apiPrefixes.add(firstSegment(route.url));
    });

    const send = (request: FastifyRequest, reply: FastifyReply, file: StaticFile, status = 200): FastifyReply => {
      reply.header('etag', file.etag).header('vary', 'accept-encoding');
      if (status === 200 && request.headers['if-none-match'] === file.etag) return reply.code(304).send();
      reply.code(status).type(file.type);
      if (file.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
        return reply.header('content-encoding', 'gzip').send(file.gzip);
      return reply.send(file.body);
    };

    const page = (request: FastifyRequest, reply: FastifyReply, status: number): FastifyReply => {
      reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache');
      if (!index) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return send(request, reply, index, status);
    };

    const notFound = (request: FastifyRequest): ProblemError => noRouteProblem(app, request);

    app.get('/', { schema: { hide: true } }, async (request, reply) => page(request, reply, 200));

    for (const [path, file] of files) {
      const immutable = path.startsWith('/assets/');
      app.get(path, { schema: { hide: true } }, async (request, reply) => {
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
        return send(request, reply, file);
      });
    }

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (!wantsHtml(request) || apiPrefixes.has(firstSegment(path)) || path.startsWith('/assets/')) throw notFound(request);
      return page(request, reply, pages.some((p) => p.test(path)) ? 200 : 404);
    });
  },
  { name: 'marquee-web-app' },
);
