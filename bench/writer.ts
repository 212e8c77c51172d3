import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fmt, percentile, scratchDatabase } from './support.js';
import type { EventStore } from '../src/commands/event-store/index.js';
import { WrongExpectedVersionError, domainEvent, openPgEventStore } from '../src/commands/event-store/index.js';
import type { BatchInfo } from '../src/commands/stream-writer/index.js';
import { createTicketing } from '../src/commands/ticketing/index.js';
import { DomainError } from '../src/domain/shared/index.js';
import type { TicketedEventEvent, TicketedEventState } from '../src/domain/ticketed-event/index.js';
import { eventStream, ticketedEvent } from '../src/domain/ticketed-event/index.js';
import type { Layout } from '../src/domain/venue/index.js';

/**
 * One hot stream (a 100,000-seat event), many concurrent callers holding random
 * free seat pairs: the stream writer (group commit) against the naive way
 * (read, decide, append with expected version, retry on conflict).
 *
 * 64 callers at 10,000 holds/s would sell the venue out in five seconds, so
 * commands carry a clock that runs `speed` times faster than real time: a
 * 60-second hold lapses after `--hold-real-seconds` of the run and its seats
 * are free again (lazy, exact expiry), keeping a steady state of free seats.
 */

const SECTIONS = 10;
const ROWS = 100;
const SEATS_PER_ROW = 100;
const HOLD_SECONDS = 60;

type Mode = 'writer' | 'naive';

type Figures = {
  readonly mode: Mode;
  readonly seconds: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly errors: number;
  readonly latencies: Float64Array;
  /** Append attempts, refused ones included. */
  readonly attempts: number;
  readonly conflicts: number;
  readonly events: number;
};

const layout: Layout = {
  sections: Array.from({ length: SECTIONS }, (_, s) => ({
    id: `S${s + 1}`,
    name: `Block ${s + 1}`,
    kind: 'seated' as const,
    rows: Array.from({ length: ROWS }, (_, r) => ({ label: String(r + 1), seats: SEATS_PER_ROW })),
  })),
};

const usage = `usage: bench writer [--seconds 20] [--callers 64] [--mode both|writer|naive] [--hold-real-seconds 2] [--naive-pool 32]
Needs DATABASE_URL (a PostgreSQL server where it may create and drop a scratch database).`;

/** A growable list of latencies without per-sample objects. */
const sampler = () => {
  let buf = new Float64Array(1 << 16);
  let n = 0;
  return {
    add(ms: number) {
      if (n === buf.length) {
        const next = new Float64Array(buf.length * 2);
        next.set(buf);
        buf = next;
      }
      buf[n++] = ms;
    },
    sorted: () => buf.slice(0, n).sort(),
  };
};

/** Callers pick seat pairs they know to be free; the decider is still the judge. */
const seatPicker = (nowMs: () => number) => {
  const freeAt = new Map<string, number>();
  const free = (seat: string, now: number): boolean => (freeAt.get(seat) ?? 0) <= now;
  return {
    pick(): [string, string] {
      for (;;) {
        const s = 1 + Math.floor(Math.random() * SECTIONS);
        const r = 1 + Math.floor(Math.random() * ROWS);
        const n = 1 + Math.floor(Math.random() * (SEATS_PER_ROW - 1));
        const pair: [string, string] = [`S${s}-${r}-${n}`, `S${s}-${r}-${n + 1}`];
        const now = nowMs();
        if (free(pair[0], now) && free(pair[1], now)) {
          freeAt.set(pair[0], Infinity);
          freeAt.set(pair[1], Infinity);
          return pair;
        }
      }
    },
    settle(pair: readonly string[], until: number) {
      for (const seat of pair) freeAt.set(seat, until);
    },
  };
};

const fastClock = (speed: number) => {
  const wall0 = Date.now();
  const mono0 = performance.now();
  const nowMs = (): number => wall0 + (performance.now() - mono0) * speed;
  return { nowMs, now: () => new Date(nowMs()) };
};

const scheduleInput = (venueId: string, name: string, startMs: number) => ({
  venueId,
  organizerId: 'bench-organizer',
  name,
  description: 'Writer benchmark',
  category: 'music',
  performers: ['Bench'],
  startsAt: new Date(startMs + 365 * 86_400_000).toISOString(),
  onSaleAt: new Date(startMs - 86_400_000).toISOString(),
  currency: 'GBP',
  sectionPrices: Object.fromEntries(layout.sections.map((s) => [s.id, 5000])),
  holdSeconds: HOLD_SECONDS,
  maxTicketsPerUser: 8,
});

const runWriter = async (
  store: EventStore,
  opts: { callers: number; seconds: number; speed: number; venueId: string },
): Promise<Figures> => {
  const clock = fastClock(opts.speed);
  let appends = 0;
  let conflicts = 0;
  let events = 0;
  const ticketing = createTicketing({
    store,
    now: clock.now,
    onBatch: (b: BatchInfo) => {
      if (b.events > 0) appends += 1;
      conflicts += b.conflicts;
      events += b.events;
    },
  });
  const { eventId } = await ticketing.scheduleEvent(scheduleInput(opts.venueId, 'Writer bench (batched)', clock.nowMs()));
  appends = 0;
  events = 0;
  const picker = seatPicker(clock.nowMs);
  const latencies = sampler();
  let accepted = 0;
  let rejected = 0;
  let errors = 0;
  let seq = 0;
  const started = performance.now();
  const end = started + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.callers }, async (_, caller) => {
      while (performance.now() < end) {
        const pair = picker.pick();
        const t0 = performance.now();
        try {
          const { booking } = await ticketing.hold(eventId, { userId: `u${caller}-${seq++}`, seats: pair });
          accepted += 1;
          picker.settle(pair, Date.parse(booking.expiresAt));
        } catch (err) {
          if (err instanceof DomainError) rejected += 1;
          else errors += 1;
          picker.settle(pair, clock.nowMs() + HOLD_SECONDS * 1000);
        }
        latencies.add(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await ticketing.close();
  return {
    mode: 'writer',
    seconds,
    accepted,
    rejected,
    errors,
    latencies: latencies.sorted(),
    attempts: appends + conflicts,
    conflicts,
    events,
  };
};

/**
 * The naive way, as a stateless request handler with a per-caller cache: each
 * caller keeps the state and version it last saw, and per attempt reads the
 * events appended since (readStream fromVersion), folds them, decides, and
 * appends with that version as expected version, retrying on conflict.
 */
const runNaive = async (
  store: EventStore,
  opts: { callers: number; seconds: number; speed: number; venueId: string },
): Promise<Figures> => {
  const clock = fastClock(opts.speed);
  const ticketing = createTicketing({ store, now: clock.now });
  const { eventId } = await ticketing.scheduleEvent(scheduleInput(opts.venueId, 'Writer bench (naive)', clock.nowMs()));
  await ticketing.close();
  const stream = eventStream(eventId);
  const picker = seatPicker(clock.nowMs);
  const latencies = sampler();
  let accepted = 0;
  let rejected = 0;
  let errors = 0;
  let appends = 0;
  let conflicts = 0;
  let seq = 0;

  const catchUp = async (cache: { state: TicketedEventState; version: number }) => {
    for (const r of await store.readStream(stream, { fromVersion: cache.version + 1 })) {
      cache.state = ticketedEvent.evolve(cache.state, { type: r.type, data: r.data } as TicketedEventEvent);
      cache.version = r.version;
    }
  };
  const caches = await Promise.all(
    Array.from({ length: opts.callers }, async () => {
      const cache = { state: ticketedEvent.initialState, version: -1 };
      await catchUp(cache);
      return cache;
    }),
  );

  const started = performance.now();
  const end = started + opts.seconds * 1000;
  await Promise.all(
    caches.map(async (cache, caller) => {
      while (performance.now() < end) {
        const pair = picker.pick();
        const t0 = performance.now();
        const userId = `u${caller}-${seq++}`;
        const bookingId = randomUUID();
        try {
          for (;;) {
            await catchUp(cache);
            const now = clock.now().toISOString();
            const decided = ticketedEvent.decide({ type: 'HoldSeats', now, bookingId, userId, seats: pair, standing: [] }, cache.state);
            try {
              appends += 1;
              await store.append(
                stream,
                decided.map((e) => ({ ...e, metadata: { at: now } })),
                { expectedVersion: cache.version },
              );
              accepted += 1;
              picker.settle(pair, Date.parse(now) + HOLD_SECONDS * 1000);
              break;
            } catch (err) {
              if (!(err instanceof WrongExpectedVersionError)) throw err;
              conflicts += 1;
            }
          }
        } catch (err) {
          if (err instanceof DomainError) rejected += 1;
          else errors += 1;
          picker.settle(pair, clock.nowMs() + HOLD_SECONDS * 1000);
        }
        latencies.add(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    mode: 'naive',
    seconds,
    accepted,
    rejected,
    errors,
    latencies: latencies.sorted(),
    attempts: appends,
    conflicts,
    events: accepted,
  };
};

const table = (results: readonly Figures[]): string => {
  const rows: [string, (f: Figures) => string][] = [
    ['accepted holds/s', (f) => fmt(f.accepted / f.seconds)],
    ['accepted holds', (f) => fmt(f.accepted)],
    ['rejected (seats taken)', (f) => fmt(f.rejected)],
    ['failed (store errors)', (f) => fmt(f.errors)],
    ['p50 latency ms', (f) => fmt(percentile(f.latencies, 50), 1)],
    ['p99 latency ms', (f) => fmt(percentile(f.latencies, 99), 1)],
    ['max latency ms', (f) => fmt(f.latencies[f.latencies.length - 1] ?? NaN, 1)],
    ['successful appends/s', (f) => fmt((f.attempts - f.conflicts) / f.seconds)],
    ['events per append', (f) => fmt(f.events / Math.max(1, f.attempts - f.conflicts), 1)],
    ['append attempts', (f) => fmt(f.attempts)],
    ['conflicts', (f) => fmt(f.conflicts)],
    ['conflict rate', (f) => `${fmt((100 * f.conflicts) / Math.max(1, f.attempts), 2)}%`],
  ];
  const header = ['', ...results.map((f) => (f.mode === 'writer' ? 'stream writer (group commit)' : 'naive (read-decide-append)'))];
  const cells = [header, ...rows.map(([label, get]) => [label, ...results.map(get)])];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map(
      (row, r) =>
        row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ') +
        (r === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
    )
    .join('\n');
};

export const run = async (args: string[]): Promise<void> => {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '20' },
      callers: { type: 'string', default: '64' },
      mode: { type: 'string', default: 'both' },
      'hold-real-seconds': { type: 'string', default: '2' },
      'naive-pool': { type: 'string', default: '32' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const seconds = Number(values.seconds);
  const callers = Number(values.callers);
  const holdReal = Number(values['hold-real-seconds']);
  const naivePool = Number(values['naive-pool']);
  const mode = values.mode;
  if (!(seconds > 0) || !Number.isInteger(callers) || callers < 1 || !(holdReal > 0) || !(naivePool >= 1)) {
    throw new Error(`bench writer: bad arguments\n${usage}`);
  }
  if (mode !== 'both' && mode !== 'writer' && mode !== 'naive')
    throw new Error(`bench writer: --mode must be both, writer or naive\n${usage}`);
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error(`bench writer: DATABASE_URL is not set\n${usage}`);

  const speed = HOLD_SECONDS / holdReal;
  console.log(
    `writer bench: one ${fmt(SECTIONS * ROWS * SEATS_PER_ROW)}-seat event per mode, ${callers} callers holding random free seat pairs, ${seconds} s per mode`,
  );
  const load = (): string =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  console.log(
    `machine: ${availableParallelism()} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; load average ${load()}`,
  );
  console.log(
    `clock runs ${fmt(speed)}x so ${HOLD_SECONDS} s holds lapse after ${holdReal} s of the run; naive pool ${naivePool} connections`,
  );

  const db = await scratchDatabase(server);
  const results: Figures[] = [];
  try {
    const setup = await openPgEventStore({ decode: domainEvent, connectionString: db.url });
    const ticketing = createTicketing({ store: setup });
    const { venueId } = await ticketing.registerVenue({
      registeredBy: 'bench-organizer',
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
    await ticketing.close();
    await setup.close();

    if (mode !== 'naive') {
      const store = await openPgEventStore({ decode: domainEvent, connectionString: db.url });
      try {
        results.push(await runWriter(store, { callers, seconds, speed, venueId }));
      } finally {
        await store.close();
      }
    }
    if (mode !== 'writer') {
      const store = await openPgEventStore({ decode: domainEvent, connectionString: db.url, poolMax: naivePool });
      try {
        results.push(await runNaive(store, { callers, seconds, speed, venueId }));
      } finally {
        await store.close();
      }
    }
  } finally {
    await db.drop();
  }
  console.log('');
  console.log(table(results));
  console.log(`\nload average at the end: ${load()} (other work on the machine skews the figures)`);
  console.log('');
  console.log('conflict rate = appends refused for a stale expected version / append attempts.');
  console.log('naive: each caller caches the state and version it last saw; per attempt it reads the new events, folds, decides, appends.');
};
