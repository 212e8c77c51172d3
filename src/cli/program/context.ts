import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../../runtime/config/index.js';
import type { EventDecoder, EventShape } from '../../commands/event-store/index.js';
import type { OpenedEventStore, OpenedStoreAndDatabase } from '../../runtime/compose/index.js';

/** What every CLI command gets: its output streams and lazily opened dependencies. */
export type CliContext = {
  /** Data (events, exports, tables): what a pipe or a redirect should receive. */
  readonly stdout: Writable;
  /** Progress, summaries and errors. */
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  /** The validated configuration; throws ConfigError on a bad environment. */
  readonly config: () => Config;
  readonly log: () => Logger;
  /** `decode` types what the store reads: `anyEvent` to copy or print streams as stored, `domainEvent` to run commands. */
  readonly openEventStore: <E extends EventShape>(decode: EventDecoder<E>) => Promise<OpenedEventStore<E>>;
  /** The event store and the accounts' PostgreSQL database (backups move both). */
  readonly openStoreAndDatabase: <E extends EventShape>(decode: EventDecoder<E>) => Promise<OpenedStoreAndDatabase<E>>;
};

/** Bad invocation (unknown command or option, missing or malformed value): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A well-formed request that cannot be carried out (unknown stream, non-empty store, bad file): exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export type CliCommand = {
  readonly name: string;
  /** One line for the global help. */
  readonly summary: string;
  /** Runs the command; `--help` among the arguments prints its usage instead. */
  readonly run: (args: readonly string[], ctx: CliContext) => Promise<void>;
};
