import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import type { Test } from 'tap';
import type { EmbeddedPostgres } from '../../../src/runtime/postgres/embedded-postgres.js';
import { ensureEmbeddedPostgres, memorySettings, stopEmbeddedPostgres } from '../../../src/runtime/postgres/embedded-postgres.js';

const tempDir = async (t: Test): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'marquee-embedded-'));
  await chmod(dir, 0o755); // user postgres must get through when the tests run as root
  t.teardown(async () => {
    await stopEmbeddedPostgres({ dataDir: dir });
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
};

const query = async <R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
};

const reachable = (url: string): Promise<boolean> =>
  query(url, 'SELECT 1').then(
    () => true,
    () => false,
  );

const state = async (dir: string): Promise<{ url: string; pid: number; ownerPid?: number }> =>
  JSON.parse(await readFile(join(dir, 'postgres.json'), 'utf8')) as { url: string; pid: number; ownerPid?: number };

t.test('it starts a server in an empty directory with the marquee database and the search extensions', async (t) => {
  const dir = await tempDir(t);
  const server = await ensureEmbeddedPostgres({ dataDir: dir });
  t.teardown(() => server.stop());
  t.equal(server.owned, true);
  t.match(server.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/marquee$/);
  const [row] = await query<{ db: string; version: string }>(server.url, 'SELECT current_database() AS db, version()');
  t.equal(row?.db, 'marquee');
  const extensions = (await query<{ extname: string }>(server.url, 'SELECT extname FROM pg_extension')).map((r) => r.extname);
  for (const ext of ['pg_trgm', 'earthdistance', 'cube', 'unaccent']) t.ok(extensions.includes(ext), `${ext} is enabled`);
  t.equal((await state(dir)).url, server.url, 'its address is kept in DATA_DIR while it runs');
  t.notOk(await reachable(server.url.replace(/:[^:@]+@/, ':wrong@')), 'a wrong password is refused');
});

t.test('a second ensure reuses the running server and only the owner stops it', async (t) => {
  const dir = await tempDir(t);
  const first = await ensureEmbeddedPostgres({ dataDir: dir });
  const second = await ensureEmbeddedPostgres({ dataDir: dir });
  t.equal(second.owned, false);
  t.equal(second.url, first.url);
  await second.stop();
  t.ok(await reachable(first.url), 'the reuser stopping changes nothing');
  await first.stop();
  t.notOk(await reachable(first.url), "the owner's stop shuts it down");
  await t.rejects(readFile(join(dir, 'postgres.json')), { code: 'ENOENT' }, 'the address file goes with it');
});

t.test('two processes-worth of ensure calls at the same time end up on one server', async (t) => {
  const dir = await tempDir(t);
  const servers: EmbeddedPostgres[] = await Promise.all([0, 1, 2].map(() => ensureEmbeddedPostgres({ dataDir: dir })));
  t.teardown(() => Promise.all(servers.map((s) => s.stop())));
  t.equal(servers.filter((s) => s.owned).length, 1, 'one owner');
  t.equal(new Set(servers.map((s) => s.url)).size, 1, 'one address');
});

t.test('data persists across stop and start', async (t) => {
  const dir = await tempDir(t);
  const first = await ensureEmbeddedPostgres({ dataDir: dir });
  await query(first.url, "CREATE TABLE kept (x text); INSERT INTO kept VALUES ('still here')");
  await first.stop();
  const again = await ensureEmbeddedPostgres({ dataDir: dir });
  t.teardown(() => again.stop());
  t.equal(again.owned, true);
  t.same(await query(again.url, 'SELECT x FROM kept'), [{ x: 'still here' }]);
});

t.test('shared buffers are a quarter of the machine between 128 MB and 2 GB, also for a cluster made before', async (t) => {
  const gb = 2 ** 30;
  t.match(memorySettings(24 * gb), /shared_buffers = 2048MB/);
  t.match(memorySettings(2 * gb), /shared_buffers = 512MB/);
  t.match(memorySettings(gb / 4), /shared_buffers = 128MB/);
  const dir = await tempDir(t);
  const first = await ensureEmbeddedPostgres({ dataDir: dir });
  const expected = Number(/shared_buffers = (\d+)MB/.exec(memorySettings())?.[1]);
  const sharedMb = async (url: string) =>
    (await query<{ mb: number }>(url, `SELECT (setting::bigint * 8 / 1024)::int AS mb FROM pg_settings WHERE name = 'shared_buffers'`))[0]
      ?.mb;
  t.equal(await sharedMb(first.url), expected, 'a new cluster has them');
  await first.stop();
  // As an earlier version left postgresql.conf: without them.
  const conf = join(dir, 'postgres', 'postgresql.conf');
  const text = await readFile(conf, 'utf8');
  await writeFile(conf, text.slice(0, text.indexOf('# marquee embedded server: memory')));
  const again = await ensureEmbeddedPostgres({ dataDir: dir });
  t.teardown(() => again.stop());
  t.equal(await sharedMb(again.url), expected, 'an older cluster gets them at its next start');
  t.equal((await readFile(conf, 'utf8')).split('# marquee embedded server: memory').length, 2, 'once');
});

t.test('a stale address file is not trusted: the server is started again', async (t) => {
  const dir = await tempDir(t);
  const first = await ensureEmbeddedPostgres({ dataDir: dir });
  const stale = await state(dir);
  await first.stop();
  // As if the owner (alive: this process) had crashed without cleaning up.
  await writeFile(join(dir, 'postgres.json'), JSON.stringify({ ...stale, ownerPid: process.pid }));
  const again = await ensureEmbeddedPostgres({ dataDir: dir });
  t.teardown(() => again.stop());
  t.equal(again.owned, true);
  t.ok(await reachable(again.url));
});

t.test('a server whose postmaster was killed is started again', async (t) => {
  const dir = await tempDir(t);
  const first = await ensureEmbeddedPostgres({ dataDir: dir });
  const { pid } = await state(dir);
  process.kill(pid, 'SIGKILL');
  const gone = (): boolean => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  for (let i = 0; i < 300 && !gone(); i++) await new Promise((r) => setTimeout(r, 100));
  t.notOk(await reachable(first.url), 'the server is down');
  const again = await ensureEmbeddedPostgres({ dataDir: dir });
  t.teardown(() => again.stop());
  t.equal(again.owned, true);
  t.ok(await reachable(again.url));
});

t.test('a server left running by an owner that has gone is taken over', async (t) => {
  const dir = await tempDir(t);
  const left = await ensureEmbeddedPostgres({ dataDir: dir, keepRunningAfterExit: true });
  t.equal((await state(dir)).ownerPid, undefined, 'nobody owns a server meant to outlive its starter');
  const taken = await ensureEmbeddedPostgres({ dataDir: dir });
  t.equal(taken.owned, true);
  t.equal(taken.url, left.url);
  await taken.stop();
  t.notOk(await reachable(left.url));
});

t.test('a directory that is not a PostgreSQL data directory is refused with a clear error', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'postgres'));
  await writeFile(join(dir, 'postgres', 'something'), 'mine');
  await t.rejects(ensureEmbeddedPostgres({ dataDir: dir }), /is not empty and is not a PostgreSQL data directory/);
});

t.test('as root, a data directory user postgres cannot reach is a clear error', async (t) => {
  if (process.getuid?.() !== 0) {
    t.comment('skipped: only root runs PostgreSQL as another user');
    return;
  }
  const dir = await tempDir(t);
  const closed = join(dir, 'closed');
  await mkdir(closed, { mode: 0o700 });
  await chmod(closed, 0o700);
  await t.rejects(ensureEmbeddedPostgres({ dataDir: join(closed, 'data') }), /user postgres cannot enter .*closed/);
});
