import fc from 'fast-check';
import t from 'tap';
import {
  seatMapChanges,
  seatMapView,
  ticketedEvent,
  type SeatMapView,
  type SeatMapChanges,
  type TicketedEventEvent,
  type TicketedEventState,
} from '../../../src/domain/ticketed-event/index.js';
import { decideHistory, planArb } from './histories.js';
import { at, confirmedBooking, held, released, scheduled, stateOf } from './fixtures.js';

/** The map's seat lines and standing places, keyed for comparison. */
const lines = (map: SeatMapView | undefined): Record<string, string | number> => {
  const out: Record<string, string | number> = {};
  for (const s of map?.sections ?? []) {
    if (s.kind === 'standing') out[s.id] = s.available;
    else for (const r of s.rows) out[`${s.id}-${r.label}`] = r.seats;
  }
  return out;
};

/** What a client does with a delta: sets each named seat and each standing section. */
const applyChanges = (map: Record<string, string | number>, d: SeatMapChanges): void => {
  for (const [seat, status] of Object.entries(d.changes)) {
    const [section, row, n] = seat.split('-');
    const key = `${section}-${row}`;
    const line = map[key] as string;
    const i = Number(n) - 1;
    map[key] = line.slice(0, i) + status + line.slice(i + 1);
  }
  Object.assign(map, d.standing);
};

const fold = (events: readonly TicketedEventEvent[]): TicketedEventState => events.reduce(ticketedEvent.evolve, ticketedEvent.initialState);

t.test('given a scheduled event, its map is every seat available, at the version asked for', async (t) => {
  const map = seatMapView(stateOf([scheduled]), 0);
  t.strictSame(map, {
    eventId: 'e1',
    version: 0,
    currency: 'GBP',
    sections: [
      {
        id: 'A',
        name: 'Block A',
        kind: 'seated',
        price: 5000,
        rows: [
          { label: '1', seats: 'AAAAA' },
          { label: '2', seats: 'AAAAA' },
        ],
      },
      { id: 'B', name: 'Block B', kind: 'seated', price: 3000, rows: [{ label: '1', seats: 'AAA' }] },
      { id: 'PIT', name: 'Standing pit', kind: 'standing', price: 2000, capacity: 10, available: 10 },
    ],
  });
});

t.test('an event that is not scheduled has no map', async (t) => {
  t.equal(seatMapView(stateOf([]), -1), undefined);
});

t.test('given holds, a confirmation and standing places, the map shows held, sold and what is left', async (t) => {
  const s = stateOf([
    ...confirmedBooking,
    held({ bookingId: 'b2', userId: 'u2', seats: ['B-1-3'], standing: [{ sectionId: 'PIT', quantity: 4 }], now: at(3) }),
  ]);
  t.strictSame(lines(seatMapView(s, 5)), { 'A-1': 'SSAAA', 'A-2': 'AAAAA', 'B-1': 'AAH', PIT: 6 });
});

t.test('a hold past its deadline stays held on the map until its release is recorded', async (t) => {
  const s = stateOf([scheduled, held()]);
  t.equal(lines(seatMapView(s, 1))['A-1'], 'HHAAA', 'as the read model shows it until the sweeper records the expiry');
  t.equal(lines(seatMapView(fold([scheduled, held(), released('b1', 'expired', at(7))]), 2))['A-1'], 'AAAAA');
});

t.test('when a hold is placed, the changes name its seats as held and the standing places left', async (t) => {
  const before = stateOf([scheduled]);
  const e = held({ seats: ['A-2-5'], standing: [{ sectionId: 'PIT', quantity: 3 }] });
  t.strictSame(seatMapChanges(before, ticketedEvent.evolve(before, e), [e]), { changes: { 'A-2-5': 'H' }, standing: { PIT: 7 } });
});

t.test('when a seat lapsed and was held again, releasing the old hold leaves it with its new holder', async (t) => {
  const history = [scheduled, held({ seats: ['A-1-1'] }), held({ bookingId: 'b2', userId: 'u2', seats: ['A-1-1'], now: at(7) })];
  const before = stateOf(history);
  const e = released('b1', 'expired', at(8), ['A-1-1']);
  t.strictSame(seatMapChanges(before, ticketedEvent.evolve(before, e), [e]).changes, { 'A-1-1': 'H' });
});

t.test('a step that names no booking changes nothing on the map', async (t) => {
  const before = stateOf([scheduled]);
  const e: TicketedEventEvent = {
    type: 'WaitingRoomConfigured',
    data: { eventId: 'e1', enabled: true, opensAt: at(0), admitPerMinute: 100, accessSeconds: 600 },
  };
  t.strictSame(seatMapChanges(before, ticketedEvent.evolve(before, e), [e]), { changes: {}, standing: {} });
});

t.test('on random histories, the first map with every later batch of changes applied is the last map', async (t) => {
  let compared = 0;
  fc.assert(
    fc.property(planArb, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }), (plan, cuts) => {
      const { events } = decideHistory(plan);
      let state = ticketedEvent.evolve(ticketedEvent.initialState, events[0]!);
      const client = lines(seatMapView(state, 0));
      let i = 1;
      let cut = 0;
      while (i < events.length) {
        const batch = events.slice(i, i + (cuts[cut++ % cuts.length] ?? 1));
        const after = batch.reduce(ticketedEvent.evolve, state);
        applyChanges(client, seatMapChanges(state, after, batch));
        state = after;
        i += batch.length;
      }
      const want = lines(seatMapView(state, events.length - 1));
      if (JSON.stringify(client) !== JSON.stringify(want))
        throw new Error(`deltas built ${JSON.stringify(client)}, the state shows ${JSON.stringify(want)}`);
      compared++;
      return true;
    }),
    { numRuns: 300 },
  );
  t.equal(compared, 300);
});
