import pino from 'pino';
import type { Logger } from 'pino';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../runtime/config/index.js';
import type { Config } from '../runtime/config/index.js';
import { openEventStore, openStoreAndDatabase } from '../runtime/compose/index.js';
import { CliError, UsageError } from './program/index.js';
import type { CliCommand, CliContext } from './program/index.js';
import { exportCommand, importCommand } from './backup/index.js';
import { rebuildCommand, reconcilePaymentsCommand } from './operations/index.js';
import { replayCommand } from './replay/index.js';
import { seedCommand } from './seed/index.js';

export const COMMANDS: readonly CliCommand[] = [
  replayCommand,
  exportCommand,
  importCommand,
  rebuildCommand,
  seedCommand,
  reconcilePaymentsCommand,
];
const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length));

const globalHelp = (): string =>
  [
    'Usage: marquee <command> [options]      (npm run cli -- <command> [options])',
    '',
    'Tools for analysts and operators over the event log of the configured store',
    '(EVENT_STORE=postgres with DATABASE_URL or the embedded server in DATA_DIR, or',
    'EVENT_STORE=eventstoredb with EVENTSTORE_URL; see docs/operations.md).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(NAME_WIDTH)}  ${c.summary}`),
    '',
    'Run `marquee <command> --help` (or `marquee help <command>`) for its options.',
    'Exit codes: 0 done, 1 failed (the message says why), 2 bad usage.',
  ].join('\n');

export type CliIo = { readonly stdout: Writable; readonly stderr: Writable; readonly env: NodeJS.ProcessEnv };

const makeContext = (io: CliIo): CliContext => {
  let config: Config | undefined;
  let log: Logger | undefined;
  const getConfig = (): Config => (config ??= loadConfig(io.env));
  // Logs go to stderr, quiet unless LOG_LEVEL asks: stdout carries the data.
  const getLog = (): Logger => (log ??= pino({ level: io.env.LOG_LEVEL || 'warn', base: null }, pino.destination({ dest: 2, sync: true })));
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    config: getConfig,
    log: getLog,
    openEventStore: (decode) => openEventStore(getConfig(), getLog(), decode),
    openStoreAndDatabase: (decode) => openStoreAndDatabase(getConfig(), getLog(), decode),
  };
};

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [name, ...rest] = argv;
  const fail = (code: number, prefix: string, message: string, hint?: string): number => {
    io.stderr.write(`${prefix}: ${oneLine(message)}${hint ? ` (${hint})` : ''}\n`);
    return code;
  };
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(`${globalHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(`${globalHelp()}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === topic);
    if (!command) return fail(2, 'marquee', `unknown command "${topic}"`, 'see marquee --help');
    return runCli([topic, '--help'], io);
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return fail(2, 'marquee', `unknown command "${name}"`, 'see marquee --help');
  const ctx = makeContext(io);
  try {
    await command.run(rest, ctx);
    return 0;
  } catch (err) {
    const prefix = `marquee ${command.name}`;
    if (err instanceof UsageError) return fail(2, prefix, err.message, `see marquee ${command.name} --help`);
    if (err instanceof ConfigError) return fail(2, prefix, err.message);
    if (err instanceof CliError) return fail(1, prefix, err.message);
    if (io.env.LOG_LEVEL === 'debug' || io.env.LOG_LEVEL === 'trace') io.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    return fail(1, prefix, err instanceof Error ? err.message : String(err));
  }
};

/** The process entry: runs argv and exits with the code (used by `tsx src/cli/main.ts`, dist and bin/marquee.js). */
export const main = async (argv: readonly string[] = process.argv.slice(2)): Promise<void> => {
  // A closed pipe (`marquee export | head`) ends the run quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  // Flush stdout before leaving; an embedded server or a pool left behind must not keep the process alive.
  process.stdout.write('', () => process.exit(code));
};

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) await main();
