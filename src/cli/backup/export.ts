import { access, open, rename, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { anyEvent, comparePositions } from '../../commands/event-store/index.js';
import type { LogPosition } from '../../commands/event-store/index.js';
import { noPositionals, parseArgs, stringOption, CliError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';
import { formatPosition, parsePosition, serializeEvent, writeChunk } from './event-lines.js';

const PAGE = 1_000;
const WAIT_STEP_MS = 100;
const MAX_WAIT_MS = 60_000;

const help = `Usage: marquee export [--out <file.ndjson>] [--from <commit:prepare>]

Writes the whole event log, in global order, as NDJSON: one event per line with
stream, version, position, id, type, data, metadata and recordedAt. The log is
read a page at a time and written with backpressure, so memory stays flat
however long the log is.

Options:
  --out <file>              write to this file (refused if it exists; written to
                            <file>.partial first and renamed when complete).
                            Default: standard output.
  --from <commit:prepare>   only events after this position, e.g. the position of
                            the last line of an earlier export (incremental export).
  -h, --help                show this help

The export covers every event up to the newest one when it starts; events
appended while it runs are left for a later \`--from\` export. A summary (events
written, last position) goes to standard error.`;

const exists = async (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Streams the log after `from` into `out`, up to the head the store reported when
 * the export began: an empty page before that head means older transactions are
 * still in flight (PostgreSQL readers never pass them), so it waits rather than
 * stopping short.
 */
export const exportLog = async (
  ctx: CliContext,
  out: Writable,
  from: LogPosition | undefined,
): Promise<{ count: number; last: LogPosition | undefined }> => {
  const opened = await ctx.openEventStore(anyEvent);
  try {
    const { store } = opened;
    const head = await store.headPosition();
    let after = from;
    let count = 0;
    let waitedMs = 0;
    while (head && (!after || comparePositions(after, head) < 0)) {
      const page = await store.readAll({ maxCount: PAGE, ...(after ? { after } : {}) });
      if (page.length === 0) {
        if (waitedMs >= MAX_WAIT_MS)
          throw new CliError(
            `the log stopped short of its head ${formatPosition(head)} for ${MAX_WAIT_MS / 1000} s (a transaction is held open?); wrote ${count} events`,
          );
        await sleep(WAIT_STEP_MS);
        waitedMs += WAIT_STEP_MS;
        continue;
      }
      waitedMs = 0;
      for (const e of page) {
        if (comparePositions(e.position, head) > 0) break;
        await writeChunk(out, serializeEvent(e));
        count += 1;
        after = e.position;
      }
    }
    return { count, last: after === from ? undefined : after };
  } finally {
    await opened.close();
  }
};

const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  const parsed = parseArgs(args, { out: 'string', from: 'string' });
  if (parsed.help) {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  noPositionals(parsed);
  const fromText = stringOption(parsed, 'from');
  const from = fromText === undefined ? undefined : parsePosition(fromText, '--from');
  const outPath = stringOption(parsed, 'out');

  let result: Awaited<ReturnType<typeof exportLog>>;
  if (outPath === undefined) {
    result = await exportLog(ctx, ctx.stdout, from);
  } else {
    if (await exists(outPath)) throw new CliError(`${outPath} already exists; choose another --out or remove it first`);
    const partial = `${outPath}.partial`;
    const handle = await open(partial, 'w').catch((err: unknown) => {
      throw new CliError(`cannot write ${partial}: ${err instanceof Error ? err.message : String(err)}`);
    });
    const file = handle.createWriteStream();
    // Errors surface through writeChunk and finished(); this keeps one from going unhandled in between.
    file.on('error', () => undefined);
    try {
      result = await exportLog(ctx, file, from);
      file.end();
      await finished(file);
      await rename(partial, outPath);
    } catch (err) {
      file.destroy();
      await unlink(partial).catch(() => undefined);
      throw err;
    }
  }
  const last = result.last ? `, last position ${formatPosition(result.last)}` : '';
  ctx.stderr.write(`exported ${result.count} event${result.count === 1 ? '' : 's'}${last}${outPath ? ` to ${outPath}` : ''}\n`);
};

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the whole event log as NDJSON (streaming, constant memory)',
  run,
};
