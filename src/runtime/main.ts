/**
 * The server's composition root: `npm start` (embedded default) and the
 * `api` / `projector` services of docker-compose.yml.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { compose, DEMO_ORGANIZER_EMAIL, type Runtime } from './compose/index.js';
import { buildApp } from '../api/app/index.js';
import { opsRoutes } from '../api/ops/index.js';

const SHUTDOWN_GRACE_MS = 15_000;

const loadConfigOrExit = (): Config => {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`marquee: ${err.message}\n`);
    process.exit(1);
  }
};

/** A projector-only process serves just /health, /ready and /metrics. */
const buildOpsApp = async (runtime: Runtime): Promise<FastifyInstance> => {
  const app = Fastify({ loggerInstance: runtime.appDeps.log });
  await app.register(opsRoutes, { readiness: runtime.appDeps.readiness, metrics: runtime.metrics });
  return app;
};

const main = async (): Promise<void> => {
  const config = loadConfigOrExit();
  const log = pino({ level: config.LOG_LEVEL, base: { role: config.ROLE } });

  let runtime: Runtime;
  try {
    runtime = await compose(config, log);
    await runtime.start();
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    process.stderr.write(`marquee: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }

  const app = config.ROLE === 'projector' ? await buildOpsApp(runtime) : await buildApp(runtime.appDeps);
  await app.listen({ port: config.PORT, host: config.HOST });

  const organizer = runtime.demoOrganizer();
  const lines = [
    `Marquee (${config.ROLE}) is listening on ${config.PUBLIC_URL}`,
    ...(config.ROLE === 'projector' ? [] : [`API docs: ${config.PUBLIC_URL}/docs`]),
    ...(organizer
      ? [`Demo organizer: POST /auth/login {"email":"${organizer.email}","password":"${organizer.password}"}`]
      : config.ROLE !== 'projector' && !config.ADMIN_EMAIL
        ? [`No organizer account: set ADMIN_EMAIL and ADMIN_PASSWORD (or DEMO_DATA=1 for ${DEMO_ORGANIZER_EMAIL})`]
        : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', (s) => void stop(s));
  process.on('SIGTERM', (s) => void stop(s));
};

await main();
