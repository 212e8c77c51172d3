import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { skippedSince } from '../support/skipped.js';

t.test("the run's closing list names each skipped suite with its reason, from this run's results only", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'marquee-skips-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'test/api'), { recursive: true });
  await writeFile(
    join(dir, 'test/api/redis.test.ts.tap'),
    '# skipped: REDIS_URL is not set; set REDIS_URL=redis://127.0.0.1:6379 to run\nTAP version 14\n1..0\n',
  );
  await writeFile(
    join(dir, 'test/api/browser.test.ts.tap'),
    'TAP version 14\nok 1 - a buyer pays # SKIP /usr/bin/chromium does not exist (apt-get install chromium)\nok 2 - other\n1..2\n',
  );
  await writeFile(join(dir, 'test/api/plain.test.ts.tap'), 'TAP version 14\nok 1 - fine\n1..1\n');
  const old = join(dir, 'test/api/old.test.ts.tap');
  await writeFile(old, '# skipped: from an earlier run\n');
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(old, hourAgo, hourAgo);

  t.same(skippedSince(Date.now() - 60_000, dir), [
    { file: 'test/api/browser.test.ts', why: '/usr/bin/chromium does not exist (apt-get install chromium)' },
    { file: 'test/api/redis.test.ts', why: 'REDIS_URL is not set; set REDIS_URL=redis://127.0.0.1:6379 to run' },
  ]);
  t.same(skippedSince(Date.now() - 60_000, join(dir, 'missing')), [], 'no results folder, nothing skipped');
});
