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
    /** preHandler: authenticates, then 403 `forbidden` unless the user is an organizer. */
    requireOrganizer: PreHandler;
    /** Signs a session token for a user. */
    signToken: (user: AuthUser) => string;
  }
}

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;

const unauthorized = (detail: string): ProblemError =>
  new ProblemError(401, 'unauthorized', 'Not signed in', detail, {}, { 'www-authenticate': 'Bearer' });

const bearer = (request: FastifyRequest): string | undefined => {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
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

    const authenticate: PreHandler = async (request) => {
      const token = bearer(request);
      if (!token) throw unauthorized('an Authorization: Bearer <token> header is required');
      let payload: TokenPayload;
      try {
        payload = app.jwt.verify<TokenPayload>(token);
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw unauthorized(code === 'FAST_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid');
      }
      if (typeof payload.sub !== 'string' || (payload.role !== 'customer' && payload.role !== 'organizer'))
        throw unauthorized('the token is not valid');
      request.user = { id: payload.sub, email: payload.email, role: payload.role };
    };

    const requireOrganizer: PreHandler = async (request, reply) => {
      await authenticate(request, reply);
      if (request.user.role !== 'organizer') throw new ProblemError(403, 'forbidden', 'Not allowed', 'this needs an organizer account');
    };

    app.decorate('authenticate', authenticate);
    app.decorate('requireOrganizer', requireOrganizer);
    app.decorate('signToken', (user: AuthUser) => app.jwt.sign({ sub: user.id, email: user.email, role: user.role }));
  },
  { name: 'marquee-auth' },
);
