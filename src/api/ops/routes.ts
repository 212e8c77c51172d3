import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendProblem, ProblemError } from '../http/index.js';
import type { Metrics } from '../http/index.js';

export type ReadinessCheck = () => Promise<void>;

const READY_TIMEOUT_MS = 2_000;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

export const opsRoutes: FastifyPluginAsyncZod<{ readiness: Readonly<Record<string, ReadinessCheck>>; metrics: Metrics }> = async (
  app,
  { readiness, metrics },
) => {
  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Every dependency answers (503 otherwise)',
        response: { 200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }) },
      },
    },
    async (request, reply) => {
      const names = Object.keys(readiness);
      const results = await Promise.allSettled(names.map((n) => withTimeout(readiness[n]!(), READY_TIMEOUT_MS)));
      const checks: Record<string, string> = {};
      const down: string[] = [];
      results.forEach((r, i) => {
        const name = names[i]!;
        if (r.status === 'fulfilled') checks[name] = 'ok';
        else {
          checks[name] = 'down';
          down.push(name);
          request.log.warn({ err: r.reason, dependency: name }, 'readiness check failed');
        }
      });
      if (down.length > 0)
        return sendProblem(
          reply,
          new ProblemError(503, 'not-ready', 'Not ready', `unreachable: ${down.join(', ')}`, { checks }, { 'retry-after': '5' }),
        );
      return { status: 'ready' as const, checks };
    },
  );

  const metricsAnswer = {
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: z.string() } },
  };
  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics', response: { 200: metricsAnswer } } },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
};
