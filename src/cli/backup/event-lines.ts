import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { EventMetadata, EventShape, LogPosition, NewEvent, RecordedEvent } from '../../commands/event-store/index.js';
import { UsageError } from '../program/index.js';

/**
 * One event as a line of NDJSON, the format of `export`, `import` and
 * `replay --format ndjson`. Positions are written `<commit>:<prepare>`.
 */
export type EventLine = {
  readonly stream: string;
  readonly version: number;
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
};

/** An event to append that keeps the time it was first recorded. */
export type ImportedEvent = NewEvent<EventShape> & { readonly recordedAt: Date };

export const formatPosition = (p: LogPosition): string => `${p.commit}:${p.prepare}`;

export const parsePosition = (text: string, what = 'position'): LogPosition => {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} ${JSON.stringify(text)} is not <commit>:<prepare> (two non-negative integers)`);
  return { commit: BigInt(m[1] ?? '0'), prepare: BigInt(m[2] ?? '0') };
};

export const toEventLine = (e: RecordedEvent<EventShape>): EventLine => ({
  stream: e.stream,
  version: e.version,
  position: formatPosition(e.position),
  id: e.id,
  type: e.type,
  data: e.data,
  metadata: e.metadata,
  recordedAt: e.recordedAt.toISOString(),
});

export const serializeEvent = (e: RecordedEvent<EventShape>): string => `${JSON.stringify(toEventLine(e))}\n`;

const isoTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');

const lineSchema = z.object({
  stream: z.string().min(1),
  version: z.number().int().min(0),
  position: z.string().optional(),
  id: z.guid('must be a UUID'),
  type: z.string().min(1),
  data: z.unknown(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  recordedAt: isoTime,
});

export type ParsedLine = z.output<typeof lineSchema>;

/** Parses one exported line; the message says what is wrong, without the line number (the caller knows it). */
export const parseEventLine = (text: string): ParsedLine => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'line';
    throw new Error(`${field}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.data === undefined) throw new Error('data: missing');
  return parsed.data;
};

export const toImportedEvent = (line: ParsedLine): ImportedEvent => ({
  id: line.id,
  type: line.type,
  data: line.data,
  metadata: line.metadata,
  recordedAt: new Date(line.recordedAt),
});

/** Writes with backpressure: waits for 'drain' when the destination's buffer is full; fails if it breaks or closes. */
export const writeChunk = async (out: Writable, chunk: string): Promise<void> => {
  if (out.destroyed || out.writableEnded) throw out.errored ?? new Error('the output was closed');
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onError = (err: Error): void => settle(err);
    const onClose = (): void => settle(out.errored ?? new Error('the output was closed'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
};
