/**
 * The program as an operator runs it: the built entry point (or `npm start`) in a
 * process group of its own, as a terminal or a service manager starts it, so a
 * signal goes to the whole group the way Ctrl-C, systemd and `docker stop` send it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { stopEmbeddedPostgres } from '../../src/runtime/postgres/embedded-postgres.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(ROOT, 'dist', 'runtime', 'main.js');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/** Polls `check` until it holds; fails with `what` after `ms`. Never a fixed sleep in place of a condition. */
export const waitFor = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000, everyMs = 100): Promise<void> => {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(everyMs);
  }
};

const newestMtime = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
};

/** The compiled server; refuses a dist/ older than src/, so the suite never tests stale code. */
export const builtEntry = (): string => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` (npm test and npm run test:system do)`);
  const built = statSync(ENTRY).mtimeMs;
  const source = newestMtime(join(ROOT, 'src'));
  if (source > built + 1_000) throw new Error('dist/ is older than src/: run `npm run build` (npm test and npm run test:system do)');
  return ENTRY;
};

/** A data directory of its own, traversable by the postgres user the embedded server runs as; removed after the test. */
export const tempDir = async (t: Test, prefix: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), `marquee-system-${prefix}-`));
  await chmod(dir, 0o755);
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

export type Proc = {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<Exit>;
  alive(): boolean;
  /** Everything it printed, stdout and stderr interleaved. */
  output(): string;
  /** Signals the whole process group, as a terminal's Ctrl-C or `kill -TERM -<pgid>` does. */
  signalGroup(signal: NodeJS.Signals): void;
};

const MAX_OUTPUT = 2 * 1024 * 1024;

/** Starts `command` as the leader of a new process group; SIGKILLs the group if the test ends with it running. */
export const spawnGroup = (t: Test, name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Proc => {
  // tap wraps spawn to load its TypeScript loader and coverage into children through NODE_OPTIONS; the program
  // must run as users run it (and its coverage, of dist/ or of tsx's output, means nothing), so env drops it.
  const child: ChildProcess = spawn('env', ['-u', 'NODE_OPTIONS', command, ...args], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (chunk: Buffer): void => {
    out += chunk.toString();
    if (out.length > MAX_OUTPUT) out = out.slice(-MAX_OUTPUT / 2);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: ${command} did not start`);
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  t.teardown(async () => {
    signalGroup('SIGKILL');
    await Promise.race([exited, sleep(5_000)]);
  });
  return { name, pid, exited, alive: () => exit === undefined, output: () => out, signalGroup };
};

/** The environment of a Marquee process: nothing inherited but PATH and HOME, so CI's service URLs never leak in. */
export type MarqueeEnv = {
  readonly ROLE: 'all' | 'api' | 'projector';
  readonly DATA_DIR: string;
  readonly DATABASE_URL?: string | undefined;
  readonly NATS_URL?: string | undefined;
  readonly REDIS_URL?: string | undefined;
  readonly [name: string]: string | undefined;
};

export const ORGANIZER = { email: 'organizer@system.test', password: 'system-suite-password' } as const;

const baseEnv = (port: number, env: MarqueeEnv): NodeJS.ProcessEnv => {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    DEMO_DATA: '0',
    // The storms come from one address: per-IP limits would turn most of them into 429s.
    RATE_LIMIT: '0',
    JWT_SECRET: 'system-suite-jwt-secret-0123456789abcdef',
    STRIPE_WEBHOOK_SECRET: 'whsec_system_suite',
    ADMIN_EMAIL: ORGANIZER.email,
    ADMIN_PASSWORD: ORGANIZER.password,
    ...clean,
  };
};

export type Marquee = Proc & {
  readonly url: string;
  readonly port: number;
  readonly env: MarqueeEnv;
  /** Resolves when GET /ready answers 200; fails early, with the output, if the process exits first. */
  ready(ms?: number): Promise<void>;
  /** One signal to the group; resolves with how the process ended. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<Exit>;
  /** How the process ended, or a timeout naming what it printed. */
  exit(ms?: number): Promise<Exit>;
};

export type StartOptions = {
  readonly name?: string;
  /** `npm start` (tsx, as a newcomer runs it) instead of the built entry point. */
  readonly npm?: boolean;
  readonly port?: number;
};

/** Starts a Marquee process the way the README and the Dockerfile do. */
export const startMarquee = async (t: Test, env: MarqueeEnv, options: StartOptions = {}): Promise<Marquee> => {
  const port = options.port ?? (await freePort());
  const name = options.name ?? env.ROLE;
  const proc = options.npm
    ? spawnGroup(t, name, 'npm', ['start', '--silent'], baseEnv(port, env))
    : spawnGroup(t, name, process.execPath, [builtEntry()], baseEnv(port, env));
  const url = `http://127.0.0.1:${port}`;
  const m: Marquee = {
    ...proc,
    url,
    port,
    env,
    async ready(ms = 120_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        if (!proc.alive()) {
          const exit = await proc.exited;
          throw new Error(
            `${name} exited before it was ready (code ${exit.code}, signal ${exit.signal})\n--- output ---\n${tail(proc.output())}`,
          );
        }
        const r = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        await r?.body?.cancel();
        if (r?.status === 200) return;
        if (Date.now() > deadline) throw new Error(`${name} not ready after ${ms} ms\n--- output ---\n${tail(proc.output())}`);
        await sleep(200);
      }
    },
    async stop(signal = 'SIGTERM', ms = 60_000) {
      proc.signalGroup(signal);
      return m.exit(ms);
    },
    exit(ms = 60_000) {
      return withTimeout(proc.exited, ms, `${name} to exit\n--- output ---\n${tail(proc.output())}`);
    },
  };
  return m;
};

export const tail = (text: string, lines = 40): string => text.split('\n').slice(-lines).join('\n');

export const withTimeout = async <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** Log lines at level error or fatal, and anything printed outside the log that says the process crashed. */
export const crashLines = (output: string): string[] =>
  output
    .split('\n')
    .filter((line) => {
      if (line.startsWith('{')) {
        try {
          return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
        } catch {
          return true;
        }
      }
      return /Unhandled|uncaught|^\s+at |Error:/i.test(line);
    })
    .map((line) => line.slice(0, 2_000))
    .slice(0, 10);

/** After a test that ran the embedded default in `dataDir`: no server may be left on it. */
export const stopLeftoverPostgres = (t: Test, dataDir: string): void => {
  t.teardown(async () => {
    await stopEmbeddedPostgres({ dataDir }).catch(() => undefined);
  });
};

/** The nice value of each thread of a process, by thread id (Linux /proc; undefined elsewhere). */
export const threadNiceness = (pid: number): Map<number, number> | undefined => {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces: state is field 3, nice field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    }
    return out;
  } catch {
    return undefined;
  }
};
