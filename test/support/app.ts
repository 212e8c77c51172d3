import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import type { Test } from 'tap';
import { buildApp, type AppDeps } from '../../src/api/app/index.js';
import type { Role } from '../../src/api/http/index.js';
import { comparePositions } from '../../src/commands/event-store/index.js';
import { compose, type Runtime } from '../../src/runtime/compose/index.js';
import type { ComposeOptions } from '../../src/runtime/compose/compose.js';
import { loadConfig } from '../../src/runtime/config/index.js';
import { freshDatabase } from './services.js';

export type TestUser = { readonly token: string; readonly user: { id: string; email: string; name: string; role: Role } };

export type TestAppOptions = ComposeOptions & {
  /** Environment variables on top of the test defaults (RATE_LIMIT=0, DEMO_DATA=0, ROLE=all). */
  readonly env?: Readonly<Record<string, string>>;
  /** Use NATS (NATS_URL must be set) instead of the in-process bus. */
  readonly nats?: boolean;
  /** Use Redis (REDIS_URL must be set) for rate limits. */
  readonly redis?: boolean;
  /** Also listen on 127.0.0.1 at a free port (for SSE and real-HTTP tests); `url` is then set. */
  readonly listen?: boolean;
  /** Changes the app's dependencies before the app is built. */
  readonly deps?: (deps: AppDeps) => AppDeps;
};

export type VenueBody = Record<string, unknown> & { layout: { sections: unknown[] } };

export type TestApp = {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  /** http://127.0.0.1:<port> when listening. */
  readonly url: string | undefined;
  /** app.inject with a Bearer token. */
  readonly as: (token: string | undefined) => (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  /** A customer through POST /auth/register (real scrypt). */
  readonly register: (name?: string) => Promise<TestUser>;
  /** A user (row in `users`, real token) without a password round: fast, for tests needing many users. */
  readonly user: (role?: Role) => Promise<TestUser>;
  readonly organizer: () => Promise<TestUser>;
  readonly venueBody: (overrides?: Partial<VenueBody>) => VenueBody;
  readonly createVenue: (organizer: TestUser, overrides?: Partial<VenueBody>) => Promise<{ id: string; capacity: number }>;
  /** A venue and an event on sale now (holdSeconds 300, max 8 tickets) by a fresh organizer. */
  readonly onSaleEvent: (
    overrides?: Record<string, unknown>,
    venue?: Partial<VenueBody>,
  ) => Promise<{ organizer: TestUser; venueId: string; eventId: string; event: Record<string, unknown> }>;
  /** Waits until every projection has applied every event of its streams in the log (a minute: CI machines can be very busy). */
  readonly settle: (timeoutMs?: number) => Promise<void>;
  /** Polls `check` until it returns a value other than undefined/false. */
  readonly waitFor: <T>(check: () => Promise<T | undefined | false>, timeoutMs?: number, what?: string) => Promise<T>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small default layout: section A (2 rows of 10 seats) and a standing pit of 50. */
export const smallLayout = {
  sections: [
    {
      id: 'A',
      name: 'Block A',
      kind: 'seated',
      rows: [
        { label: '1', seats: 10 },
        { label: '2', seats: 10 },
      ],
    },
    { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 50 },
  ],
};

/**
 * The whole API on real parts: a fresh PostgreSQL database (event store and
 * read models), the projector, the in-process bus (or NATS), real accounts and
 * tokens. Closed when the test ends.
 */
export const testApp = async (t: Test, options: TestAppOptions = {}): Promise<TestApp> => {
  const databaseUrl = await freshDatabase(t);
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-api-'));
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    RATE_LIMIT: '0',
    DEMO_DATA: '0',
    ROLE: 'all',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: `test-secret-${randomUUID()}`,
    ...(options.nats && process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL } : {}),
    ...(options.redis && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const log = pino({ level: config.LOG_LEVEL });
  const runtime = await compose(config, log, options);
  const built: { app?: FastifyInstance } = {};
  t.teardown(async () => {
    await built.app?.close();
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  await runtime.start();
  const app = await buildApp(options.deps ? options.deps(runtime.appDeps) : runtime.appDeps);
  built.app = app;
  await app.ready();
  let url: string | undefined;
  if (options.listen) {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    url = address;
  }
  const theApp = app;

  const as = (token: string | undefined) => (opts: InjectOptions) =>
    theApp.inject({ ...opts, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers } });

  const register = async (name = 'Test Buyer'): Promise<TestUser> => {
    const r = await theApp.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: `buyer-${randomUUID()}@example.com`, password: 'correct horse battery', name },
    });
    if (r.statusCode !== 201) throw new Error(`register failed: ${r.statusCode} ${r.body}`);
    return r.json<TestUser>();
  };

  const user = async (role: Role = 'customer'): Promise<TestUser> => {
    const id = randomUUID();
    const email = `${role}-${id}@example.com`;
    await runtime.pool.query(`INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, 'scrypt$0$0$0$x$x')`, [
      id,
      email,
      `Test ${role}`,
      role,
    ]);
    const u = { id, email, name: `Test ${role}`, role };
    return { token: theApp.signToken(u), user: u };
  };

  const venueBody = (overrides: Partial<VenueBody> = {}): VenueBody => ({
    name: 'Test Hall',
    address: '1 Test Street',
    city: 'Manchester',
    country: 'GB',
    location: { lat: 53.4794, lng: -2.2453 },
    timezone: 'Europe/London',
    layout: structuredClone(smallLayout),
    ...overrides,
  });

  const createVenue = async (organizer: TestUser, overrides: Partial<VenueBody> = {}) => {
    const r = await as(organizer.token)({ method: 'POST', url: '/venues', payload: venueBody(overrides) });
    if (r.statusCode !== 201) throw new Error(`POST /venues failed: ${r.statusCode} ${r.body}`);
    return r.json<{ id: string; capacity: number }>();
  };

  const onSaleEvent = async (overrides: Record<string, unknown> = {}, venue: Partial<VenueBody> = {}) => {
    const organizer = await user('organizer');
    const v = await createVenue(organizer, venue);
    const layout = (venue.layout ?? smallLayout) as { sections: { id: string }[] };
    const r = await as(organizer.token)({
      method: 'POST',
      url: '/events',
      payload: {
        venueId: v.id,
        name: 'Test Concert',
        description: 'A test event',
        category: 'music',
        performers: ['The Testers'],
        startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        currency: 'GBP',
        sectionPrices: Object.fromEntries(layout.sections.map((s) => [s.id, 5000])),
        onSaleAt: new Date(Date.now() - 60_000).toISOString(),
        ...overrides,
      },
    });
    if (r.statusCode !== 201) throw new Error(`POST /events failed: ${r.statusCode} ${r.body}`);
    const event = r.json<Record<string, unknown> & { id: string }>();
    return { organizer, venueId: v.id, eventId: event.id, event };
  };

  const waitFor = async <T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(25);
    }
  };

  const settle = async (timeoutMs = 60_000): Promise<void> => {
    const projector = runtime.projector();
    if (!projector) return;
    const targets = new Map<string, { commit: bigint; prepare: bigint } | undefined>();
    for (const p of runtime.projections) {
      const r = await runtime.pool.query<{ commit: string; sequence: string }>(
        `SELECT transaction_id::text AS commit, sequence::text AS sequence FROM event_store.events
         WHERE stream LIKE ANY($1::text[]) ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
        [p.streamPrefixes.map((x) => `${x}%`)],
      );
      const row = r.rows[0];
      targets.set(p.name, row ? { commit: BigInt(row.commit), prepare: BigInt(row.sequence) } : undefined);
    }
    await waitFor(
      async () =>
        projector.status().every((s) => {
          const target = targets.get(s.name);
          return target === undefined || (s.position !== undefined && comparePositions(s.position, target) >= 0);
        }),
      timeoutMs,
      'the projections to catch up',
    );
  };

  return {
    app: theApp,
    runtime,
    url,
    as,
    register,
    user,
    organizer: () => user('organizer'),
    venueBody,
    createVenue,
    onSaleEvent,
    settle,
    waitFor,
  };
};
