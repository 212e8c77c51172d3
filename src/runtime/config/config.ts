import { z } from 'zod';

const optionalUrl = z.url().optional();
const flag = z
  .enum(['0', '1'])
  .default('1')
  .transform((v) => v === '1');

/** Every variable of the README's "Configuration"; unset optional services fall back to the embedded default. */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: optionalUrl,
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalUrl,
    EVENT_STORE: z.enum(['postgres', 'eventstoredb']).default('postgres'),
    EVENTSTORE_URL: z.string().startsWith('esdb').optional(),
    SEARCH: z.enum(['postgres', 'typesense']).default('postgres'),
    TYPESENSE_URL: optionalUrl,
    TYPESENSE_API_KEY: z.string().min(1).optional(),
    NATS_URL: optionalUrl,
    REDIS_URL: optionalUrl,
    STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    JWT_SECRET: z.string().min(32).optional(),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(8).optional(),
    DEMO_DATA: flag,
    RATE_LIMIT: z.coerce.number().int().min(0).default(120),
    ROLE: z.enum(['all', 'api', 'projector']).default('all'),
    PROJECTOR_THREAD: flag,
    PROJECTOR_GATHER_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    PROJECTOR_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(10),
    PROJECTOR_YIELD_MS: z.coerce.number().int().min(0).max(10_000).default(1_000),
    HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(50),
    SEARCH_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Marquee <no-reply@localhost>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.EVENT_STORE === 'eventstoredb' && !c.EVENTSTORE_URL)
      ctx.addIssue({ code: 'custom', path: ['EVENTSTORE_URL'], message: 'is required when EVENT_STORE=eventstoredb' });
    if (c.SEARCH === 'typesense' && !(c.TYPESENSE_URL && c.TYPESENSE_API_KEY))
      ctx.addIssue({ code: 'custom', path: ['TYPESENSE_URL'], message: 'and TYPESENSE_API_KEY are required when SEARCH=typesense' });
    if ((c.ADMIN_EMAIL === undefined) !== (c.ADMIN_PASSWORD === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [c.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'],
        message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together',
      });
  });

export type Config = z.output<typeof configSchema> & { readonly PUBLIC_URL: string };

export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as readonly string[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Empty strings count as unset, as in most deployment tools. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const input = Object.fromEntries(CONFIG_VARIABLES.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`invalid configuration: ${name} ${issue?.message ?? 'is invalid'}`);
  }
  const c = parsed.data;
  const host = c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST;
  return { ...c, PUBLIC_URL: (c.PUBLIC_URL ?? `http://${host}:${c.PORT}`).replace(/\/$/, '') };
};
