/**
 * `npm run web:screenshots`: starts the server like `npm start` (demo data on,
 * a scratch DATA_DIR; DATABASE_URL or the embedded PostgreSQL), walks every
 * page of the web app in headless Chromium and writes docs/screenshots/<page>.png.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { scratchDatabase } from '../../bench/support.js';
import { browserSkip, launchBrowser, startServer } from '../test/support/harness.js';
import { tour } from '../test/support/tour.js';

const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const skip = browserSkip();
if (skip) throw new Error(skip);
await mkdir(out, { recursive: true });
const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) };
const db = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
try {
  const server = await startServer(t, { DEMO_DATA: '1' }, db?.url ?? '');
  const browser = await launchBrowser(t);
  await tour(server, browser, async (name, page) => {
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${out}${name}.png`, fullPage: !name.startsWith('mobile') });
    process.stdout.write(`docs/screenshots/${name}.png\n`);
  });
} finally {
  for (const fn of teardowns.reverse()) await fn();
  await db?.drop();
}
