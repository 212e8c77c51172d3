import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stopEmbeddedPostgres } from '../../src/runtime/postgres/embedded-postgres.js';
import { EMBEDDED_TEST_DIR } from './embedded-url.js';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// tap's `after` script: stops the embedded test server unless another tap run still uses it.
if (!process.env.DATABASE_URL) {
  const users = join(EMBEDDED_TEST_DIR, 'users');
  await rm(join(users, String(process.ppid)), { force: true });
  await stopEmbeddedPostgres({
    dataDir: EMBEDDED_TEST_DIR,
    unless: async () => {
      const pids = (await readdir(users).catch(() => [])).map(Number).filter((pid) => Number.isInteger(pid));
      const dead = pids.filter((pid) => !isAlive(pid));
      await Promise.all(dead.map((pid) => rm(join(users, String(pid)), { force: true })));
      return pids.length > dead.length;
    },
  });
}
