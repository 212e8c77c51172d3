import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fmt, percentile, scratchDatabase } from './support.js';
import { domainEvent, openPgEventStore } from '../src/commands/event-store/index.js';
import { createTicketing } from '../src/commands/ticketing/index.js';
import { DomainError } from '../src/domain/shared/index.js';
import type { Layout } from '../src/domain/venue/index.js';
import type { Bus } from '../src/projections/bus/index.js';
import { createMemoryBus, connectNatsBus } from '../src/projections/bus/index.js';
import { startProjector, rebuildProjections } from '../src/projections/projector/index.js';
import { readModelProjections } from '../src/runtime/compose/index.js';
import { getSeatMap, type SeatMapChange } from '../src/projections/seat-map/index.js';

/**
 * End-to-end lag of the read side under a writer-like load: callers hold random
 * seat pairs on one 100,000-seat event through the stream writer, while the
 * projector runs every PostgreSQL read model and publishes seat-map deltas on
 * the bus. Lag = from the hold command's answer (events durably appended) to
 * the seat-map message for its seats arriving at a bus subscriber (so the read
 * model had committed). Then a rebuild of every read model from zero gives the
 * catch-up rate.
 */

const SECTIONS = 10;
const ROWS = 100;
const SEATS_PER_ROW = 100;

const layout: Layout = {
  sections: Array.from({ length: SECTIONS }, (_, s) => ({
    id: `S${s + 1}`,
    name: `Block ${s + 1}`,
    kind: 'seated' as const,
    rows: Array.from({ length: ROWS }, (_, r) => ({ label: String(r + 1), seats: SEATS_PER_ROW })),
  })),
};

const usage = `usage: bench projections [--seconds 15] [--callers 32] [--rate 0] [--bus memory|nats]
--rate caps hold commands per second (0 = as fast as the writer takes them).
Needs DATABASE_URL (a PostgreSQL server where it may create and drop a scratch database); --bus nats needs NATS_URL.`;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export const run = async (args: string[]): Promise<void> => {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '15' },
      callers: { type: 'string', default: '32' },
      rate: { type: 'string', default: '0' },
      bus: { type: 'string', default: 'memory' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const seconds = Number(values.seconds);
  const callers = Number(values.callers);
  const rate = Number(values.rate);
  if (!(seconds > 0) || !Number.isInteger(callers) || callers < 1 || !(rate >= 0))
    throw new Error(`bench projections: bad arguments\n${usage}`);
  if (values.bus !== 'memory' && values.bus !== 'nats') throw new Error(`bench projections: --bus must be memory or nats\n${usage}`);
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error(`bench projections: DATABASE_URL is not set\n${usage}`);
  const natsUrl = process.env.NATS_URL;
  if (values.bus === 'nats' && !natsUrl) throw new Error('bench projections: --bus nats needs NATS_URL');

  const load = (): string =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  console.log(
    `projections bench: one ${fmt(SECTIONS * ROWS * SEATS_PER_ROW)}-seat event, ${callers} callers holding random seat pairs for ${seconds} s${rate > 0 ? ` at most ${fmt(rate)} holds/s` : ''}, ${values.bus} bus`,
  );
  console.log(
    `machine: ${availableParallelism()} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; load average ${load()}`,
  );

  const db = await scratchDatabase(server);
  const store = await openPgEventStore({ decode: domainEvent, connectionString: db.url, poolMax: 8 });
  const pool = new pg.Pool({ connectionString: db.url, max: 12 });
  pool.on('error', () => undefined);
  const bus: Bus = values.bus === 'nats' && natsUrl ? await connectNatsBus({ url: natsUrl, log: silent }) : createMemoryBus();
  const projections = readModelProjections({ bus, log: silent });
  const projector = await startProjector({ store, pool, projections, log: silent });
  const ticketing = createTicketing({ store });
  try {
    const { venueId } = await ticketing.registerVenue({
      registeredBy: 'bench',
      details: {
        name: 'Bench Stadium',
        address: '1 Loop Rd',
        city: 'Localhost',
        country: 'GB',
        location: { lat: 51.5, lng: -0.1 },
        timezone: 'Europe/London',
      },
      layout,
    });
    const { eventId } = await ticketing.scheduleEvent({
      venueId,
      organizerId: 'bench',
      name: 'Bench Night',
      description: '',
      category: 'music',
      performers: [],
      startsAt: '2030-01-01T19:00:00.000Z',
      onSaleAt: '2020-01-01T00:00:00.000Z',
      currency: 'GBP',
      sectionPrices: Object.fromEntries(layout.sections.map((s) => [s.id, 5000])),
      holdSeconds: 1800,
      maxTicketsPerUser: 50,
    });
    for (let i = 0; i < 600 && !(await getSeatMap(pool, eventId)); i++) await new Promise((r) => setTimeout(r, 50));

    const answeredAt = new Map<string, number>();
    const arrivedEarly = new Map<string, number>();
    const lags: number[] = [];
    let lastArrival = 0;
    bus.subscribe(`seatmap.${eventId}`, (message) => {
      const now = performance.now();
      lastArrival = now;
      for (const [seat, status] of Object.entries((message as SeatMapChange).changes)) {
        if (status !== 'H') continue;
        const at = answeredAt.get(seat);
        if (at === undefined) arrivedEarly.set(seat, now);
        else {
          answeredAt.delete(seat);
          lags.push(Math.max(0, now - at));
        }
      }
    });

    let accepted = 0;
    let rejected = 0;
    let errors = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const interval = rate > 0 ? (1000 * callers) / rate : 0;
    const caller = async (n: number): Promise<void> => {
      let next = performance.now() + (interval * n) / callers;
      while (performance.now() < deadline) {
        if (interval > 0) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          next += interval;
        }
        const section = 1 + Math.floor(Math.random() * SECTIONS);
        const row = 1 + Math.floor(Math.random() * ROWS);
        const seat = 1 + Math.floor(Math.random() * (SEATS_PER_ROW - 1));
        const seats = [`S${section}-${row}-${seat}`, `S${section}-${row}-${seat + 1}`];
        try {
          await ticketing.hold(eventId, { userId: `bench-${n}-${accepted % 1000}`, seats });
          accepted++;
          const now = performance.now();
          const early = arrivedEarly.get(seats[0] ?? '');
          if (early !== undefined) {
            arrivedEarly.delete(seats[0] ?? '');
            lags.push(0);
            lastArrival = Math.max(lastArrival, early);
          } else answeredAt.set(seats[0] ?? '', now);
        } catch (e) {
          if (e instanceof DomainError) rejected++;
          else errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: callers }, (_, n) => caller(n)));
    const loadEnded = performance.now();
    const drainDeadline = loadEnded + 120_000;
    while (lags.length < accepted && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
    const loadSeconds = (loadEnded - started) / 1000;
    const projectedSeconds = (lastArrival - started) / 1000;
    const sorted = [...lags].sort((a, b) => a - b);

    console.log('');
    console.log(
      `hold commands accepted      ${fmt(accepted)} (${fmt(accepted / loadSeconds)}/s); rejected (seat taken) ${fmt(rejected)}; errors ${fmt(errors)}`,
    );
    console.log(
      `events projected (live)     ${fmt(lags.length)} SeatsHeld through 5 read models in ${fmt(projectedSeconds, 2)} s = ${fmt(lags.length / projectedSeconds)} events/s`,
    );
    console.log(`drain after the load ended  ${fmt((lastArrival - loadEnded) / 1000, 2)} s`);
    console.log(`end-to-end lag (append -> read model committed -> bus message received), ms:`);
    console.log(
      `  p50 ${fmt(percentile(sorted, 50), 1)}   p90 ${fmt(percentile(sorted, 90), 1)}   p99 ${fmt(percentile(sorted, 99), 1)}   max ${fmt(sorted.at(-1) ?? NaN, 1)}   (samples ${fmt(sorted.length)})`,
    );
    if (lags.length < accepted) console.log(`  ${fmt(accepted - lags.length)} holds had no message within 120 s`);

    await projector.stop();
    const total = (await store.readAll({ maxCount: 1_000_000 })).length;
    const rebuildStarted = performance.now();
    await rebuildProjections({ store, pool, projections, names: 'all', log: silent });
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
    console.log(
      `rebuild from zero           ${fmt(total)} events into each of ${projections.length} read models, one after the other, in ${fmt(rebuildSeconds, 2)} s = ${fmt((total * projections.length) / rebuildSeconds)} event applications/s`,
    );
    console.log(`\nload average at the end: ${load()} (other work on the machine skews the figures)`);
  } finally {
    await ticketing.close().catch(() => undefined);
    await projector.stop().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await db.drop();
  }
};
