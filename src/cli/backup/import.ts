import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { anyEvent, type EventShape, type EventStore } from '../../commands/event-store/index.js';
import { parseArgs, CliError, UsageError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';
import { parseEventLine, toImportedEvent } from './event-lines.js';
import type { ImportedEvent, ParsedLine } from './event-lines.js';

const MAX_BATCH_EVENTS = 500;
// EventStoreDB refuses appends over 1 MiB by default.
const MAX_BATCH_BYTES = 512 * 1024;

const help = `Usage: marquee import <file.ndjson>

Loads an export (marquee export) into an EMPTY event store, keeping every
event's id, stream, version, type, data and metadata, so that exporting again
gives the same events. The original recording time travels with each event;
adapters that can set it (PostgreSQL) keep it. Positions are assigned anew.

The file is read twice, a line at a time: first to check every line (valid JSON,
the fields of an export, versions 0, 1, 2, ... per stream) before anything is
written, then to append each run of a stream's events with its expected
version. A store that already holds events is refused.

Options:
  -h, --help   show this help`;

type Line = { readonly no: number; readonly event: ParsedLine };

async function* readLines(path: string): AsyncGenerator<Line> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let no = 0;
  for await (const text of lines) {
    no += 1;
    if (text.trim() === '') continue;
    try {
      yield { no, event: parseEventLine(text) };
    } catch (err) {
      throw new CliError(`${path}:${no}: ${(err as Error).message}`);
    }
  }
}

/** Checks the whole file before anything is written; memory grows with the number of streams only. */
const validate = async (path: string): Promise<{ events: number; streams: number }> => {
  const versions = new Map<string, number>();
  let events = 0;
  for await (const { no, event } of readLines(path)) {
    const previous = versions.get(event.stream) ?? -1;
    if (event.version !== previous + 1)
      throw new CliError(
        `${path}:${no}: stream ${event.stream} has version ${event.version} after ${previous === -1 ? 'no event' : `version ${previous}`}; versions must run 0, 1, 2, ... per stream`,
      );
    versions.set(event.stream, event.version);
    events += 1;
  }
  return { events, streams: versions.size };
};

type Batch = { stream: string; firstVersion: number; firstLine: number; events: ImportedEvent[]; bytes: number };

/** Whether the event continues the batch's run of one stream and the batch has room for it. */
const continuesBatch = (batch: Batch, event: ParsedLine, bytes: number): boolean =>
  batch.stream === event.stream &&
  batch.firstVersion + batch.events.length === event.version &&
  batch.events.length < MAX_BATCH_EVENTS &&
  batch.bytes + bytes <= MAX_BATCH_BYTES;

const appendBatch = async (store: EventStore<EventShape>, batch: Batch): Promise<void> => {
  await store.append(batch.stream, batch.events, {
    expectedVersion: batch.firstVersion === 0 ? 'no_stream' : batch.firstVersion - 1,
  });
};

const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  const parsed = parseArgs(args, {});
  if (parsed.help) {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  const [path, ...extra] = parsed.positionals;
  if (path === undefined) throw new UsageError('the file to import is required');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  await access(path).catch(() => {
    throw new CliError(`cannot read ${path}`);
  });

  const checked = await validate(path);
  const opened = await ctx.openEventStore(anyEvent);
  let imported = 0;
  try {
    const { store } = opened;
    if ((await store.readAll({ maxCount: 1 })).length > 0)
      throw new CliError('the event store already holds events; import loads only into an empty store');
    const flush = async (batch: Batch): Promise<void> => {
      try {
        await appendBatch(store, batch);
      } catch (err) {
        throw new CliError(
          `${path}:${batch.firstLine}: appending to ${batch.stream} failed (${(err as Error).message}); the store now holds the first ${imported} events of the file`,
        );
      }
      imported += batch.events.length;
    };
    let batch: Batch | undefined;
    for await (const { no, event } of readLines(path)) {
      const bytes = Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata));
      if (!batch || !continuesBatch(batch, event, bytes)) {
        if (batch) await flush(batch);
        batch = { stream: event.stream, firstVersion: event.version, firstLine: no, events: [], bytes: 0 };
      }
      batch.events.push(toImportedEvent(event));
      batch.bytes += bytes;
    }
    if (batch) await flush(batch);
  } finally {
    await opened.close();
  }
  ctx.stderr.write(
    `imported ${imported} event${imported === 1 ? '' : 's'} into ${checked.streams} stream${checked.streams === 1 ? '' : 's'}\n`,
  );
};

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'load an export into an empty event store (ids, versions and data kept)',
  run,
};
