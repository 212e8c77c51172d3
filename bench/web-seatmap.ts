/**
 * `npm run bench -- web-seatmap [--runs 5]`: a 100,000-seat event's seat map in
 * headless Chromium against the server started like `npm start` (a child
 * process; DATABASE_URL or the embedded PostgreSQL). Prints the median and
 * worst time to a usable map, to switch section and to pick a seat.
 */
import { createStadiumEvent, measureMap, type MapTimings } from '../web/test/support/big-map.js';
import { browserSkip, launchBrowser, newPage, onSaleEvent, startServer } from '../web/test/support/harness.js';
import { scratchDatabase } from './support.js';

export const run = async (args: string[]): Promise<void> => {
  const skip = browserSkip();
  if (skip) throw new Error(skip);
  const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
  const teardowns: (() => unknown)[] = [];
  const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) };
  const db = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
  try {
    const server = await startServer(t, {}, db?.url ?? '');
    const { eventId } = await createStadiumEvent(server, onSaleEvent);
    const browser = await launchBrowser(t);
    const samples: MapTimings[] = [];
    for (let i = 0; i < runs; i++) {
      const { context, page } = await newPage(browser);
      samples.push(await measureMap(page, server, eventId));
      await context.close();
    }
    const stat = (k: keyof MapTimings) => {
      const xs = samples.map((s) => s[k]).sort((a, b) => a - b);
      return { median: xs[Math.floor(xs.length / 2)], max: xs[xs.length - 1] };
    };
    process.stdout.write(
      `${JSON.stringify({ bench: 'web-seatmap', seats: 100_000, runs, usableMs: stat('usableMs'), sectionSwitchMs: stat('sectionSwitchMs'), pickMs: stat('pickMs') })}\n`,
    );
  } finally {
    for (const fn of teardowns.reverse()) await fn();
    await db?.drop();
  }
};
