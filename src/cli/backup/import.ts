import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { anyEvent, type EventShape, type EventStore } from '../../commands/event-store/index.js';
import { parseArgs, CliError, UsageError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';
import { countAccounts, createAccounts, insertAccounts, type AccountRecord } from '../../api/accounts/index.js';
import { parseEventLine, toImportedEvent } from './event-lines.js';
import { FORMAT_VERSION, parseAccountLine, parseHeader } from './format.js';
import type { ImportedEvent, ParsedLine } from './event-lines.js';

const MAX_BATCH_EVENTS = 500;
// EventStoreDB refuses appends over 1 MiB by default.
const MAX_BATCH_BYTES = 512 * 1024;

const help = `Usage: marquee import <backup.ndjson>

Loads a backup (marquee export) into an EMPTY service: its accounts (ids,
emails, names, roles and password hashes, so every buyer signs in with their
old password) and its events (ids, streams, versions, types, data and metadata,
so that exporting again gives the same events). The original recording time
travels with each event; adapters that can set it (PostgreSQL) keep it.
Positions are assigned anew. Start the service afterwards: its projections
rebuild every read model from the log.

The file is read twice, a line at a time: first to check every line (the
format header, accounts, valid JSON, the fields of an event, versions 0, 1, 2,
... per stream) before anything is written, then to write. A store that already
holds events or accounts is refused, and so is a backup written by a newer
Marquee (a higher formatVersion). Exports from before accounts travelled
(format 1: events only, no header line) still import, without accounts.

Options:
  -h, --help   show this help`;

type Line = { readonly no: number; readonly line: ParsedLine | AccountRecord; readonly kind: 'event' | 'account' };

/** Reads a backup a line at a time after checking its header: a newer format is refused before anything else. */
async function* readLines(path: string, onFormat?: (version: number) => void): AsyncGenerator<Line> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let no = 0;
  let first = true;
  for await (const text of lines) {
    no += 1;
    if (text.trim() === '') continue;
    try {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new Error(`not valid JSON (${(err as Error).message})`, { cause: err });
      }
      if (first) {
        first = false;
        const header = parseHeader(json);
        const version = header?.formatVersion ?? 1;
        if (version > FORMAT_VERSION)
          throw new CliError(
            `${path} is backup format ${version}, written by a newer Marquee; this one reads formats 1 to ${FORMAT_VERSION}: import it with that newer version`,
          );
        onFormat?.(version);
        if (header) continue;
      }
      const account = parseAccountLine(json);
      if (account) yield { no, line: account, kind: 'account' };
      else yield { no, line: parseEventLine(text), kind: 'event' };
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`${path}:${no}: ${(err as Error).message}`);
    }
  }
}

type Checked = { events: number; streams: number; accounts: number; format: number };

/** Checks the whole file before anything is written; memory grows with the number of streams and accounts only. */
const validate = async (path: string): Promise<Checked> => {
  const versions = new Map<string, number>();
  const emails = new Set<string>();
  const ids = new Set<string>();
  let events = 0;
  let format = 1;
  for await (const { no, line, kind } of readLines(path, (v) => (format = v))) {
    if (kind === 'account') {
      const a = line as AccountRecord;
      const email = a.email.toLowerCase();
      if (ids.has(a.id) || emails.has(email)) throw new CliError(`${path}:${no}: account ${a.id} (${a.email}) appears twice`);
      ids.add(a.id);
      emails.add(email);
      continue;
    }
    const event = line as ParsedLine;
    const previous = versions.get(event.stream) ?? -1;
    if (event.version !== previous + 1)
      throw new CliError(
        `${path}:${no}: stream ${event.stream} has version ${event.version} after ${previous === -1 ? 'no event' : `version ${previous}`}; versions must run 0, 1, 2, ... per stream`,
      );
    versions.set(event.stream, event.version);
    events += 1;
  }
  return { events, streams: versions.size, accounts: ids.size, format };
};

const ACCOUNT_BATCH = 500;

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
  const opened = await ctx.openStoreAndDatabase(anyEvent);
  let imported = 0;
  let restored = 0;
  try {
    const { store, pool } = opened;
    const accounts = createAccounts(pool);
    await accounts.setup();
    if ((await store.readAll({ maxCount: 1 })).length > 0)
      throw new CliError('the event store already holds events; import loads only into an empty service');
    const existing = await countAccounts(pool);
    if (existing > 0)
      throw new CliError(
        `the database already holds ${existing} account${existing === 1 ? '' : 's'}; import loads only into an empty service (a fresh DATABASE_URL or DATA_DIR)`,
      );
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
    let pending: AccountRecord[] = [];
    const flushAccounts = async (): Promise<void> => {
      await insertAccounts(pool, pending);
      restored += pending.length;
      pending = [];
    };
    let batch: Batch | undefined;
    for await (const { no, line, kind } of readLines(path)) {
      if (kind === 'account') {
        pending.push(line as AccountRecord);
        if (pending.length >= ACCOUNT_BATCH) await flushAccounts();
        continue;
      }
      const event = line as ParsedLine;
      const bytes = Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata));
      if (!batch || !continuesBatch(batch, event, bytes)) {
        if (batch) await flush(batch);
        batch = { stream: event.stream, firstVersion: event.version, firstLine: no, events: [], bytes: 0 };
      }
      batch.events.push(toImportedEvent(event));
      batch.bytes += bytes;
    }
    await flushAccounts();
    if (batch) await flush(batch);
  } finally {
    await opened.close();
  }
  ctx.stderr.write(
    `imported ${restored} account${restored === 1 ? '' : 's'} and ${imported} event${imported === 1 ? '' : 's'} into ${checked.streams} stream${checked.streams === 1 ? '' : 's'} (backup format ${checked.format}${checked.format < 2 ? ': events only, no accounts' : ''})\n`,
  );
};

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'restore a backup into an empty service (accounts, and events with ids, versions and data kept)',
  run,
};
