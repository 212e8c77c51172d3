import { anyEvent, type EventShape, type RecordedEvent } from '../../commands/event-store/index.js';
import { choiceOption, noPositionals, parseArgs, requiredOption, stringOption, CliError, UsageError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';
import { formatPosition, serializeEvent, writeChunk } from '../backup/index.js';
import { foldStream, renderFoldedState } from './folded-state.js';

const FORMATS = ['ndjson', 'table'] as const;
type Format = (typeof FORMATS)[number];
const DATA_WIDTH = 160;

const help = `Usage: marquee replay [--stream] <name> [--until <ISO time>] [--format ndjson|table]

Prints the events of one stream in version order.

Options:
  --stream <name>       the stream, e.g. event-<eventId> or venue-<venueId> (required)
  --until <ISO time>    only events recorded at or before this time, then the
                        stream's folded state as of that time: for event-*
                        streams the sales figures and the seat map (one line per
                        row, A available, H held, S sold; holds that had lapsed
                        by then count as available), for venue-* the venue.
                        Example: --until 2026-12-01T10:00:05Z (a time without
                        an offset is taken as UTC)
  --format <format>     ndjson (default): one JSON object per line (stream,
                        version, position, id, type, data, metadata, recordedAt),
                        and with --until a last line {"stream", "asOf", "version",
                        "state"}; table: aligned columns for people.
  -h, --help            show this help

A stream without events is an error (exit code 1).`;

/** ISO 8601; a time without an offset is UTC (as the events' own times are), not the machine's zone. */
export const parseTime = (text: string, option: string): Date => {
  const m = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const ms = m ? Date.parse(m[1] && !m[2] ? `${text}Z` : text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(`${option} must be an ISO 8601 time such as 2026-12-01T10:00:05Z (got ${JSON.stringify(text)})`);
  return new Date(ms);
};

const oneLine = (value: unknown, width: number): string => {
  const text = JSON.stringify(value) ?? '';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
};

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
};

const eventRows = (events: readonly RecordedEvent<EventShape>[]): string[] =>
  table(
    ['VERSION', 'RECORDED AT', 'POSITION', 'TYPE', 'DATA'],
    events.map((e) => [String(e.version), e.recordedAt.toISOString(), formatPosition(e.position), e.type, oneLine(e.data, DATA_WIDTH)]),
  );

const STREAM_PREFIXES = ['event-', 'venue-'] as const;

/** For a bare id (streams are named `event-<id>`, `venue-<id>`): "; did you mean event-<id>?", naming a stream that has events when one does. */
const suggestion = async (ctx: CliContext, stream: string): Promise<string> => {
  if (STREAM_PREFIXES.some((p) => stream.startsWith(p))) return '';
  const opened = await ctx.openEventStore(anyEvent);
  try {
    for (const prefix of STREAM_PREFIXES) {
      if ((await opened.store.readStream(`${prefix}${stream}`)).length > 0) return `; did you mean ${prefix}${stream}?`;
    }
  } finally {
    await opened.close();
  }
  return `; did you mean event-${stream}? (streams are named event-<eventId> and venue-<venueId>)`;
};

const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  let parsed = parseArgs(args, { stream: 'string', until: 'string', format: 'string' });
  if (parsed.help) {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  // `marquee replay <stream>` is the same as --stream <stream>.
  const [positional, ...extra] = parsed.positionals;
  if (positional !== undefined && stringOption(parsed, 'stream') === undefined && extra.length === 0) {
    parsed = { ...parsed, options: { ...parsed.options, stream: positional }, positionals: [] };
  }
  noPositionals(parsed);
  const stream = requiredOption(parsed, 'stream');
  const untilText = stringOption(parsed, 'until');
  const until = untilText === undefined ? undefined : parseTime(untilText, '--until');
  const format: Format = choiceOption(parsed, 'format', FORMATS, 'ndjson');

  const opened = await ctx.openEventStore(anyEvent);
  let all: RecordedEvent<EventShape>[];
  try {
    all = await opened.store.readStream(stream);
  } finally {
    await opened.close();
  }
  if (all.length === 0) throw new CliError(`stream ${stream} does not exist (it has no events)${await suggestion(ctx, stream)}`);
  const events = until ? all.filter((e) => e.recordedAt.getTime() <= until.getTime()) : all;
  const out = ctx.stdout;

  if (format === 'ndjson') {
    for (const e of events) await writeChunk(out, serializeEvent(e));
    if (until) {
      const state = foldStream(stream, events, until.toISOString());
      const version = events.at(-1)?.version ?? -1;
      await writeChunk(out, `${JSON.stringify({ stream, asOf: until.toISOString(), version, state })}\n`);
    }
    return;
  }

  const lines = [
    `${stream}: ${events.length} event${events.length === 1 ? '' : 's'}${until ? ` recorded at or before ${until.toISOString()} (of ${all.length})` : ''}`,
    '',
  ];
  if (events.length > 0) lines.push(...eventRows(events));
  if (until) {
    const version = events.at(-1)?.version;
    lines.push(
      '',
      `State as of ${until.toISOString()}${version === undefined ? ' (the stream had no events yet)' : ` (version ${version})`}:`,
    );
    lines.push(...renderFoldedState(foldStream(stream, events, until.toISOString())).map((l) => (l ? `  ${l}` : l)));
  }
  for (const l of lines) await writeChunk(out, `${l}\n`);
};

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: "print a stream's events; with --until, also its folded state (seat map) at that time",
  run,
};
