/**
 * The server's composition root: `npm start` (embedded default) and the
 * `api` / `projector` services of docker-compose.yml.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp, buildOpsApp } from '../api/app/index.js';
import { compose, DEMO_ORGANIZER_EMAIL, type Runtime } from './compose/index.js';
import { ConfigError, limitHeapGrowth, loadConfig, type Config } from './config/index.js';

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

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const main = async (): Promise<void> => {
  const config = loadConfigOrExit();
  limitHeapGrowth(config.HEAP_GROWTH_PERCENT);
  const log = pino({ level: config.LOG_LEVEL, base: { role: config.ROLE } });

  // A terminal's Ctrl-C, systemd and `docker stop` signal the whole process group, and npm and tsx pass the
  // signal on as well, so one stop request often arrives two or three times: only the first one counts. A
  // signal during start-up is kept until start-up is over, so what was started is stopped in order.
  let runtime: Runtime | undefined;
  let app: FastifyInstance | undefined;
  let started = false;
  let stopSignal: NodeJS.Signals | undefined;
  const stop = async (): Promise<void> => {
    log.info({ signal: stopSignal }, 'shutting down');
    // Exiting from here still stops an embedded PostgreSQL this process started (its exit hook).
    const force = setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      // In-flight requests finish first, then the writer, projector, clients and the embedded server, in that order.
      await app?.drain();
      await app?.close();
      await runtime?.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopSignal) {
      log.info({ signal }, 'already shutting down');
      return;
    }
    stopSignal = signal;
    if (started) void stop();
    else log.info({ signal }, 'stopping once start-up is over');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    runtime = await compose(config, log, { projector: config.PROJECTOR_THREAD ? 'thread' : 'in-process' });
    await runtime.start();
    app = config.ROLE === 'projector' ? await buildOpsApp(runtime.appDeps) : await buildApp(runtime.appDeps);
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    process.stderr.write(`marquee: cannot start: ${message(err)}\n`);
    await runtime?.close();
    process.exit(1);
  }
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    log.fatal({ err }, 'cannot listen');
    process.stderr.write(`marquee: cannot listen on ${config.HOST}:${config.PORT}: ${message(err)}\n`);
    await runtime.close();
    process.exit(1);
  }
  started = true;
  if (stopSignal) return stop();

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
};

await main();
