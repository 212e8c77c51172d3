import { access, open, rename, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { anyEvent, comparePositions } from '../../commands/event-store/index.js';
import type { LogPosition } from '../../commands/event-store/index.js';
import { noPositionals, parseArgs, stringOption, CliError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';
import { hasAccountsTable, readAccountPage } from '../../api/accounts/index.js';
import { formatPosition, parsePosition, serializeEvent, writeChunk } from './event-lines.js';
import { accountLine, BACKUP_FORMAT, FORMAT_VERSION, headerLine } from './format.js';

const PAGE = 1_000;
const WAIT_STEP_MS = 100;
const MAX_WAIT_MS = 60_000;

const help = `Usage: marquee export [--out <file.ndjson>] [--from <commit:prepare>]

Writes a backup: everything needed to rebuild the service elsewhere, as NDJSON.
The first line names the format and its version
({"format":"marquee-backup","formatVersion":${FORMAT_VERSION},...}); then one line per
account ({"account":{id, email, name, role, passwordHash, createdAt}}: password
hashes, never passwords); then every event in global order, one per line, with
stream, version, position, id, type, data, metadata and recordedAt. Accounts and
events are read a page at a time and written with backpressure, so memory stays
flat however long the log is; progress goes to standard error once a second.

Options:
  --out <file>              write to this file (refused if it exists; written to
                            <file>.partial first and renamed when complete).
                            Default: standard output.
  --from <commit:prepare>   only events after this position, e.g. the position of
                            the last line of an earlier export (incremental export;
                            accounts are always written in full).
  -h, --help                show this help

The export covers every event up to the newest one when it starts; events
appended while it runs are left for a later \`--from\` export. A summary
(accounts and events written, last position) goes to standard error. Ticket
codes are signed with a key derived from JWT_SECRET: restore with the same
JWT_SECRET (or DATA_DIR/secrets/jwt-secret) for old tickets to check in.`;

const exists = async (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const ACCOUNT_PAGE = 1_000;
const PROGRESS_EVERY_MS = 1_000;

/** Progress on standard error at most once a second, so long runs show they are moving. */
const progress = (ctx: CliContext) => {
  let last = Date.now();
  return (accounts: number, events: number): void => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    ctx.stderr.write(`export: ${accounts} accounts, ${events} events so far\n`);
  };
};

/**
 * Streams a backup into `out`: the header, every account a page at a time, then the
 * log after `from` up to the head the store reported when the export began. An empty
 * page before that head means older transactions are still in flight (PostgreSQL
 * readers never pass them), so it waits rather than stopping short.
 */
export const exportLog = async (
  ctx: CliContext,
  out: Writable,
  from: LogPosition | undefined,
): Promise<{ accounts: number; count: number; last: LogPosition | undefined }> => {
  const opened = await ctx.openStoreAndDatabase(anyEvent);
  try {
    const { store, pool } = opened;
    const report = progress(ctx);
    const head = await store.headPosition();
    await writeChunk(
      out,
      headerLine({
        format: BACKUP_FORMAT,
        formatVersion: FORMAT_VERSION,
        exportedAt: new Date().toISOString(),
        ...(from ? { from: formatPosition(from) } : {}),
      }),
    );
    let accounts = 0;
    for (let afterId: string | undefined, more = await hasAccountsTable(pool); more;) {
      const page = await readAccountPage(pool, afterId, ACCOUNT_PAGE);
      for (const a of page) await writeChunk(out, accountLine(a));
      accounts += page.length;
      report(accounts, 0);
      more = page.length === ACCOUNT_PAGE;
      afterId = page.at(-1)?.id;
    }
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
      report(accounts, count);
    }
    return { accounts, count, last: after === from ? undefined : after };
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
  ctx.stderr.write(
    `exported ${result.accounts} account${result.accounts === 1 ? '' : 's'} and ${result.count} event${result.count === 1 ? '' : 's'}${last}${outPath ? ` to ${outPath}` : ''} (backup format ${FORMAT_VERSION})\n`,
  );
};

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write a backup: accounts and the whole event log as NDJSON (streaming, constant memory)',
  run,
};
