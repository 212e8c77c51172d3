import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { PreHandler } from './auth.js';
import { ProblemError } from './problem.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler for write routes and /auth/*: counts the request against its
     * IP and, once authenticated (put it after `app.authenticate`), its user;
     * 429 `rate-limited` with retry-after past RATE_LIMIT a minute. A no-op when RATE_LIMIT=0.
     */
    limitWrites: PreHandler;
  }
}

export const RATE_WINDOW_MS = 60_000;

/** Per-IP and per-user fixed windows, kept in Redis when given so every API process shares them. */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, opts: { max: number; redis?: Redis | undefined; namespace?: string | undefined; windowMs?: number }) => {
    if (opts.max <= 0) {
      app.decorate('limitWrites', async () => undefined);
      return;
    }
    await app.register(fastifyRateLimit, {
      global: false,
      max: opts.max,
      timeWindow: opts.windowMs ?? RATE_WINDOW_MS,
      nameSpace: opts.namespace ?? 'marquee-rl:',
      ...(opts.redis ? { redis: opts.redis } : {}),
    });
    const byIp = app.createRateLimit({ keyGenerator: (req: FastifyRequest) => `ip:${req.ip}` });
    const byUser = app.createRateLimit({
      keyGenerator: (req: FastifyRequest) => `user:${(req.user as { id?: string } | undefined)?.id ?? ''}`,
    });
    const enforce = (r: Awaited<ReturnType<typeof byIp>>, who: string): void => {
      if (r.isAllowed || !r.isExceeded) return;
      const after = String(Math.max(1, r.ttlInSeconds));
      throw new ProblemError(
        429,
        'rate-limited',
        'Too many requests',
        `more than ${r.max} write requests a minute from this ${who}; retry in ${after} s`,
        { retryAfter: Number(after) },
        { 'retry-after': after },
      );
    };
    app.decorate('limitWrites', async (request: FastifyRequest) => {
      enforce(await byIp(request), 'address');
      if ((request.user as { id?: string } | undefined)?.id) enforce(await byUser(request), 'account');
    });
  },
  { name: 'marquee-rate-limit' },
);
