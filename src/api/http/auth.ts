import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from './problem.js';

export type Role = 'customer' | 'organizer';

/** Who a request is from, once `app.authenticate` has run. */
export type AuthUser = { readonly id: string; readonly email: string; readonly role: Role };

type TokenPayload = { readonly sub: string; readonly email: string; readonly role: Role };

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload;
    user: AuthUser;
  }
}

export type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid Bearer token sets request.user, else 401 `unauthorized`. */
    authenticate: PreHandler;
    /** preValidation: 404 for a malformed path id, authenticates, then 403 `forbidden` unless the user is an organizer. */
    requireOrganizer: PreHandler;
    /** Signs a session token for a user. */
    signToken: (user: AuthUser) => string;
  }
}

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;

/**
 * Tokens that verified, by their whole text, until they expire: a buyer sends the same token with every
 * request of an on-sale, and only a token equal byte for byte to one already checked skips the HMAC.
 */
const createVerifiedTokens = (capacity: number) => {
  const tokens = new Map<string, { readonly payload: TokenPayload; readonly expiresMs: number }>();
  return {
    get(token: string, nowMs: number): TokenPayload | undefined {
      const hit = tokens.get(token);
      if (hit === undefined) return undefined;
      if (hit.expiresMs > nowMs) return hit.payload;
      tokens.delete(token);
      return undefined;
    },
    remember(token: string, payload: TokenPayload & { readonly exp?: unknown }): void {
      if (typeof payload.exp !== 'number') return;
      if (tokens.size >= capacity) tokens.delete(tokens.keys().next().value!);
      tokens.set(token, { payload, expiresMs: payload.exp * 1000 });
    },
  };
};

const VERIFIED_TOKENS_KEPT = 20_000;

const unauthorized = (detail: string): ProblemError =>
  new ProblemError(401, 'unauthorized', 'Not signed in', detail, {}, { 'www-authenticate': 'Bearer' });

/** The query parameter that carries the token where a client cannot set headers (a browser's EventSource). */
export const QUERY_TOKEN_PARAM = 'access_token';

/**
 * An EventSource request: GET asking for text/event-stream. Only these may
 * carry the token in the URL, so no other route invites tokens into URLs.
 */
const isEventStreamRequest = (request: FastifyRequest): boolean =>
  request.method === 'GET' && (request.headers.accept ?? '').includes('text/event-stream');

const queryToken = (request: FastifyRequest): string | undefined => {
  if (!isEventStreamRequest(request)) return undefined;
  const value = (request.query as Record<string, unknown> | undefined)?.[QUERY_TOKEN_PARAM];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const bearer = (request: FastifyRequest): string | undefined => {
  const h = request.headers.authorization;
  if (!h) return queryToken(request);
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
};

/** A request URL fit for the logs: the value of `access_token` is replaced, the rest kept. */
export const redactUrl = (url: string): string => {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes(QUERY_TOKEN_PARAM, q)) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => (pair.split('=')[0] === QUERY_TOKEN_PARAM ? `${QUERY_TOKEN_PARAM}=[redacted]` : pair));
  return `${url.slice(0, q)}?${params.join('&')}`;
};

/**
 * Registers @fastify/jwt (HS256 only: tokens with `alg: none` or another
 * algorithm fail verification) and the auth decorators, unencapsulated so
 * every route plugin can use `app.authenticate` / `app.requireOrganizer`.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { secret: string; tokenTtlSeconds?: number }) => {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { algorithm: 'HS256', expiresIn: opts.tokenTtlSeconds ?? TOKEN_TTL_SECONDS },
      verify: { algorithms: ['HS256'] },
      formatUser: (p) => ({ id: p.sub, email: p.email, role: p.role }),
    });

    const verified = createVerifiedTokens(VERIFIED_TOKENS_KEPT);
    const authenticate: PreHandler = async (request) => {
      const token = bearer(request);
      if (!token)
        throw unauthorized(
          `an Authorization: Bearer <token> header is required (an EventSource may send ?${QUERY_TOKEN_PARAM}=<token> instead)`,
        );
      let payload = verified.get(token, Date.now());
      if (payload === undefined) {
        try {
          payload = app.jwt.verify<TokenPayload>(token);
        } catch (err) {
          const code = (err as { code?: string }).code;
          throw unauthorized(code === 'FAST_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid');
        }
        verified.remember(token, payload);
      }
      if (typeof payload.sub !== 'string' || (payload.role !== 'customer' && payload.role !== 'organizer'))
        throw unauthorized('the token is not valid');
      request.user = { id: payload.sub, email: payload.email, role: payload.role };
    };

    // preValidation on organizer routes, so the role is checked before the body. The path
    // is checked first even so: a malformed id is 404 on every route, signed in or not.
    const requireOrganizer: PreHandler = async (request, reply) => {
      const params = request.routeOptions.schema?.params as { safeParse?: (v: unknown) => { success: boolean } } | undefined;
      if (typeof params?.safeParse === 'function' && !params.safeParse(request.params).success)
        throw new ProblemError(404, 'not-found', 'Not found', 'no such resource');
      await authenticate(request, reply);
      if (request.user.role !== 'organizer') throw new ProblemError(403, 'forbidden', 'Not allowed', 'this needs an organizer account');
    };

    app.decorate('authenticate', authenticate);
    app.decorate('requireOrganizer', requireOrganizer);
    app.decorate('signToken', (user: AuthUser) => app.jwt.sign({ sub: user.id, email: user.email, role: user.role }));
  },
  { name: 'marquee-auth' },
);
