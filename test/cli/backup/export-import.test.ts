import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { EventShape, NewEvent } from '../../../src/commands/event-store/index.js';
import { freshDatabase } from '../../support/services.js';
import { append, cliEnv, eventScheduled, openStore, runChild, runInProcess, venueRegistered } from '../helpers.js';

const dir = await mkdtemp(join(tmpdir(), 'marquee-cli-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

const source = await freshDatabase(t);
const store = await openStore(source);
t.teardown(() => store.close());

// A log of several streams, interleaved, with more events than one export page.
const venueId = randomUUID();
const eventIds = [randomUUID(), randomUUID()];
await append(store, `venue-${venueId}`, [venueRegistered(venueId)], 'no_stream');
for (const id of eventIds) await append(store, `event-${id}`, [eventScheduled(id, venueId, '2026-01-01T00:00:00.000Z')], 'no_stream');
await store.append(
  `venue-${venueId}`,
  [{ type: 'VenueUpdated', data: { venueId, changes: { name: 'Riverside Arena ✨', address: 'Quay "North"' } } }],
  { expectedVersion: 0 },
);
const bulk = (n: number, from: number): NewEvent<EventShape>[] =>
  Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    type: 'AuditNoted',
    data: { n: from + i, nested: { list: [1, 'two', null, { deep: true }], empty: {} }, text: `line ${from + i}\twith tab` },
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      userId: `user-${i % 7}`,
      at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    },
  }));
let version = -1;
for (let batch = 0; batch < 6; batch++) {
  const r = await store.append('audit-main', bulk(200, batch * 200), { expectedVersion: version < 0 ? 'no_stream' : version });
  version = r.nextExpectedVersion;
  await store.append(`audit-side-${batch}`, bulk(3, 0), { expectedVersion: 'no_stream' });
}
const TOTAL = 1 + 2 + 1 + 6 * 203;

/**
 * PostgreSQL readers never pass a transaction still in flight anywhere on the server
 * (other test files write at the same time), so an event just appended may take a
 * moment to become readable.
 */
const waitUntilReadable = async (url: string, count: number): Promise<number> => {
  const s = await openStore(url);
  try {
    let seen = 0;
    for (let i = 0; i < 300; i++) {
      seen = (await s.readAll({ maxCount: count + 10 })).length;
      if (seen >= count) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
    return seen;
  } finally {
    await s.close();
  }
};

type Line = {
  stream: string;
  version: number;
  position: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
};
/** The event lines of a backup (its header and account lines left out). */
const parse = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line & { format?: string; account?: unknown })
    .filter((l) => l.format === undefined && l.account === undefined);
/** The first line (1-based) where two exports differ once the named fields are left out; 0 when none does. */
const firstDifference = (a: string, b: string, ignore: readonly (keyof Line)[]): { line: number; a?: string; b?: string } => {
  const strip = (text: string): string[] =>
    parse(text).map((l) => JSON.stringify(Object.fromEntries(Object.entries(l).filter(([k]) => !ignore.includes(k as keyof Line)))));
  const [x, y] = [strip(a), strip(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if (x[i] !== y[i]) return { line: i + 1, ...(x[i] === undefined ? {} : { a: x[i] }), ...(y[i] === undefined ? {} : { b: y[i] }) };
  return { line: 0 };
};
const comparePosition = (a: string, b: string): number => {
  const [ac, ap] = a.split(':').map(BigInt) as [bigint, bigint];
  const [bc, bp] = b.split(':').map(BigInt) as [bigint, bigint];
  return ac === bc ? (ap < bp ? -1 : ap > bp ? 1 : 0) : ac < bc ? -1 : 1;
};

const firstExport = join(dir, 'first.ndjson');

t.test('export writes the whole log in global order, across pages, with a summary on stderr', async (t) => {
  t.equal(await waitUntilReadable(source, TOTAL), TOTAL, 'the log is readable');
  const r = await runInProcess(['export', '--out', firstExport], cliEnv(source));
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, '', 'nothing on stdout when writing a file');
  const lines = parse(await readFile(firstExport, 'utf8'));
  t.equal(lines.length, TOTAL, 'every event');
  t.ok(
    lines.every((l, i) => i === 0 || comparePosition(lines[i - 1]?.position ?? '0:0', l.position) < 0),
    'positions strictly increase',
  );
  t.same(
    lines.filter((l) => l.stream === 'audit-main').map((l) => l.version),
    Array.from({ length: 1200 }, (_, i) => i),
    'a stream in version order',
  );
  t.match(
    r.stderr,
    new RegExp(
      `^exported 0 accounts and ${TOTAL} events, last position ${lines.at(-1)?.position} to ${firstExport} \\(backup format 2\\)\\n$`,
    ),
  );
  const header = JSON.parse((await readFile(firstExport, 'utf8')).split('\n')[0] ?? '{}') as Record<string, unknown>;
  t.match(header, { format: 'marquee-backup', formatVersion: 2 }, 'the first line names the format and its version');
  await t.rejects(access(`${firstExport}.partial`), 'no partial file is left behind');
});

t.test('export refuses to overwrite a file', async (t) => {
  const r = await runInProcess(['export', '--out', firstExport], cliEnv(source));
  t.equal(r.code, 1);
  t.match(r.stderr, /already exists/);
});

t.test('export --from continues after a position, and to stdout', async (t) => {
  const lines = parse(await readFile(firstExport, 'utf8'));
  const cut = lines[TOTAL - 11]?.position ?? '';
  const r = await runInProcess(['export', '--from', cut], cliEnv(source));
  t.equal(r.code, 0, r.stderr);
  t.same(
    parse(r.stdout).map((l) => l.id),
    lines.slice(TOTAL - 10).map((l) => l.id),
    'the ten events after it',
  );
});

let reimported = '';

t.test('import into a fresh database, then export again: the same events, ids, versions, types, data and metadata', async (t) => {
  const target = await freshDatabase(t);
  const imported = await runInProcess(['import', firstExport], cliEnv(target));
  t.equal(imported.code, 0, imported.stderr);
  t.equal(imported.stderr, `imported 0 accounts and ${TOTAL} events into 10 streams (backup format 2)\n`);
  t.equal(await waitUntilReadable(target, TOTAL), TOTAL, 'the imported log is readable');
  const again = await runInProcess(['export'], cliEnv(target));
  t.equal(again.code, 0, again.stderr);
  reimported = again.stdout;
  const before = await readFile(firstExport, 'utf8');
  t.equal(parse(again.stdout).length, TOTAL);
  t.same(
    firstDifference(before, again.stdout, ['position', 'recordedAt']),
    { line: 0 },
    'identical line for line, bytes included, but for positions and times',
  );
  const reopened = await openStore(target);
  t.teardown(() => reopened.close());
  const main = await reopened.readStream('audit-main', { fromVersion: 1199 });
  t.equal(main[0]?.version, 1199, 'versions were kept, so commands can carry on appending');
  await reopened.append('audit-main', [{ type: 'AuditNoted', data: {} }], { expectedVersion: 1199 });
});

t.test('the round trip keeps recording times too', async (t) => {
  const before = await readFile(firstExport, 'utf8');
  t.same(firstDifference(before, reimported, ['position']), { line: 0 }, 'identical but for positions');
});

t.test('import refuses a store that already holds events, and changes nothing', async (t) => {
  const before = (await store.readAll({ maxCount: 10_000 })).length;
  const r = await runInProcess(['import', firstExport], cliEnv(source));
  t.equal(r.code, 1);
  t.equal(r.stderr.split('\n').length, 2, 'one line');
  t.match(r.stderr, /^marquee import: the event store already holds events; import loads only into an empty service\n$/);
  t.equal((await store.readAll({ maxCount: 10_000 })).length, before);
});

t.test('import checks the whole file before writing anything', async (t) => {
  const target = await freshDatabase(t);
  const good = (await readFile(firstExport, 'utf8')).split('\n').slice(0, 5);
  const cases: [string, string, RegExp][] = [
    ['bad-json', [...good.slice(0, 3), '{"stream": oops', ...good.slice(3)].join('\n'), /bad-json\.ndjson:4: not valid JSON/],
    [
      'gap',
      [good[0], ...good.slice(2)].join('\n'),
      /gap\.ndjson:4: stream venue-\S+ has version 1 after no event; versions must run 0, 1, 2, \.\.\. per stream/,
    ],
    ['missing-field', [good[0], good[1], JSON.stringify({ ...JSON.parse(good[2] ?? '{}'), type: undefined })].join('\n'), /:3: type: /],
    [
      'newer-format',
      [JSON.stringify({ format: 'marquee-backup', formatVersion: 3 }), ...good.slice(1)].join('\n'),
      /is backup format 3, written by a newer Marquee; this one reads formats 1 to 2/,
    ],
    [
      'bad-account',
      [good[0], JSON.stringify({ account: { id: 'x' } }), ...good.slice(1)].join('\n'),
      /bad-account\.ndjson:2: account\.id: Invalid UUID/,
    ],
  ];
  for (const [name, text, message] of cases) {
    const file = join(dir, `${name}.ndjson`);
    await writeFile(file, text);
    const r = await runInProcess(['import', file], cliEnv(target));
    t.equal(r.code, 1, `${name}: refused`);
    t.match(r.stderr, message, `${name}: says what and where`);
  }
  const check = await openStore(target);
  t.teardown(() => check.close());
  t.same(await check.readAll({ maxCount: 1 }), [], 'nothing was written');
});

t.test('an export from before accounts travelled (format 1: events only, no header) still imports', async (t) => {
  const target = await freshDatabase(t);
  const file = join(dir, 'format-1.ndjson');
  await writeFile(file, (await readFile(firstExport, 'utf8')).split('\n').slice(1, 4).join('\n'));
  const r = await runInProcess(['import', file], cliEnv(target));
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /imported 0 accounts and 3 events .*\(backup format 1: events only, no accounts\)/);
});

t.test('the CLI as a child process: export | import round trip through files', async (t) => {
  const target = await freshDatabase(t);
  const file = join(dir, 'child.ndjson');
  const ex = await runChild(['export', '--out', file], cliEnv(source));
  t.equal(ex.code, 0, ex.stderr);
  const im = await runChild(['import', file], cliEnv(target));
  t.equal(im.code, 0, im.stderr);
  t.equal(await waitUntilReadable(target, TOTAL), TOTAL, 'every event');
});
