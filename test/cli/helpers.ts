import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { EventShape, EventStore } from '../../src/commands/event-store/index.js';
import { anyEvent, openPgEventStore } from '../../src/commands/event-store/index.js';
import { runCli } from '../../src/cli/main.js';
import type { DomainEvent } from '../../src/domain/events/index.js';
import type { EventScheduled } from '../../src/domain/ticketed-event/index.js';
import type { VenueRegistered, Layout } from '../../src/domain/venue/index.js';

export type CliRun = { readonly code: number; readonly stdout: string; readonly stderr: string };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Only the variables the CLI reads, so a developer's own environment cannot leak into a test. */
export const cliEnv = (databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  ...extra,
});

const collector = (): { stream: Writable; text: () => string } => {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    // A small buffer so that long outputs exercise backpressure.
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      setImmediate(done);
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
};

/** Runs the CLI in this process (fast; used for the heavier scenarios). */
export const runInProcess = async (argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> => {
  const out = collector();
  const err = collector();
  const code = await runCli(argv, { stdout: out.stream, stderr: err.stream, env });
  await new Promise<void>((resolve) => out.stream.end(resolve));
  await new Promise<void>((resolve) => err.stream.end(resolve));
  return { code, stdout: out.text(), stderr: err.text() };
};

/** Runs `tsx src/cli/main.ts ...` as a child process, the way `npm run cli` does. */
export const runChild = (argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

export const openStore = (url: string): Promise<EventStore<EventShape>> => openPgEventStore({ decode: anyEvent, connectionString: url });

export const append = async (
  store: EventStore<EventShape>,
  stream: string,
  events: readonly DomainEvent[],
  expectedVersion: number | 'no_stream' | 'any' = 'any',
) =>
  store.append(
    stream,
    events.map((e) => ({
      id: randomUUID(),
      type: e.type,
      data: e.data,
      metadata: { correlationId: randomUUID(), userId: 'user-1', at: new Date().toISOString() },
    })),
    { expectedVersion },
  );

export const LAYOUT: Layout = {
  sections: [
    {
      id: 'A',
      name: 'Block A',
      kind: 'seated',
      rows: [
        { label: '1', seats: 6 },
        { label: '2', seats: 4 },
      ],
    },
    { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 10 },
  ],
};

const VENUE = {
  name: 'Riverside Arena',
  address: '1 Quay St',
  city: 'Manchester',
  country: 'GB',
  location: { lat: 53.4794, lng: -2.2453 },
  timezone: 'Europe/London',
};

export const venueRegistered = (venueId: string): VenueRegistered => ({
  type: 'VenueRegistered',
  data: { ...VENUE, venueId, layout: LAYOUT, registeredBy: 'organizer-1' },
});

export const eventScheduled = (eventId: string, venueId: string, onSaleAt: string): EventScheduled => ({
  type: 'EventScheduled',
  data: {
    eventId,
    organizerId: 'organizer-1',
    venue: { ...VENUE, id: venueId },
    layout: LAYOUT,
    name: 'Aurora Live — “Borealis” tour',
    description: 'Ünïcödé, quotes " and newlines\nsurvive the round trip',
    category: 'music',
    performers: ['Aurora'],
    startsAt: '2027-03-01T19:30:00.000Z',
    onSaleAt,
    currency: 'GBP',
    sectionPrices: { A: 6500, PIT: 4500 },
    holdSeconds: 300,
    maxTicketsPerUser: 8,
  },
});
