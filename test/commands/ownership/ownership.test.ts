import { randomUUID } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import type { Test } from 'tap';
import { domainEvent, openPgEventStore, type EventStore } from '../../../src/commands/event-store/index.js';
import {
  OwnerUnavailableError,
  connectNatsForwarding,
  createOwnedTicketing,
  createPgLeases,
  type Leases,
  type OwnedTicketing,
  type OwnershipEvent,
} from '../../../src/commands/ownership/index.js';
import type { BatchInfo } from '../../../src/commands/stream-writer/index.js';
import { createTicketing, type Ticketing } from '../../../src/commands/ticketing/index.js';
import { DomainError } from '../../../src/domain/shared/index.js';
import type { Layout } from '../../../src/domain/venue/index.js';
import { freshDatabase, natsUrlOrSkip } from '../../support/services.js';

const quiet = { info: () => undefined, warn: () => undefined };

const layout: Layout = {
  sections: [{ id: 'A', name: 'Block A', kind: 'seated', rows: [1, 2, 3, 4].map((r) => ({ label: String(r), seats: 50 })) }],
};
const details = {
  name: 'Riverside Arena',
  address: '1 Quay St',
  city: 'Manchester',
  country: 'GB',
  location: { lat: 53.4794, lng: -2.2453 },
  timezone: 'Europe/London',
};

const schedule = async (ticketing: Ticketing): Promise<string> => {
  const { venueId } = await ticketing.registerVenue({ registeredBy: 'org1', details, layout });
  const { eventId } = await ticketing.scheduleEvent({
    venueId,
    organizerId: 'org1',
    name: 'Aurora Live',
    description: 'An evening with Aurora.',
    category: 'music',
    performers: ['Aurora'],
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    onSaleAt: new Date(Date.now() - 60_000).toISOString(),
    currency: 'GBP',
    sectionPrices: { A: 5000 },
    maxTicketsPerUser: 50,
  });
  return eventId;
};

/** A process's worth of the write side: its own writers, lease session and NATS connection, on the shared store. */
type Proc = {
  readonly name: string;
  readonly ticketing: OwnedTicketing;
  readonly leases: Leases;
  readonly batches: BatchInfo[];
  readonly events: OwnershipEvent[];
};

const startProc = async (t: Test, name: string, store: EventStore, databaseUrl: string, natsUrl: string): Promise<Proc> => {
  const batches: BatchInfo[] = [];
  const events: OwnershipEvent[] = [];
  const local = createTicketing({ store, onBatch: (b) => batches.push(b) });
  const leases = createPgLeases({
    connectionString: databaseUrl,
    log: quiet,
    applicationName: `leases-${name}`,
    onLost: (keys) => ticketing.lost(keys),
  });
  const forwarding = await connectNatsForwarding({ url: natsUrl, log: quiet });
  const ticketing = createOwnedTicketing({ local, leases, forwarding, log: quiet, onEvent: (e) => events.push(e) });
  let closed = false;
  t.teardown(async () => {
    if (!closed) await ticketing.close();
    await leases.close();
    await forwarding.close();
  });
  return {
    name,
    ticketing: {
      ...ticketing,
      close: async () => {
        closed = true;
        await ticketing.close();
      },
    },
    leases,
    batches,
    events,
  };
};

const pairs = (n: number): string[][] =>
  Array.from({ length: n }, (_, i) => {
    const row = 1 + (i % 4);
    const seat = 1 + ((i * 7) % 49);
    return [`A-${row}-${seat}`, `A-${row}-${seat + 1}`];
  });

const heldSeats = async (store: EventStore, eventId: string): Promise<string[]> =>
  (await store.readStream(`event-${eventId}`)).flatMap((e) =>
    e.type === 'SeatsHeld' ? [...(e.data as { seats: readonly string[] }).seats] : [],
  );

t.test('PostgreSQL advisory-lock leases', async (t) => {
  const url = await freshDatabase(t);
  const lost: string[][] = [];
  const a = createPgLeases({ connectionString: url, log: quiet, applicationName: 'leases-a', onLost: (k) => lost.push([...k]) });
  const b = createPgLeases({ connectionString: url, log: quiet, applicationName: 'leases-b', onLost: () => undefined });
  t.teardown(() => Promise.all([a.close(), b.close()]));

  t.ok(await a.tryAcquire('e1'), 'the first process gets the lease');
  t.ok(await a.tryAcquire('e1'), 'asking again for a lease it holds is yes');
  t.notOk(await b.tryAcquire('e1'), 'a second process does not');
  t.ok(await b.tryAcquire('e2'), 'another event is free for the second process');
  await a.release('e1');
  t.notOk(a.holds('e1'), 'released');
  t.ok(await b.tryAcquire('e1'), 'a released lease is free at once');

  t.ok(await a.tryAcquire('e3'), 'a lease on a third event');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  const startedAt = Date.now();
  await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'leases-a'");
  await t.resolves(async () => {
    while (!(await b.tryAcquire('e3'))) await new Promise((r) => setTimeout(r, 10));
  }, 'when the holding session dies, the lease is free for others');
  t.comment(`measured: lease free ${Date.now() - startedAt} ms after its session was terminated`);
  for (let i = 0; i < 100 && lost.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  t.same(lost, [['e3']], 'the holder is told which leases it lost');
  t.notOk(a.holds('e3'), 'and no longer claims them');
  t.ok(await a.tryAcquire('e4'), 'its next acquisition reconnects');
});

t.test('one owner per event across processes', async (t) => {
  const natsUrl = natsUrlOrSkip(t);
  if (!natsUrl) return;
  const url = await freshDatabase(t);
  const store = await openPgEventStore({ decode: domainEvent, connectionString: url, poolMax: 6 });
  t.teardown(() => store.close());
  const procs = [
    await startProc(t, 'p1', store, url, natsUrl),
    await startProc(t, 'p2', store, url, natsUrl),
    await startProc(t, 'p3', store, url, natsUrl),
  ] as const;
  const [p1, p2, p3] = procs;
  const eventId = await schedule(p1.ticketing);
  t.same(p1.ticketing.owned(), [eventId], 'the process that scheduled the event owns its writer');

  await t.test('holds through all three processes: one writer, no conflicts, no seat twice, answers unchanged', async (t) => {
    const conflictsBefore = procs.reduce((n, p) => n + p.batches.reduce((m, b) => m + b.conflicts, 0), 0);
    const outcomes = await Promise.allSettled(
      pairs(300).map((seats, i) => procs[i % 3]!.ticketing.hold(eventId, { userId: `u${i}`, seats }, { userId: `u${i}` })),
    );
    const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    t.ok(ok.length > 0 && refused.length > 0, `some held (${ok.length}), some refused (${refused.length})`);
    t.ok(
      refused.every(
        (e) =>
          e instanceof DomainError &&
          e.code === 'seats-unavailable' &&
          Array.isArray(e.details.unavailable) &&
          e.message.startsWith('No longer available: '),
      ),
      'refusals arrive as the owner raised them: DomainError seats-unavailable with its details',
    );
    const held = await heldSeats(store, eventId);
    t.equal(new Set(held).size, held.length, `no seat held twice (${held.length} seats)`);
    t.equal(held.length, ok.length * 2, 'every acknowledged hold is in the stream');
    t.same(
      procs.map((p) => p.ticketing.owned().length),
      [1, 0, 0],
      'still exactly one owner',
    );
    const conflicts = procs.reduce((n, p) => n + p.batches.reduce((m, b) => m + b.conflicts, 0), 0) - conflictsBefore;
    t.equal(conflicts, 0, 'no append was refused for its expected version');
    t.equal(p2.batches.length + p3.batches.length, 0, 'the other processes appended nothing');
    t.ok(p2.events.includes('forwarded') && p1.events.includes('served'), 'their commands were forwarded to the owner');
  });

  await t.test('an idempotency key works across processes', async (t) => {
    const key = randomUUID();
    const first = await p2.ticketing.hold(eventId, { userId: 'idem', seats: ['A-4-50'], idempotencyKey: key });
    const again = await p3.ticketing.hold(eventId, { userId: 'idem', seats: ['A-4-50'], idempotencyKey: key });
    t.equal(again.booking.id, first.booking.id, 'the same key through another process answers the first booking');
    t.same(again.events, [], 'and records nothing');
    await t.rejects(
      p1.ticketing.hold(eventId, { userId: 'idem', seats: ['A-3-50'], idempotencyKey: key }),
      { name: 'DomainError', code: 'idempotency-key-reused', details: { bookingId: first.booking.id } },
      'the same key with another body is refused, as on one process',
    );
  });

  await t.test('event commands forwarded come back with the state that includes them', async (t) => {
    const r = await p3.ticketing.changeEventDetails(eventId, { name: 'Aurora Live (late show)' }, { userId: 'org1' });
    t.equal(r.state.status === 'scheduled' ? r.state.event.name : undefined, 'Aurora Live (late show)');
    t.equal(p3.ticketing.owned().length, 0, 'and the owner did not move');
  });

  await t.test('waitlist commands forwarded come back with their entry, as on the owner', async (t) => {
    const joined = await p2.ticketing.joinWaitlist(eventId, { userId: 'wl', quantity: 2 }, { userId: 'wl' });
    t.equal(joined.created, true, 'a new entry');
    t.match(joined.entry, { eventId, userId: 'wl', quantity: 2 }, 'the entry the owner recorded');
    const again = await p3.ticketing.joinWaitlist(eventId, { userId: 'wl', quantity: 2 }, { userId: 'wl' });
    t.equal(again.entry.id, joined.entry.id, 'joining again through another process is the same entry');
    t.equal(again.created, false);
    t.equal(p2.batches.length + p3.batches.length, 0, 'the owner appended them');
  });

  await t.test('a command whose caller has given up is not started', async (t) => {
    const forwarding = await connectNatsForwarding({ url: natsUrl, log: quiet });
    t.teardown(() => forwarding.close());
    const reply = await forwarding.request({ op: 'hold', eventId, args: [{ userId: 'late', seats: ['A-1-1'] }], budgetMs: 0 }, 2_000);
    t.same(reply, { error: { kind: 'expired' } });
  });

  await t.test('the owner hands over mid-storm: every command answered, another process owns, no seat twice', async (t) => {
    let stopped = false;
    const outcomes: PromiseSettledResult<unknown>[] = [];
    let n = 0;
    const loops = [p2, p3].map(async (p) => {
      while (!stopped) {
        n += 1;
        const seats = pairs(200)[n % 200]!;
        outcomes.push(...(await Promise.allSettled([p.ticketing.hold(eventId, { userId: `h${n % 40}`, seats, idempotencyKey: `h${n}` })])));
        // A refusal decided in memory resolves without I/O: let timers run between holds, as sockets would.
        await new Promise((r) => setImmediate(r));
      }
    });
    while (outcomes.length < 40) await new Promise((r) => setTimeout(r, 5));
    await p1.ticketing.close();
    const closedAt = outcomes.length;
    while (outcomes.length < closedAt + 40) await new Promise((r) => setTimeout(r, 5));
    stopped = true;
    await Promise.all(loops);
    const odd = outcomes.flatMap((o) =>
      o.status === 'rejected' && !(o.reason instanceof DomainError && o.reason.code === 'seats-unavailable') ? [String(o.reason)] : [],
    );
    t.same(odd, [], `every hold was decided, before and after the hand-over (${outcomes.length})`);
    t.same(p1.ticketing.owned(), [], 'the old owner holds nothing');
    t.equal(p2.ticketing.owned().length + p3.ticketing.owned().length, 1, 'one of the others took over');
    const held = await heldSeats(store, eventId);
    t.equal(new Set(held).size, held.length, 'no seat held twice');
  });

  await t.test("the owner's lease session dies: another process takes over within seconds", async (t) => {
    const owner = [p2, p3].find((p) => p.ticketing.owned().length > 0)!;
    const other = owner === p2 ? p3 : p2;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    t.teardown(() => admin.end());
    const killedAt = Date.now();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`leases-${owner.name}`]);
    let n = 0;
    for (;;) {
      n += 1;
      const r = await other.ticketing.hold(eventId, { userId: `k${n}`, seats: [`A-${1 + (n % 4)}-50`], idempotencyKey: `k${n}` }).then(
        () => 'held',
        (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
      );
      if (other.ticketing.owned().length === 1) break;
      t.ok(r === 'held' || r === 'seats-unavailable', `meanwhile answered: ${r}`);
      if (Date.now() - killedAt > 5_000) break;
    }
    t.equal(other.ticketing.owned().length, 1, `taken over ${Date.now() - killedAt} ms after the lease session died`);
    t.ok(Date.now() - killedAt < 5_000, 'within 5 s');
    t.ok(owner.events.includes('lost'), 'the old owner noticed it lost the lease');
  });
});

t.test('without an owner in reach, a command waits for its deadline and then answers unavailable', async (t) => {
  const natsUrl = natsUrlOrSkip(t);
  if (!natsUrl) return;
  const url = await freshDatabase(t);
  const store = await openPgEventStore({ decode: domainEvent, connectionString: url, poolMax: 2 });
  t.teardown(() => store.close());
  const holder = createPgLeases({ connectionString: url, log: quiet, onLost: () => undefined });
  t.teardown(() => holder.close());
  const p = await startProc(t, 'waiting', store, url, natsUrl);
  const eventId = randomUUID();
  // A lease holder that serves nobody (as a process that lost NATS): with orphanMs past the deadline, the caller gives up.
  t.ok(await holder.tryAcquire(eventId));
  const forwarding = await connectNatsForwarding({ url: natsUrl, log: quiet });
  t.teardown(() => forwarding.close());
  const strict = createOwnedTicketing({
    local: createTicketing({ store }),
    leases: p.leases,
    forwarding,
    log: quiet,
    deadlineMs: 300,
    orphanMs: 10_000,
  });
  const started = Date.now();
  await t.rejects(strict.hold(eventId, { userId: 'u', seats: ['A-1-1'] }), OwnerUnavailableError);
  t.ok(Date.now() - started >= 300 && Date.now() - started < 2_000, `answered after the deadline (${Date.now() - started} ms)`);
});
