import t from 'tap';
import { domainEvent, openPgEventStore } from '../../../src/commands/event-store/index.js';
import { createLiveSeatMaps, createTicketing, type LiveSeatDelta, type Ticketing } from '../../../src/commands/ticketing/index.js';
import { seatMapView, type SeatMapView } from '../../../src/domain/ticketed-event/index.js';
import type { Layout } from '../../../src/domain/venue/index.js';
import { freshDatabase } from '../../support/services.js';

const ON_SALE = '2027-01-01T10:00:00.000Z';
const layout: Layout = {
  sections: [
    { id: 'A', name: 'Block A', kind: 'seated', rows: [1, 2].map((r) => ({ label: String(r), seats: 25 })) },
    { id: 'PIT', name: 'Pit', kind: 'standing', capacity: 50 },
  ],
};

/** A client's copy of a map: seat lines and standing places, with each delta applied as the SSE client does. */
const copyOf = (map: SeatMapView) => {
  const lines = new Map<string, string | number>();
  for (const s of map.sections) {
    if (s.kind === 'standing') lines.set(s.id, s.available);
    else for (const r of s.rows) lines.set(`${s.id}-${r.label}`, r.seats);
  }
  let version = map.version;
  return {
    apply(d: LiveSeatDelta) {
      if (d.version <= version) throw new Error(`delta ${d.version} after ${version}`);
      version = d.version;
      for (const [seat, status] of Object.entries(d.changes)) {
        const [section, row, n] = seat.split('-');
        const line = lines.get(`${section}-${row}`) as string;
        const i = Number(n) - 1;
        lines.set(`${section}-${row}`, line.slice(0, i) + status + line.slice(i + 1));
      }
      for (const [section, left] of Object.entries(d.standing)) lines.set(section, left);
    },
    get version() {
      return version;
    },
    same: (other: SeatMapView | undefined) => JSON.stringify([...lines]) === JSON.stringify([...(other ? copyOf(other).lines : [])]),
    lines,
  };
};

/** A minute after the on-sale opened. */
const clock = () => new Date(Date.parse(ON_SALE) + 60_000);

/** A venue of `layout` and an event on sale in it, through `ticketing`. */
const scheduleOn = async (ticketing: Ticketing): Promise<string> => {
  const { venueId } = await ticketing.registerVenue({
    registeredBy: 'org1',
    details: { name: 'Hall', address: '1 St', city: 'Leeds', country: 'GB', location: { lat: 53.8, lng: -1.5 }, timezone: 'Europe/London' },
    layout,
  });
  const { eventId } = await ticketing.scheduleEvent({
    venueId,
    organizerId: 'org1',
    name: 'Live',
    description: 'd',
    category: 'music',
    performers: ['P'],
    startsAt: '2027-03-01T19:30:00.000Z',
    onSaleAt: ON_SALE,
    currency: 'GBP',
    sectionPrices: { A: 5000, PIT: 2000 },
    maxTicketsPerUser: 50,
  });
  return eventId;
};

t.test('live seat maps follow the event writer of this process', async (t) => {
  const url = await freshDatabase(t);
  const store = await openPgEventStore({ decode: domainEvent, connectionString: url, poolMax: 4 });
  t.teardown(() => store.close());
  const live = createLiveSeatMaps();
  const started: string[] = [];
  live.onAvailable((id) => started.push(id));
  const ticketing = createTicketing({ store, onEventChange: live.onEventChange, now: clock });
  // Another process's writer on the same store: what it appends reaches this one through the stream.
  const other = createTicketing({ store, now: clock });
  t.teardown(() => other.close());

  t.equal(
    live.open('nope', () => undefined),
    undefined,
    'an event whose writer is not here has no live map',
  );
  const eventId = await scheduleOn(ticketing);
  t.strictSame(started, [eventId], 'the writer announced the event when it started');

  const heard: (LiveSeatDelta | 'ended')[] = [];
  const opened = live.open(eventId, (d) => heard.push(d));
  if (!opened) throw new Error('no live map right after scheduling');
  t.equal(opened.map.version, 0);
  t.ok(
    [...copyOf(opened.map).lines.values()].every((v) => v === 'A'.repeat(25) || v === 50),
    'everything available',
  );

  const client = copyOf(opened.map);
  const holds = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) =>
      ticketing.hold(eventId, { userId: `u${i % 7}`, seats: [`A-${1 + (i % 2)}-${1 + (i % 19)}`, `A-${1 + (i % 2)}-${2 + (i % 19)}`] }),
    ),
  );
  const accepted = holds.filter((h) => h.status === 'fulfilled');
  const first = accepted[0];
  if (first?.status !== 'fulfilled') throw new Error('no hold was accepted');
  await ticketing.hold(eventId, { userId: 'u9', seats: [], standing: [{ sectionId: 'PIT', quantity: 4 }] });
  await ticketing.release(eventId, first.value.booking.id, first.value.booking.userId);
  // The other writer holds a seat; this writer learns of it when its next append meets the newer version.
  await other.hold(eventId, { userId: 'x1', seats: ['A-2-25'] });
  await ticketing.hold(eventId, { userId: 'u8', seats: ['A-1-25'] });

  for (const d of heard) if (d !== 'ended') client.apply(d);
  const { state, version } = await ticketing.eventState(eventId);
  t.equal(client.version, version, 'the deltas reach the stream version');
  t.ok(client.same(seatMapView(state, version)), 'the opened map with every delta applied is the writer state');
  t.equal(client.lines.get('PIT'), 46, 'standing places followed');
  t.equal((client.lines.get('A-2') as string)[24], 'H', "the other writer's hold arrived through the stream");

  await ticketing.close();
  t.equal(heard.at(-1), 'ended', 'a closed writer ends its live maps');
  t.equal(
    live.open(eventId, () => undefined),
    undefined,
    'and has none to open',
  );
});

t.test('a live map whose listener fails ends, and the append it followed still succeeds', async (t) => {
  const url = await freshDatabase(t);
  const store = await openPgEventStore({ decode: domainEvent, connectionString: url, poolMax: 2 });
  t.teardown(() => store.close());
  const failures: string[] = [];
  const live = createLiveSeatMaps({ onError: (_err, eventId) => failures.push(eventId) });
  const ticketing = createTicketing({ store, onEventChange: live.onEventChange, now: clock });
  t.teardown(() => ticketing.close());
  const eventId = await scheduleOn(ticketing);
  const heard: (LiveSeatDelta | 'ended')[] = [];
  live.open(eventId, (d) => {
    heard.push(d);
    if (d !== 'ended') throw new Error('a listener bug');
  });
  const held = await ticketing.hold(eventId, { userId: 'u1', seats: ['A-1-1'] });
  t.equal(held.booking.status, 'held', 'the hold is answered as held');
  t.strictSame(failures, [eventId], 'the failure is reported');
  t.equal(heard.at(-1), 'ended', 'and the map ended for its listeners');
  await ticketing.hold(eventId, { userId: 'u2', seats: ['A-1-2'] });
  const again = live.open(eventId, () => undefined);
  t.equal(
    (again?.map.sections[0] as { rows: { seats: string }[] } | undefined)?.rows[0]?.seats.slice(0, 2),
    'HH',
    'the next step opens it afresh',
  );
});
