import { createHmac } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';
import { createAccounts, type Accounts } from '../../api/accounts/index.js';
import type { AppDeps } from '../../api/app/index.js';
import { createMetrics, type Admission, type Metrics } from '../../api/http/index.js';
import { searchRoutes } from '../../api/search/index.js';
import { domainEvent, type EventStore } from '../../commands/event-store/index.js';
import { startHoldSweeper } from '../../commands/hold-sweeper/index.js';
import { createLiveSeatMaps, createTicketing, type Ticketing } from '../../commands/ticketing/index.js';
import { connectNatsBus, createMemoryBus, type Bus } from '../../projections/bus/index.js';
import { createPgPool } from '../../commands/platform/index.js';
import { allHolds, dueHolds, redisHoldDeadlines } from '../../projections/hold-deadlines/index.js';
import {
  prepareProjectorTables,
  startProjector,
  type Projection,
  type Projector,
  type WritePressure,
} from '../../projections/projector/index.js';
import { searchProjection } from '../../projections/search/index.js';
import { logMailer, notificationsProjection, smtpMailer, startSender, type Sender } from '../../projections/notifications/index.js';
import { loadOrCreateSecret, type Config } from '../config/index.js';
import { loadDemoData, loadDemoShowcase } from '../demo-data/index.js';
import { resolveDatabaseUrl } from '../postgres/index.js';
import { openEventStore } from './event-store.js';
import { WEBHOOK_SECRET_NAME, webhookSecretsFrom, wirePayments } from './payments.js';
import { productionReadsOn, readModelProjections, readModelsOn, waitlistReadsOn } from './read-models.js';
import { productionRoutes } from '../../api/productions/index.js';
import { waitlistRoutes } from '../../api/waitlist/index.js';
import { searchWiring } from './search.js';
import { ownedWriters } from './ownership.js';
import { lagOf, startProjectorThread, type ProjectorThread } from './projector-thread.js';
import { writePressureMeter } from './write-pressure.js';
import { wireWaitingRoom } from './waiting-room.js';

/** What a process runs, wired from the configuration. main.ts builds the app from `appDeps` and listens. */
export type Runtime = {
  readonly config: Config;
  readonly appDeps: AppDeps;
  readonly store: EventStore;
  readonly ticketing: Ticketing;
  readonly accounts: Accounts;
  readonly pool: pg.Pool;
  readonly bus: Bus;
  readonly redis: Redis | undefined;
  readonly metrics: Metrics;
  /** The projections this process runs when its ROLE includes the projector. */
  readonly projections: readonly Projection[];
  /** Set once start() ran the projector (ROLE all or projector). */
  readonly projector: () => Projector | undefined;
  /** How to sign in as the demo organizer, once start() loaded demo data (DEMO_DATA=1). */
  readonly demoOrganizer: () => { readonly email: string; readonly password: string } | undefined;
  /** Tables, the admin organizer, demo data, then the projector and sweeper for this ROLE. */
  start(): Promise<void>;
  /** Stops background work and closes every client, in reverse order of opening. */
  close(): Promise<void>;
};

export type ComposeOptions = {
  /** Route plugins of other modules (search, waiting room, payments). */
  readonly plugins?: readonly FastifyPluginAsync[];
  readonly admission?: Admission;
  /** Extra projections run by this process's projector. */
  readonly projections?: readonly Projection[];
  /** The change bus to use instead of the one the configuration names (the projector thread's port bus). */
  readonly bus?: Bus;
  /**
   * Where ROLE=all runs its projector: in this event loop (the default, and what tests use), or in a worker
   * thread of its own (`npm start`), so the read side does not take turns with the writer and HTTP.
   */
  readonly projector?: 'in-process' | 'thread';
  /** This process's projector yields to writers under this pressure (the projector thread's, from its parent). */
  readonly pressure?: WritePressure;
};

export const DEMO_ORGANIZER_EMAIL = 'organizer@marquee.local';

type Closer = { readonly name: string; readonly close: () => Promise<unknown> };

export const compose = async (config: Config, log: Logger, options: ComposeOptions = {}): Promise<Runtime> => {
  const closers: Closer[] = [];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) {
      try {
        await c.close();
      } catch (err) {
        log.warn({ err }, `closing ${c.name} failed`);
      }
    }
  };
  try {
    const jwtSecret = config.JWT_SECRET ?? (await loadOrCreateSecret(config.DATA_DIR, 'jwt-secret'));

    const opened = await openEventStore(config, log, domainEvent);
    closers.push({ name: 'event store', close: () => opened.close() });
    const store = opened.store;

    const database = await resolveDatabaseUrl(config, log);
    closers.push({ name: 'database', close: () => database.close() });
    const pool = createPgPool({ connectionString: database.url, max: 20, application_name: 'marquee-read-models' }, log);
    closers.push({ name: 'read-model pool', close: () => pool.end() });

    const bus: Bus = options.bus ?? (config.NATS_URL ? await connectNatsBus({ url: config.NATS_URL, log }) : createMemoryBus({ log }));
    closers.push({ name: 'bus', close: () => bus.close() });

    let redis: Redis | undefined;
    if (config.REDIS_URL) {
      const client = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
      client.on('error', (err) => log.warn({ err }, 'redis connection error'));
      closers.push({ name: 'redis', close: () => client.quit().catch(() => client.disconnect()) });
      try {
        await client.connect();
        await client.ping();
      } catch (err) {
        throw new Error(`cannot reach Redis at REDIS_URL: ${(err as Error).message}`, { cause: err });
      }
      redis = client;
    }

    const metrics = createMetrics();
    // One process, its read side in a thread: the thread's projections step back while the writers are busy.
    let thread: ProjectorThread | undefined;
    const pressureMeter =
      config.ROLE === 'all' && options.projector === 'thread' && !config.NATS_URL && config.PROJECTOR_YIELD_MS > 0
        ? writePressureMeter((busy) => thread?.setPressure(busy))
        : undefined;
    if (pressureMeter) closers.push({ name: 'write pressure', close: async () => pressureMeter.stop() });
    // One process holds every event's writer (no NATS): seat maps follow the writers, not the projection.
    const liveSeatMaps =
      !config.NATS_URL && config.ROLE !== 'projector'
        ? createLiveSeatMaps({ onError: (err, eventId) => log.error({ err, eventId }, 'live seat map failed; serving the read model') })
        : undefined;
    const localTicketing = createTicketing({
      store,
      ...(liveSeatMaps ? { onEventChange: liveSeatMaps.onEventChange } : {}),
      onBatch: (b) => {
        pressureMeter?.batch(b.ms);
        metrics.writerBatchCommands.observe(b.commands);
        metrics.writerBatchMs.observe(b.ms / 1000);
        if (b.conflicts > 0) {
          metrics.writerConflicts.inc(b.conflicts);
          metrics.writerAppends.inc({ result: 'conflict' }, b.conflicts);
        }
        if (b.ok && b.events > 0) metrics.writerAppends.inc({ result: 'appended' });
      },
    });
    const ticketing = await ownedWriters(config, { local: localTicketing, databaseUrl: database.url, log, metrics });
    closers.push({ name: 'ticketing', close: () => ticketing.close() });

    const accounts = createAccounts(pool);
    const reads = readModelsOn(pool);

    // Search: PostgreSQL tables, or Typesense fed through an outbox table.
    const search = searchWiring(config, pool);
    if (config.SEARCH === 'typesense') {
      try {
        await search.index.ping();
      } catch (err) {
        throw new Error(`cannot reach Typesense at TYPESENSE_URL: ${(err as Error).message}`, { cause: err });
      }
    }
    closers.push({ name: 'search', close: () => search.close() });

    const holdDeadlinesOnPg = {
      dueHolds: (now: Date, limit: number) => dueHolds(pool, now, limit),
      allHolds: (after: string | undefined, limit: number) => allHolds(pool, after, limit),
    };
    const redisDeadlines = redis ? redisHoldDeadlines({ redis, fallback: holdDeadlinesOnPg, log }) : undefined;

    const waitingRoom = wireWaitingRoom({
      ticketing,
      redis,
      tokenKey: createHmac('sha256', jwtSecret).update('marquee waiting-room access tokens').digest(),
      onError: (err) => log.warn({ err }, 'waiting-room admission failed'),
    });
    closers.push({ name: 'waiting room', close: () => waitingRoom.close() });

    // Payments: Stripe with STRIPE_SECRET_KEY, else the local provider and its pay page.
    if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET)
      log.warn('STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET: the generated secret will not verify webhooks from Stripe');
    const payments = wirePayments({
      config,
      webhookSecrets: await webhookSecretsFrom(config.STRIPE_WEBHOOK_SECRET, () =>
        loadOrCreateSecret(config.DATA_DIR, WEBHOOK_SECRET_NAME),
      ),
      ticketCodeKey: createHmac('sha256', jwtSecret).update('marquee ticket codes').digest('hex'),
      ticketing,
      store,
      reads,
      log,
    });
    closers.push({ name: 'payments', close: () => payments.close() });

    // Email: an outbox projection, and a sender that runs where the projector runs.
    let sender: Sender | undefined;
    const projections = [
      ...readModelProjections({ bus, log }),
      notificationsProjection({ onCommit: () => sender?.kick() }),
      searchProjection(search.store),
      ...(redisDeadlines ? [redisDeadlines.projection] : []),
      ...(options.projections ?? []),
    ];
    let projector: Projector | undefined;
    let demoOrganizer: { email: string; password: string } | undefined;
    const readiness: AppDeps['readiness'] = {
      eventStore: () => store.ping(),
      readModels: () => accounts.ping(),
      bus: () => bus.ping(),
      search: () => search.index.ping(),
      ...(redis
        ? {
            redis: async () => {
              await redis.ping();
            },
          }
        : {}),
    };

    const productionReads = productionReadsOn(pool);
    const appDeps: AppDeps = {
      config,
      log,
      jwtSecret,
      accounts,
      ticketing,
      reads,
      bus,
      metrics,
      readiness,
      ...(redis ? { redis } : {}),
      ...(liveSeatMaps ? { liveSeatMaps } : {}),
      admission: options.admission ?? waitingRoom.admission,
      plugins: [
        searchRoutes({ search: search.index, productions: productionReads, cacheEntries: config.SEARCH_CACHE_ENTRIES, metrics }),
        productionRoutes({ reads: productionReads, productions: productionReads, search: search.index, ticketing }),
        waitingRoom.plugin,
        payments.plugin,
        waitlistRoutes({ ticketing, reads: waitlistReadsOn(pool) }),
        ...(options.plugins ?? []),
      ],
      ticketCode: payments.ticketCode,
    };

    return {
      config,
      appDeps,
      store,
      ticketing,
      accounts,
      pool,
      bus,
      redis,
      metrics,
      projections,
      projector: () => projector,
      demoOrganizer: () => demoOrganizer,
      async start() {
        await accounts.setup();
        if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
          const admin = await accounts.ensureOrganizer({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, name: 'Admin' });
          log.info({ email: admin.email }, 'organizer account ensured');
        }
        const projectorThread = config.ROLE === 'all' && options.projector === 'thread';
        // An API-only process must answer reads before a projector has ever run on this database.
        if (config.ROLE === 'api' || projectorThread) await prepareProjectorTables(pool, projections);
        if (projectorThread) {
          const started = await startProjectorThread({
            env: { ...process.env, ROLE: 'projector', DATABASE_URL: database.url },
            bus,
            log,
          });
          thread = started;
          closers.push({ name: 'projector thread', close: () => started.stop() });
          metrics.setProjectorLag(async () => [...started.lag()]);
        } else if (config.ROLE === 'all' || config.ROLE === 'projector') {
          projector = await startProjector({
            store,
            pool,
            projections,
            log,
            gatherMs: config.PROJECTOR_GATHER_MS,
            ...(options.pressure && config.PROJECTOR_YIELD_MS > 0
              ? { pressure: options.pressure, yieldMs: config.PROJECTOR_YIELD_MS }
              : {}),
          });
          closers.push({ name: 'projector', close: () => projector!.stop() });
          const mailSender = startSender({
            pool,
            mailer: config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : logMailer(log),
            publicUrl: config.PUBLIC_URL,
            ticketCode: payments.ticketCode,
            log,
          });
          sender = mailSender;
          closers.push({ name: 'email sender', close: () => mailSender.stop() });
          metrics.setProjectorLag(async () => lagOf(projector));
        }
        if (config.ROLE !== 'projector') {
          if (redisDeadlines) await redisDeadlines.seed();
          const sweeper = startHoldSweeper({
            dueHolds: redisDeadlines ? redisDeadlines.dueHolds : holdDeadlinesOnPg.dueHolds,
            expire: payments.expireHold,
            log,
          });
          closers.push({ name: 'hold sweeper', close: () => sweeper.stop() });
          payments.startRefunds();
          waitingRoom.start();
        }
        if (config.DEMO_DATA && config.ROLE !== 'projector') {
          const signIn = {
            email: config.ADMIN_EMAIL ?? DEMO_ORGANIZER_EMAIL,
            password: config.ADMIN_PASSWORD ?? (await loadOrCreateSecret(config.DATA_DIR, 'demo-organizer-password', 12)),
          };
          const organizer = await accounts.ensureOrganizer({ ...signIn, name: 'Demo organizer' });
          demoOrganizer = signIn;
          const loaded = await loadDemoData(ticketing, { store, organizerId: organizer.id, log });
          if (loaded.venues > 0) {
            log.info(loaded, 'demo data loaded');
            await loadDemoShowcase(ticketing, { organizerId: organizer.id, log });
          }
        }
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
};
