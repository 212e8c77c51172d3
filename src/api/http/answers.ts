import type { FastifyInstance, RouteOptions } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './errors.js';
import { problemSchema } from './schemas.js';

/** A response declared by its content type, as @fastify/swagger and the zod transform read it. */
export type ContentResponse = { readonly description: string; readonly content: Readonly<Record<string, { readonly schema: unknown }>> };

export const problemResponse = (description: string): ContentResponse => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
});

/** What the app itself answers on any route, whatever the route declares. */
const COMMON: Readonly<Record<number, string>> = {
  500: 'internal: a bug; the detail quotes the request id',
  503: 'unavailable, overloaded or shutting down; `retry-after` says when to retry',
};

const handlers = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/**
 * Completes a route's declared answers before @fastify/swagger reads them, so the
 * OpenAPI document is the truth of what the server sends: every error answer is
 * `application/problem+json` (RFC 9457), and the answers the app gives on any route
 * are declared where they apply: 400 for an input schema, 404 for a path id,
 * 413/415 for a body, 401/403 for a signed-in or organizer route, 429 for a
 * rate-limited one, and 500/503. Install before any route.
 */
export const installDeclaredAnswers = (app: FastifyInstance): void => {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (RouteOptions['schema'] & { hide?: boolean; response?: Record<string, unknown> }) | undefined;
    if (!schema || schema.hide) return;
    const response: Record<string, unknown> = { ...schema.response };
    const add = (code: number, description: string): void => {
      response[code] ??= problemResponse(description);
    };
    const hooks = [...handlers(route.preValidation), ...handlers(route.preHandler)];
    const uses = (name: 'authenticate' | 'requireOrganizer' | 'limitWrites'): boolean =>
      app.hasDecorator(name) && hooks.includes(app[name]);
    if (schema.body || schema.querystring || schema.headers) add(400, 'invalid-input: the request does not match the schema (`issues`)');
    if (schema.params) add(404, 'not-found: no such resource (a malformed id too)');
    if (schema.body) {
      add(413, 'body-too-large');
      add(415, 'unsupported-media-type: the body must be application/json');
    }
    if (uses('authenticate') || uses('requireOrganizer')) add(401, 'unauthorized: no token or a bad one');
    if (uses('requireOrganizer')) add(403, 'forbidden: not an organizer, or not this organizer’s');
    if (uses('limitWrites')) add(429, 'rate-limited: `retry-after` says when');
    for (const [code, description] of Object.entries(COMMON)) add(Number(code), description);
    for (const [code, declared] of Object.entries(response)) {
      if (Number(code) >= 400 && declared === problemSchema) response[code] = problemResponse(problemSchema.description ?? 'problem');
    }
    route.schema = { ...schema, response };
  });
};
