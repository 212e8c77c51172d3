import t from 'tap';
import { bookingView, ticketedEvent } from '../../../src/domain/ticketed-event/index.js';
import type { TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import { at, EVENT_ID, given, held, hold, layout, scheduleCommand, scheduled, confirmedBooking, stateOf } from './fixtures.js';

t.test('scheduling records the event with a copy of the layout and its prices', async (t) => {
  given(t, []).when(scheduleCommand()).then([scheduled]);
});

t.test('scheduling an event twice is already-exists', async (t) => {
  given(t, [scheduled]).when(scheduleCommand()).rejects('already-exists');
});

t.test('scheduling without a price for every section is invalid-input naming the missing ones', async (t) => {
  given(t, [])
    .when(scheduleCommand({ sectionPrices: { A: 1, B: 2 } }))
    .rejects('invalid-input', { missing: ['PIT'] });
});

t.test('scheduling with a price for a section the layout lacks is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ sectionPrices: { A: 1, B: 2, PIT: 3, VIP: 4 } }))
    .rejects('invalid-input', { unknown: ['VIP'] });
});

t.test('a negative or fractional price is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ sectionPrices: { A: -1, B: 2, PIT: 3 } }))
    .rejects('invalid-input', { section: 'A' });
  given(t, [])
    .when(scheduleCommand({ sectionPrices: { A: 1.5, B: 2, PIT: 3 } }))
    .rejects('invalid-input', { section: 'A' });
  given(t, [])
    .when(scheduleCommand({ sectionPrices: [] as unknown as Record<string, number> }))
    .rejects('invalid-input', { field: 'sectionPrices' });
});

t.test('a free section (price 0) is allowed', async (t) => {
  const [e] = ticketedEvent.decide(scheduleCommand({ sectionPrices: { A: 0, B: 0, PIT: 0 } }), stateOf([]));
  t.equal(e?.type, 'EventScheduled');
});

t.test('a currency that is not three capital letters is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ currency: 'gbp' }))
    .rejects('invalid-input', { field: 'currency' });
  given(t, [])
    .when(scheduleCommand({ currency: 'POUND' }))
    .rejects('invalid-input', { field: 'currency' });
});

t.test('holdSeconds outside 60..1800 is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ holdSeconds: 59 }))
    .rejects('invalid-input', { field: 'holdSeconds' });
  given(t, [])
    .when(scheduleCommand({ holdSeconds: 1801 }))
    .rejects('invalid-input', { field: 'holdSeconds' });
});

t.test('maxTicketsPerUser outside 1..50 is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ maxTicketsPerUser: 0 }))
    .rejects('invalid-input', { field: 'maxTicketsPerUser' });
  given(t, [])
    .when(scheduleCommand({ maxTicketsPerUser: 51 }))
    .rejects('invalid-input', { field: 'maxTicketsPerUser' });
});

t.test('a broken layout is invalid-layout', async (t) => {
  given(t, [])
    .when(scheduleCommand({ layout: { sections: [] } }))
    .rejects('invalid-layout');
});

t.test('going on sale after the event starts is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ onSaleAt: '2027-04-01T00:00:00Z' }))
    .rejects('invalid-input', { field: 'onSaleAt' });
});

t.test('a start time that is not ISO 8601 is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ startsAt: 'next friday' }))
    .rejects('invalid-input', { field: 'startsAt' });
});

t.test('a venue copy with an impossible location is invalid-input', async (t) => {
  const venue = { ...scheduleCommand().venue, location: { lat: 91, lng: 0 } };
  given(t, []).when(scheduleCommand({ venue })).rejects('invalid-input', { field: 'location.lat' });
});

t.test('an empty name, category or performer is invalid-input', async (t) => {
  given(t, [])
    .when(scheduleCommand({ name: '  ' }))
    .rejects('invalid-input', { field: 'name' });
  given(t, [])
    .when(scheduleCommand({ category: '' }))
    .rejects('invalid-input', { field: 'category' });
  given(t, [])
    .when(scheduleCommand({ performers: [''] }))
    .rejects('invalid-input', { field: 'performers[0]' });
  given(t, [])
    .when(scheduleCommand({ performers: Array.from({ length: 51 }, (_, i) => `p${i}`) }))
    .rejects('invalid-input', { field: 'performers' });
});

t.test('changing details records only the fields that changed', async (t) => {
  given(t, [scheduled])
    .when({
      type: 'ChangeEventDetails',
      now: at(0),
      changes: { name: 'Aurora Live II', category: 'music', sectionPrices: { A: 5000, PIT: 2500 } },
    })
    .then([
      { type: 'EventDetailsChanged', data: { eventId: EVENT_ID, changes: { name: 'Aurora Live II', sectionPrices: { PIT: 2500 } } } },
    ]);
});

t.test('changing details to what they already are records nothing', async (t) => {
  given(t, [scheduled])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: { name: 'Aurora Live', performers: ['Aurora'] } })
    .then([]);
});

t.test('a changed section price applies to holds made afterwards', async (t) => {
  const changed: TicketedEventEvent = {
    type: 'EventDetailsChanged',
    data: { eventId: EVENT_ID, changes: { sectionPrices: { A: 7000 } } },
  };
  const [e] = ticketedEvent.decide(hold(), stateOf([scheduled, changed]));
  t.equal(e?.type === 'SeatsHeld' && e.data.amount, 14000);
});

t.test('changing details of an unknown event is not-found', async (t) => {
  given(t, [])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: { name: 'x' } })
    .rejects('not-found');
});

t.test('changing details of a cancelled event is event-cancelled', async (t) => {
  const cancelled: TicketedEventEvent = { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'r', cancelledAt: at(0) } };
  given(t, [scheduled, cancelled])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: { name: 'x' } })
    .rejects('event-cancelled');
});

t.test('changing a price to a bad value or for an unknown section is invalid-input', async (t) => {
  given(t, [scheduled])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: { sectionPrices: { A: -5 } } })
    .rejects('invalid-input');
  given(t, [scheduled])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: { sectionPrices: { Z: 5 } } })
    .rejects('invalid-input', { unknown: ['Z'] });
  given(t, [scheduled])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: { startsAt: '2026-01-01T00:00:00Z' } })
    .rejects('invalid-input', { field: 'onSaleAt' });
  given(t, [scheduled])
    .when({ type: 'ChangeEventDetails', now: at(0), changes: null as never })
    .rejects('invalid-input');
});

t.test('cancelling releases live holds and asks a refund for every confirmed booking', async (t) => {
  const events = [
    ...confirmedBooking,
    held({ bookingId: 'b2', userId: 'u2', seats: ['B-1-1'], now: at(3) }),
    held({ bookingId: 'b3', userId: 'u3', seats: ['B-1-2'], now: at(1) }),
  ];
  // at minute 7: b3 (held at minute 1) has lapsed, b2 (minute 3) is live
  given(t, events)
    .when({ type: 'CancelEvent', now: at(7), reason: 'storm' })
    .then([
      { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'storm', cancelledAt: at(7) } },
      {
        type: 'HoldReleased',
        data: { eventId: EVENT_ID, bookingId: 'b2', reason: 'cancelled', seats: ['B-1-1'], standing: [], releasedAt: at(7) },
      },
      {
        type: 'RefundRequested',
        data: {
          eventId: EVENT_ID,
          bookingId: 'b1',
          paymentId: 'pay1',
          amount: 10000,
          currency: 'GBP',
          reason: 'event-cancelled',
          requestedAt: at(7),
        },
      },
    ]);
});

t.test('after cancelling, a released hold reads cancelled and a confirmed booking reads refunded', async (t) => {
  const events = [...confirmedBooking, held({ bookingId: 'b2', userId: 'u2', seats: ['B-1-1'], now: at(3) })];
  const decided = ticketedEvent.decide({ type: 'CancelEvent', now: at(4), reason: 'storm' }, stateOf(events));
  const s = stateOf([...events, ...decided]);
  t.equal(bookingView(s, 'b2', at(4))?.status, 'cancelled');
  t.equal(bookingView(s, 'b1', at(4))?.status, 'refunded');
});

t.test('cancelling a cancelled event records nothing', async (t) => {
  const cancelled: TicketedEventEvent = { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'r', cancelledAt: at(0) } };
  given(t, [scheduled, cancelled])
    .when({ type: 'CancelEvent', now: at(1), reason: 'again' })
    .then([]);
});

t.test('cancelling an unknown event is not-found', async (t) => {
  given(t, [])
    .when({ type: 'CancelEvent', now: at(1), reason: 'x' })
    .rejects('not-found');
});

const room = { type: 'ConfigureWaitingRoom', now: at(0), enabled: true, opensAt: at(-5), admitPerMinute: 600, accessSeconds: 600 } as const;

t.test('configuring the waiting room records it', async (t) => {
  given(t, [scheduled])
    .when(room)
    .then([
      {
        type: 'WaitingRoomConfigured',
        data: { eventId: EVENT_ID, enabled: true, opensAt: at(-5), admitPerMinute: 600, accessSeconds: 600 },
      },
    ]);
  const s = stateOf([scheduled, ...ticketedEvent.decide(room, stateOf([scheduled]))]);
  t.equal(s.status === 'scheduled' && s.waitingRoom.enabled, true);
});

t.test('configuring the waiting room the same way again records nothing', async (t) => {
  const once = ticketedEvent.decide(room, stateOf([scheduled]));
  given(t, [scheduled, ...once])
    .when(room)
    .then([]);
});

t.test('a waiting room admitting nobody is invalid-input', async (t) => {
  given(t, [scheduled])
    .when({ ...room, admitPerMinute: 0 })
    .rejects('invalid-input', { field: 'admitPerMinute' });
  given(t, [scheduled])
    .when({ ...room, enabled: 'yes' as never })
    .rejects('invalid-input', { field: 'enabled' });
});

t.test('configuring the waiting room of an unknown or cancelled event is refused', async (t) => {
  given(t, []).when(room).rejects('not-found');
  const cancelled: TicketedEventEvent = { type: 'EventCancelled', data: { eventId: EVENT_ID, reason: 'r', cancelledAt: at(0) } };
  given(t, [scheduled, cancelled]).when(room).rejects('event-cancelled');
});

t.test('the scheduled state keeps the layout it was given', async (t) => {
  const s = stateOf([scheduled]);
  t.equal(s.status === 'scheduled' && s.event.layout, layout);
});
