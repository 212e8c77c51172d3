import t from 'tap';
import type { Test } from 'tap';
import { openPgEventStore } from '../../../src/commands/event-store/index.js';
import type { EventStore } from '../../../src/commands/event-store/index.js';
import { createStreamWriters } from '../../../src/commands/stream-writer/index.js';
import { OverloadedError, WriterClosedError } from '../../../src/commands/stream-writer/stream-writer.js';
import type { BatchInfo, StreamWriters, WriterChange } from '../../../src/commands/stream-writer/index.js';
import { DomainError } from '../../../src/domain/shared/index.js';
import { freshDatabase } from '../../support/services.js';
import { arriving } from '../../support/arriving.js';
import { claimEvent, claimsDecider } from './claims-decider.js';
import type { ClaimCommand, ClaimEvent, ClaimState } from './claims-decider.js';

const streamName = (id: string): string => `claims-${id}`;

const openStore = async (t: Test, url: string): Promise<EventStore<ClaimEvent>> => {
  const store = await openPgEventStore({ decode: claimEvent, connectionString: url, poolMax: 4 });
  t.teardown(() => store.close());
  return store;
};

const writersOn = (
  store: EventStore<ClaimEvent>,
  extra: Partial<Parameters<typeof createStreamWriters<ClaimCommand, ClaimEvent, ClaimState>>[0]> = {},
): StreamWriters<ClaimCommand, ClaimEvent, ClaimState> => createStreamWriters({ store, decider: claimsDecider, streamName, ...extra });

/** A deterministic pseudo-random pair of keys out of `range`. */
const pairs = (n: number, range: number): string[][] => {
  let x = 12345;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % range;
  };
  return Array.from({ length: n }, () => {
    const a = next();
    let b = next();
    if (b === a) b = (a + 1) % range;
    return [`k${a}`, `k${b}`];
  });
};

const claimed = async (store: EventStore<ClaimEvent>, id: string): Promise<{ keys: string[]; events: number }> => {
  const recorded = await store.readStream(streamName(id));
  const keys = recorded.flatMap((e) => (e.type === 'Claimed' ? e.data.keys : []));
  return { keys, events: recorded.length };
};

t.test('the stream writer', async (t) => {
  const url = await freshDatabase(t);
  const store = await openStore(t, url);

  t.test('500 concurrent claims on overlapping keys are each answered once and never claim a key twice', async (t) => {
    const batches: BatchInfo[] = [];
    const writers = writersOn(store, { onBatch: (b) => batches.push(b) });
    t.teardown(() => writers.close());
    const answers = new Array<number>(500).fill(0);
    const outcomes = await arriving(pairs(500, 300), (keys, i) =>
      writers.execute('hot', { type: 'Claim', by: `u${i}`, keys }).finally(() => {
        answers[i] = (answers[i] ?? 0) + 1;
      }),
    );
    t.ok(
      answers.every((n) => n === 1),
      'every caller answered exactly once',
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const rejections = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    t.ok(
      rejections.every((e) => e instanceof DomainError && e.code === 'seats-unavailable'),
      'only domain rejections',
    );
    t.ok(accepted > 0 && rejections.length > 0, `${accepted} accepted, ${rejections.length} rejected`);

    const { keys, events } = await claimed(store, 'hot');
    t.equal(new Set(keys).size, keys.length, 'no key claimed twice in the stream');
    t.equal(events, accepted, 'accepted commands equal Claimed events in the stream');
    const { state, version } = await writers.state('hot');
    t.equal(version, events - 1);
    t.equal(state.claims, accepted);
    t.ok(Math.max(...batches.map((b) => b.events)) > 1, 'some appends carried several commands (group commit)');
    t.comment(`appends: ${batches.length}, events per append: ${(events / batches.filter((b) => b.events > 0).length).toFixed(1)}`);
  });

  t.test('each answer carries the state right after its own events and the version after its batch', async (t) => {
    const writers = writersOn(store);
    t.teardown(() => writers.close());
    const first = await writers.execute('answers', { type: 'Claim', by: 'a', keys: ['x'] });
    t.same(first.events, [{ type: 'Claimed', data: { by: 'a', keys: ['x'] } }]);
    t.equal(first.version, 0);
    t.equal(first.state.owners.get('x'), 'a');
    // Same tick: one batch of two.
    const [b, c] = await Promise.all([
      writers.execute('answers', { type: 'Claim', by: 'b', keys: ['y'] }),
      writers.execute('answers', { type: 'Claim', by: 'c', keys: ['z'] }),
    ]);
    t.equal(b.version, 2);
    t.equal(c.version, 2);
    t.equal(b.state.claims, 2, "b's state does not include c's claim");
    t.equal(c.state.claims, 3);
  });

  t.test('a rejected command appends nothing and does not fail its batch-mates', async (t) => {
    const batches: BatchInfo[] = [];
    const writers = writersOn(store, { onBatch: (b) => batches.push(b) });
    t.teardown(() => writers.close());
    const results = await Promise.allSettled([
      writers.execute('mates', { type: 'Claim', by: 'a', keys: ['p'] }),
      writers.execute('mates', { type: 'Claim', by: 'b', keys: ['p', 'q'] }),
      writers.execute('mates', { type: 'Claim', by: 'c', keys: ['q'] }),
    ]);
    t.same(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const reason = results[1]?.status === 'rejected' ? (results[1].reason as DomainError) : undefined;
    t.equal(reason?.code, 'seats-unavailable');
    t.same(
      batches.map((b) => [b.commands, b.rejected, b.events]),
      [[3, 1, 2]],
      'one batch: three commands, one rejected, two events',
    );
    const { keys } = await claimed(store, 'mates');
    t.same(keys, ['p', 'q']);
  });

  t.test('a command rejected on its own appends nothing', async (t) => {
    const writers = writersOn(store);
    t.teardown(() => writers.close());
    await writers.execute('alone', { type: 'Claim', by: 'a', keys: ['k'] });
    await t.rejects(writers.execute('alone', { type: 'Claim', by: 'b', keys: ['k'] }), { code: 'seats-unavailable' });
    await t.rejects(writers.execute('alone', { type: 'Claim', by: 'b', keys: [] }), { code: 'invalid-input' });
    t.equal((await claimed(store, 'alone')).events, 1);
  });

  t.test('metadata goes on every event of its command', async (t) => {
    const writers = writersOn(store);
    t.teardown(() => writers.close());
    const metadata = { correlationId: 'corr-1', causationId: 'cause-1', userId: 'u-1', at: '2026-11-27T10:00:00.000Z' };
    await writers.execute('meta', { type: 'Claim', by: 'a', keys: ['m'] }, metadata);
    const [event] = await store.readStream(streamName('meta'));
    t.same(event?.metadata, metadata);
  });

  t.test('a stale writer meets a version conflict, reloads and decides again', async (t) => {
    const batches: BatchInfo[] = [];
    const a = writersOn(store);
    const b = writersOn(store, { onBatch: (info) => batches.push(info) });
    t.teardown(() => Promise.all([a.close(), b.close()]));
    await a.execute('stale', { type: 'Claim', by: 'a', keys: ['s1'] });
    await b.state('stale'); // b now caches version 0
    await a.execute('stale', { type: 'Claim', by: 'a', keys: ['s2'] });
    await t.rejects(
      b.execute('stale', { type: 'Claim', by: 'b', keys: ['s2'] }),
      { code: 'seats-unavailable' },
      'decided against the reloaded state',
    );
    const ok = await b.execute('stale', { type: 'Claim', by: 'b', keys: ['s3'] });
    t.equal(ok.version, 2);
    t.equal(batches[0]?.conflicts, 1, 'the first batch met one conflict');
    t.same((await claimed(store, 'stale')).keys, ['s1', 's2', 's3']);
  });

  t.test('two writer sets on two connections to one stream stay correct under contention', async (t) => {
    const storeB = await openStore(t, url);
    let conflicts = 0;
    const count = (b: BatchInfo): void => {
      conflicts += b.conflicts;
    };
    const a = writersOn(store, { onBatch: count });
    const b = writersOn(storeB, { onBatch: count });
    t.teardown(() => Promise.all([a.close(), b.close()]));
    // Rounds of small waves, so the two sets keep overtaking each other.
    const work = pairs(600, 400);
    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (let round = 0; round < 30; round++) {
      const wave = work.slice(round * 20, round * 20 + 20);
      outcomes.push(
        ...(await Promise.allSettled(
          wave.map((keys, i) => (i % 2 === 0 ? a : b).execute('shared', { type: 'Claim', by: `u${round}-${i}`, keys })),
        )),
      );
    }
    const unexpected = outcomes.filter((o) => o.status === 'rejected' && !(o.reason instanceof DomainError));
    t.same(unexpected, [], 'no caller failed for a reason other than its own rejection');
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const { keys, events } = await claimed(store, 'shared');
    t.equal(new Set(keys).size, keys.length, 'no key claimed twice');
    t.equal(events, accepted);
    t.comment(`${accepted} accepted, ${conflicts} conflicts resolved by reload`);
    const [sa, sb] = await Promise.all([a.state('shared', { refresh: true }), b.state('shared', { refresh: true })]);
    t.equal(sa.version, events - 1);
    t.equal(sb.version, events - 1);
    t.same([...sa.state.owners].sort(), [...sb.state.owners].sort(), 'both writers agree once refreshed');
  });

  t.test('a full queue rejects at once with OverloadedError', async (t) => {
    const writers = writersOn(store, { maxQueue: 5 });
    t.teardown(() => writers.close());
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => writers.execute('full', { type: 'Claim', by: 'u', keys: [`f${i}`] })),
    );
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 5);
    const overloaded = outcomes.filter((o) => o.status === 'rejected');
    t.equal(overloaded.length, 15);
    t.ok(overloaded.every((o) => o.status === 'rejected' && o.reason instanceof OverloadedError));
    t.equal((await claimed(store, 'full')).events, 5);
    await writers.execute('full', { type: 'Claim', by: 'u', keys: ['later'] });
    t.pass('accepts again once the queue drained');
  });

  t.test('a store failure fails the whole batch, and the next command reloads and succeeds', async (t) => {
    const writers = writersOn(store);
    t.teardown(() => writers.close());
    await writers.execute('failing', { type: 'Claim', by: 'a', keys: ['before'] });
    const [poison, mate] = await Promise.allSettled([
      writers.execute('failing', { type: 'Poison' }),
      writers.execute('failing', { type: 'Claim', by: 'b', keys: ['mate'] }),
    ]);
    t.equal(poison?.status, 'rejected');
    t.equal(mate?.status, 'rejected', 'its batch-mate is not told it succeeded');
    t.notOk(mate?.status === 'rejected' && mate.reason instanceof DomainError, 'with the store error, not a domain error');
    const next = await writers.execute('failing', { type: 'Claim', by: 'b', keys: ['mate'] });
    t.equal(next.version, 1);
    t.same((await claimed(store, 'failing')).keys, ['before', 'mate']);
  });

  t.test('an evicted idle writer reloads the same state', async (t) => {
    const writers = writersOn(store, { idleMs: 20 });
    t.teardown(() => writers.close());
    await Promise.all(
      pairs(40, 1000).map((keys, i) => writers.execute('idle', { type: 'Claim', by: `u${i}`, keys }).catch(() => undefined)),
    );
    const before = await writers.state('idle');
    t.equal(writers.size, 1);
    while (writers.size > 0) await new Promise((r) => setTimeout(r, 10));
    const after = await writers.state('idle');
    t.equal(after.version, before.version);
    t.not(after.state, before.state, 'a fresh fold');
    t.same(after.state, before.state);
  });

  t.test('close finishes every accepted command, then rejects new ones', async (t) => {
    const writers = writersOn(store);
    const pending = Array.from({ length: 100 }, (_, i) => writers.execute('closing', { type: 'Claim', by: 'u', keys: [`c${i}`] }));
    await writers.close();
    const outcomes = await Promise.allSettled(pending);
    t.ok(
      outcomes.every((o) => o.status === 'fulfilled'),
      'all 100 answered with success',
    );
    t.equal((await claimed(store, 'closing')).events, 100);
    await t.rejects(writers.execute('closing', { type: 'Claim', by: 'u', keys: ['late'] }), WriterClosedError);
    await t.rejects(writers.state('closing'), WriterClosedError);
  });

  t.test('state of a stream that does not exist is the initial state at version -1', async (t) => {
    const writers = writersOn(store);
    t.teardown(() => writers.close());
    const { state, version } = await writers.state('nothing');
    t.equal(version, -1);
    t.equal(state, claimsDecider.initialState);
  });

  t.test('onChange tells every durable step in stream order: its appends, what other writers appended, then forgetting', async (t) => {
    const changes: WriterChange<ClaimEvent, ClaimState>[] = [];
    const writers = writersOn(store, { idleMs: 50, onChange: (id, c) => id === 'told' && changes.push(c) });
    const other = writersOn(store);
    t.teardown(() => other.close());
    t.teardown(() => writers.close());
    await writers.execute('told', { type: 'Claim', by: 'a', keys: ['x'] });
    await other.execute('told', { type: 'Claim', by: 'b', keys: ['y'] });
    await writers.execute('told', { type: 'Claim', by: 'c', keys: ['z'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = changes.map((c) =>
      c.kind === 'advanced' ? { version: c.version, by: c.events.map((e) => (e.type === 'Claimed' ? e.data.by : '?')) } : c.kind,
    );
    t.strictSame(seen, [{ version: 0, by: ['a'] }, { version: 1, by: ['b'] }, { version: 2, by: ['c'] }, 'forgotten']);
    const advanced = changes.flatMap((c) => (c.kind === 'advanced' ? [c] : []));
    advanced.slice(1).forEach((c, i) => t.equal(c.before, advanced[i]!.state, `step ${i + 1} starts where step ${i} ended`));
    t.strictSame(
      [...(advanced.at(-1)?.state.owners ?? [])],
      [
        ['x', 'a'],
        ['y', 'b'],
        ['z', 'c'],
      ],
    );
  });

  t.test('a throwing onChange does not fail the append it was told of', async (t) => {
    const writers = writersOn(store, {
      onChange: () => {
        throw new Error('a listener bug');
      },
    });
    t.teardown(() => writers.close());
    const r = await writers.execute('told-badly', { type: 'Claim', by: 'a', keys: ['x'] });
    t.equal(r.version, 0);
    t.strictSame((await claimed(store, 'told-badly')).keys, ['x']);
  });
});
