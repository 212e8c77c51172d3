import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureEmbeddedPostgres } from '../../src/runtime/postgres/embedded-postgres.js';
import { EMBEDDED_TEST_DIR, EMBEDDED_TEST_URL_FILE } from './embedded-url.js';

// tap's `before` script: without DATABASE_URL the suites share one embedded
// server, started here and left running for the test files; each file makes its
// own database on it. global-teardown.ts stops it once no tap run uses it.
if (!process.env.DATABASE_URL) {
  // Registered before the server is looked up, so a teardown of another run
  // (which checks the registrations while starters are locked out) leaves it be.
  const users = join(EMBEDDED_TEST_DIR, 'users');
  await mkdir(users, { recursive: true });
  await writeFile(join(users, String(process.ppid)), ''); // the parent is the tap runner
  const server = await ensureEmbeddedPostgres({
    dataDir: EMBEDDED_TEST_DIR,
    keepRunningAfterExit: true,
    log: (msg) => process.stderr.write(`# ${msg}\n`),
  });
  await writeFile(EMBEDDED_TEST_URL_FILE, `${server.url}\n`, { mode: 0o600 });
}
