import { randomUUID } from 'node:crypto';
import t from 'tap';
import { freshDatabase } from '../../support/services.js';
import { cliEnv, openStore, runChild } from '../helpers.js';

// Twenty CLI processes, each compiling the source with tsx: on a busy two-core machine that is more than the default three minutes.
t.setTimeout(600_000);

const url = await freshDatabase(t);
const env = cliEnv(url);
const store = await openStore(url);
await store.append('venue-known', [{ id: randomUUID(), type: 'Noted', data: {} }], { expectedVersion: 'no_stream' });
await store.close();

/** Exit code, and stderr as exactly one line that matches. */
const cases: [string, readonly string[], number, RegExp][] = [
  ['an unknown command', ['frobnicate'], 2, /^marquee: unknown command "frobnicate" \(see marquee --help\)$/],
  ['replay without --stream', ['replay'], 2, /^marquee replay: option --stream is required \(see marquee replay --help\)$/],
  ['an unknown option', ['replay', '--stream', 'venue-known', '--colour'], 2, /^marquee replay: unknown option --colour/],
  ['an option without its value', ['replay', '--stream'], 2, /option --stream needs a value/],
  ['an unknown format', ['replay', '--stream', 'venue-known', '--format', 'xml'], 2, /--format must be one of ndjson, table \(got "xml"\)/],
  ['a time that is not ISO 8601', ['replay', '--stream', 'venue-known', '--until', 'yesterday'], 2, /--until must be an ISO 8601 time/],
  [
    'a stream without events',
    ['replay', '--stream', 'event-nope'],
    1,
    /^marquee replay: stream event-nope does not exist \(it has no events\)$/,
  ],
  ['a malformed position', ['export', '--from', '12'], 2, /--from "12" is not <commit>:<prepare>/],
  ['import without a file', ['import'], 2, /the file to import is required/],
  ['an import file that is not there', ['import', '/nonexistent/x.ndjson'], 1, /^marquee import: cannot read \/nonexistent\/x\.ndjson$/],
  ['rebuild without a projection', ['rebuild'], 2, /name a projection to rebuild, or all/],
];

t.test('bad input exits non-zero with a one-line message on stderr and nothing on stdout', async (t) => {
  for (const [what, argv, code, message] of cases) {
    const r = await runChild(argv, env);
    t.equal(r.code, code, `${what}: exit code ${code}`);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    t.equal(lines.length, 1, `${what}: one line (${JSON.stringify(r.stderr)})`);
    t.match(lines[0] ?? '', message, `${what}: says what is wrong`);
    t.equal(r.stdout, '', `${what}: nothing on stdout`);
  }
});

t.test('a bad configuration is reported in one line', async (t) => {
  const r = await runChild(['replay', '--stream', 'venue-known'], { ...env, EVENT_STORE: 'cassandra' });
  t.equal(r.code, 2);
  t.match(r.stderr, /^marquee replay: invalid configuration: EVENT_STORE .*\n$/);
});

t.test('a configured but unreachable EventStoreDB is a clear error, never a fallback', async (t) => {
  const r = await runChild(['replay', '--stream', 'venue-known'], {
    ...env,
    EVENT_STORE: 'eventstoredb',
    EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false',
  });
  t.equal(r.code, 1);
  t.match(r.stderr, /^marquee replay: cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false: .*UNAVAILABLE.*\n$/);
  t.equal(r.stdout, '');
});

t.test('--help prints the commands, and each command its own options', async (t) => {
  const global = await runChild(['--help'], env);
  t.equal(global.code, 0);
  for (const name of ['replay', 'export', 'import', 'rebuild', 'seed'])
    t.match(global.stdout, new RegExp(`^  ${name} `, 'm'), `lists ${name}`);
  const replay = await runChild(['replay', '--help'], env);
  t.equal(replay.code, 0);
  t.match(replay.stdout, /^Usage: marquee replay \[--stream\] <name> \[--until <ISO time>\] \[--format ndjson\|table\]/);
  const viaHelp = await runChild(['help', 'export'], env);
  t.equal(viaHelp.code, 0);
  t.match(viaHelp.stdout, /^Usage: marquee export/);
  const bare = await runChild([], env);
  t.equal(bare.code, 2, 'no command is a usage error');
  t.match(bare.stderr, /^Usage: marquee <command>/);
});

t.test('a known stream replays through the child process too', async (t) => {
  const r = await runChild(['replay', '--stream', 'venue-known'], env);
  t.equal(r.code, 0, r.stderr);
  t.match(JSON.parse(r.stdout) as unknown, { stream: 'venue-known', version: 0, type: 'Noted' });
});
