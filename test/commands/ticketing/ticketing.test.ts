import t from 'tap';
import type { Test } from 'tap';
import type { EventStore, RecordedEvent } from '../../../src/commands/event-store/index.js';
import { domainEvent, openPgEventStore } from '../../../src/commands/event-store/index.js';
import type { BatchInfo } from '../../../src/commands/stream-writer/index.js';
import { WriterClosedError } from '../../../src/commands/stream-writer/stream-writer.js';
import { canonicalJson, holdRequestHash } from '../../../src/commands/ticketing/ticketing.js';
import { createTicketing } from '../../../src/commands/ticketing/index.js';
import type { Ticketing } from '../../../src/commands/ticketing/index.js';
import type { TicketingDeps } from '../../../src/commands/ticketing/ticketing.js';
import { DomainError } from '../../../src/domain/shared/index.js';
import type { SeatsHeld } from '../../../src/domain/ticketed-event/index.js';
import type { Ticket } from '../../../src/domain/ticketed-event/events.js';
import { eventStream } from '../../../src/domain/ticketed-event/index.js';
import type { Layout } from '../../../src/domain/venue/index.js';
import { freshDatabase } from '../../support/services.js';
import { arriving } from '../../support/arriving.js';

const ON_SALE = '2027-01-01T10:00:00.000Z';

const layout: Layout = {
  sections: [
    { id: 'A', name: 'Block A', kind: 'seated', rows: [1, 2, 3, 4].map((r) => ({ label: String(r), seats: 50 })) },
    { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 100 },
  ],
};

const details = {
  name: 'Riverside Arena',
  address: '1 Quay St',
  city: 'Manchester',
  country: 'GB',
  location: { lat: 53.4794, lng: -2.2453 },
  timezone: 'Europe/London',
};

/** A clock the test moves by hand, starting a minute after the on-sale time. */
const movableClock = () => {
  let ms = Date.parse(ON_SALE) + 60_000;
  return { now: () => new Date(ms), advance: (seconds: number) => void (ms += seconds * 1000) };
};

const openStore = async (t: Test, url: string): Promise<EventStore> => {
  const store = await openPgEventStore({ decode: domainEvent, connectionString: url, poolMax: 4 });
  t.teardown(() => store.close());
  return store;
};

const ticketingOn = (t: Test, store: EventStore, deps: Partial<TicketingDeps> = {}): Ticketing => {
  const ticketing = createTicketing({ store, ...deps });
  t.teardown(() => ticketing.close());
  return ticketing;
};

const scheduleOn = async (ticketing: Ticketing, overrides: { maxTicketsPerUser?: number } = {}): Promise<string> => {
  const { venueId } = await ticketing.registerVenue({ registeredBy: 'org1', details, layout });
  const { eventId } = await ticketing.scheduleEvent({
    venueId,
    organizerId: 'org1',
    name: 'Aurora Live',
    description: 'An evening with Aurora.',
    category: 'music',
    performers: ['Aurora'],
    startsAt: '2027-03-01T19:30:00.000Z',
    onSaleAt: ON_SALE,
    currency: 'GBP',
    sectionPrices: { A: 5000, PIT: 2000 },
    maxTicketsPerUser: overrides.maxTicketsPerUser ?? 8,
  });
  return eventId;
};

const pairs = (n: number): string[][] => {
  let x = 99;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
  return Array.from({ length: n }, () => {
    const row = 1 + (next() % 4);
    const seat = 1 + (next() % 49);
    return [`A-${row}-${seat}`, `A-${row}-${seat + 1}`];
  });
};

const seatsHeld = (events: readonly RecordedEvent[]): SeatsHeld['data'][] =>
  events.filter((e) => e.type === 'SeatsHeld').map((e) => e.data);

/** No seat in two holds that overlapped in time (all holds here outlive the test). */
const noSeatTwice = (t: Test, held: readonly SeatsHeld['data'][]): void => {
  const seats = held.flatMap((h) => h.seats);
  t.equal(new Set(seats).size, seats.length, `no seat held twice (${seats.length} seats in ${held.length} holds)`);
};

t.test('the ticketing command service', async (t) => {
  const url = await freshDatabase(t);
  const store = await openStore(t, url);

  t.test('500 concurrent holds on overlapping seats: each answered once, no seat twice, accepted = SeatsHeld', async (t) => {
    const clock = movableClock();
    const batches: BatchInfo[] = [];
    const ticketing = ticketingOn(t, store, { now: clock.now, onBatch: (b) => batches.push(b) });
    const eventId = await scheduleOn(ticketing);
    batches.length = 0;
    const answers = new Array<number>(500).fill(0);
    const outcomes = await arriving(pairs(500), (seats, i) =>
      ticketing.hold(eventId, { userId: `u${i}`, seats }).finally(() => {
        answers[i] = (answers[i] ?? 0) + 1;
      }),
    );
    t.ok(
      answers.every((n) => n === 1),
      'every caller answered exactly once',
    );
    const accepted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.booking] : []));
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    t.ok(
      rejected.every((e) => e instanceof DomainError && e.code === 'seats-unavailable'),
      'rejections are seats-unavailable only',
    );
    t.ok(accepted.length >= 20 && rejected.length >= 100, `${accepted.length} accepted, ${rejected.length} rejected`);
    t.ok(accepted.every((b) => b.status === 'held' && b.amount === 10_000 && b.currency === 'GBP'));

    const held = seatsHeld(await store.readStream(eventStream(eventId)));
    t.equal(held.length, accepted.length, 'accepted holds equal SeatsHeld events');
    noSeatTwice(t, held);
    t.same(new Set(held.map((h) => h.bookingId)), new Set(accepted.map((b) => b.id)), 'the answered bookings are the recorded ones');
    const widest = Math.max(...batches.map((b) => b.commands));
    t.ok(widest > 1, `group commit batched up to ${widest} commands in one append`);
  });

  t.test('two processes holding on one event stay correct: conflicts are resolved by reload', async (t) => {
    const storeB = await openStore(t, url);
    let conflicts = 0;
    const onBatch = (b: BatchInfo): void => {
      conflicts += b.conflicts;
    };
    const clock = movableClock();
    const a = ticketingOn(t, store, { now: clock.now, onBatch });
    const b = ticketingOn(t, storeB, { now: clock.now, onBatch });
    const eventId = await scheduleOn(a);
    const work = pairs(400);
    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (let wave = 0; wave < 20; wave++) {
      const slice = work.slice(wave * 20, wave * 20 + 20);
      outcomes.push(
        ...(await Promise.allSettled(slice.map((seats, i) => (i % 2 === 0 ? a : b).hold(eventId, { userId: `w${wave}-${i}`, seats })))),
      );
    }
    const failures = outcomes.filter((o) => o.status === 'rejected' && !(o.reason instanceof DomainError));
    t.same(failures, [], 'no caller failed for any reason but its own rejection');
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const held = seatsHeld(await store.readStream(eventStream(eventId)));
    t.equal(held.length, accepted);
    noSeatTwice(t, held);
    t.ok(conflicts > 0, `${conflicts} version conflicts met and resolved`);
  });

  t.test('an idempotent repeat returns the first booking and appends nothing', async (t) => {
    const clock = movableClock();
    const ticketing = ticketingOn(t, store, { now: clock.now });
    const eventId = await scheduleOn(ticketing);
    const first = await ticketing.hold(eventId, {
      userId: 'u1',
      seats: ['A-1-1'],
      standing: [{ sectionId: 'PIT', quantity: 2 }],
      idempotencyKey: 'k1',
    });
    clock.advance(5);
    const again = await ticketing.hold(eventId, {
      userId: 'u1',
      seats: ['A-1-1'],
      standing: [{ quantity: 2, sectionId: 'PIT' }],
      idempotencyKey: 'k1',
    });
    t.equal(again.booking.id, first.booking.id);
    t.same(again.events, []);
    t.equal(again.booking.amount, 5000 + 2 * 2000);
    const held = seatsHeld(await store.readStream(eventStream(eventId)));
    t.equal(held.length, 1);
    t.equal(held[0]?.requestHash, holdRequestHash(['A-1-1'], [{ sectionId: 'PIT', quantity: 2 }]));
    await t.rejects(
      ticketing.hold(eventId, { userId: 'u1', seats: ['A-1-2'], idempotencyKey: 'k1' }),
      { code: 'idempotency-key-reused' },
      'the same key with another body is refused',
    );
    const other = await ticketing.hold(eventId, { userId: 'u2', seats: ['A-1-2'], idempotencyKey: 'k1' });
    t.not(other.booking.id, first.booking.id, 'keys are per user');
  });

  t.test('canonical JSON ignores key order but keeps list order', async (t) => {
    t.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
    t.not(holdRequestHash(['A-1-1', 'A-1-2'], []), holdRequestHash(['A-1-2', 'A-1-1'], []));
  });

  t.test('hold, checkout, payment, check-in: a booking confirmed with its tickets', async (t) => {
    const clock = movableClock();
    let n = 0;
    const ticketing = ticketingOn(t, store, { now: clock.now, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
    const eventId = await scheduleOn(ticketing);
    const { booking } = await ticketing.hold(eventId, {
      userId: 'buyer',
      seats: ['A-2-1', 'A-2-2'],
      standing: [{ sectionId: 'PIT', quantity: 1 }],
    });
    const checkout = await ticketing.startCheckout(eventId, {
      bookingId: booking.id,
      userId: 'buyer',
      provider: 'local',
      paymentId: 'cs_1',
      url: 'http://127.0.0.1:3000/pay/cs_1',
      expiresAt: new Date(clock.now().getTime() + 300_000).toISOString(),
    });
    t.equal(checkout.booking.status, 'payment_pending');
    clock.advance(30);
    const paid = await ticketing.recordPaymentSucceeded(eventId, {
      bookingId: booking.id,
      paymentId: 'cs_1',
      paymentEventId: 'evt_1',
      amount: booking.amount,
      currency: 'GBP',
    });
    t.same(
      paid.events.map((e) => e.type),
      ['PaymentSucceeded', 'BookingConfirmed'],
    );
    t.equal(paid.booking.status, 'confirmed');
    const tickets: readonly Ticket[] = paid.booking.tickets;
    t.equal(tickets.length, 3, 'one ticket per seat and standing place');
    t.equal(new Set(tickets.map((x) => x.ticketId)).size, 3);
    t.same(
      tickets.map((x) => x.seat ?? x.sectionId),
      ['A-2-1', 'A-2-2', 'PIT'],
    );

    const repeat = await ticketing.recordPaymentSucceeded(eventId, {
      bookingId: booking.id,
      paymentId: 'cs_1',
      paymentEventId: 'evt_1',
      amount: booking.amount,
      currency: 'GBP',
    });
    t.same(repeat.events, [], 'a second delivery of the webhook changes nothing');
    t.same(repeat.booking.tickets, tickets);

    const ticketId = tickets[0]!.ticketId;
    const scanned = await ticketing.checkIn(eventId, ticketId);
    t.same(
      scanned.events.map((e) => e.type),
      ['TicketCheckedIn'],
    );
    await t.rejects(ticketing.checkIn(eventId, ticketId), { code: 'already-checked-in' });
    t.equal((await ticketing.getBooking(eventId, booking.id))?.status, 'confirmed');
  });

  t.test('a hold lapses with the clock, the sweeper records it, and its seats are free again', async (t) => {
    const clock = movableClock();
    const ticketing = ticketingOn(t, store, { now: clock.now });
    const eventId = await scheduleOn(ticketing);
    const { booking } = await ticketing.hold(eventId, { userId: 'slow', seats: ['A-3-1'] });
    await t.rejects(ticketing.hold(eventId, { userId: 'fast', seats: ['A-3-1'] }), { code: 'seats-unavailable' });
    clock.advance(300);
    t.equal((await ticketing.getBooking(eventId, booking.id))?.status, 'expired', 'lapsed the instant expiresAt passed');
    const expired = await ticketing.expire(eventId, booking.id);
    t.same(
      expired.events.map((e) => e.type),
      ['HoldReleased'],
    );
    t.equal(expired.events[0]?.type === 'HoldReleased' && expired.events[0].data.reason, 'expired');
    const again = await ticketing.expire(eventId, booking.id);
    t.same(again.events, [], 'expiring twice changes nothing');
    const taken = await ticketing.hold(eventId, { userId: 'fast', seats: ['A-3-1'] });
    t.equal(taken.booking.status, 'held');
  });

  t.test('a buyer releases their own hold; another user cannot see or release it', async (t) => {
    const clock = movableClock();
    const ticketing = ticketingOn(t, store, { now: clock.now });
    const eventId = await scheduleOn(ticketing);
    const { booking } = await ticketing.hold(eventId, { userId: 'owner', seats: ['A-4-1'] });
    await t.rejects(ticketing.release(eventId, booking.id, 'intruder'), { code: 'not-found' });
    const released = await ticketing.release(eventId, booking.id, 'owner');
    t.equal(released.booking.status, 'released');
    await t.resolves(ticketing.hold(eventId, { userId: 'next', seats: ['A-4-1'] }));
  });

  t.test('getBooking reads your writes, and also what another process wrote', async (t) => {
    const storeB = await openStore(t, url);
    const clock = movableClock();
    const a = ticketingOn(t, store, { now: clock.now });
    const b = ticketingOn(t, storeB, { now: clock.now });
    const eventId = await scheduleOn(a);
    await b.eventState(eventId); // b caches the event before a writes
    const { booking } = await a.hold(eventId, { userId: 'u', seats: ['A-1-40'] });
    t.same(await a.getBooking(eventId, booking.id), booking);
    t.same(await b.getBooking(eventId, booking.id), booking);
    t.equal(await a.getBooking(eventId, 'no-such-booking'), undefined);
  });

  t.test('scheduling copies the venue and refuses an unknown venue', async (t) => {
    const ticketing = ticketingOn(t, store);
    const { venueId, venue } = await ticketing.registerVenue({ registeredBy: 'org1', details, layout });
    t.same(venue.layout, layout);
    const updated = await ticketing.updateVenue(venueId, { name: 'Riverside Arena North' });
    t.equal(updated.venue.details.name, 'Riverside Arena North');
    t.equal((await ticketing.getVenue(venueId))?.version, 1);
    t.equal(await ticketing.getVenue('missing'), undefined);
    const input = {
      organizerId: 'org1',
      name: 'Copy',
      description: '',
      category: 'music',
      performers: [],
      startsAt: '2027-03-01T19:30:00.000Z',
      onSaleAt: ON_SALE,
      currency: 'GBP',
      sectionPrices: { A: 1, PIT: 1 },
    };
    const { eventId, events } = await ticketing.scheduleEvent({ ...input, venueId });
    const scheduled = events[0];
    t.equal(scheduled?.type, 'EventScheduled');
    if (scheduled?.type === 'EventScheduled') {
      t.same(scheduled.data.venue, { ...details, name: 'Riverside Arena North', id: venueId });
      t.same(scheduled.data.layout, layout);
      t.equal(scheduled.data.eventId, eventId);
      t.equal(scheduled.data.holdSeconds, 300, 'defaults applied');
      t.equal(scheduled.data.maxTicketsPerUser, 8);
    }
    await t.rejects(ticketing.scheduleEvent({ ...input, venueId: 'missing' }), { code: 'not-found' });
    await t.rejects(ticketing.registerVenue({ venueId, registeredBy: 'org1', details, layout }), { code: 'already-exists' });
  });

  t.test('organizer commands: details, waiting room, cancellation', async (t) => {
    const ticketing = ticketingOn(t, store, { now: movableClock().now });
    const eventId = await scheduleOn(ticketing);
    const changed = await ticketing.changeEventDetails(eventId, { name: 'Aurora Live (late show)' });
    t.same(
      changed.events.map((e) => e.type),
      ['EventDetailsChanged'],
    );
    const room = await ticketing.configureWaitingRoom(eventId, {
      enabled: true,
      opensAt: ON_SALE,
      admitPerMinute: 600,
      accessSeconds: 600,
    });
    t.same(
      room.events.map((e) => e.type),
      ['WaitingRoomConfigured'],
    );
    const cancelled = await ticketing.cancelEvent(eventId, 'storm');
    t.same(
      cancelled.events.map((e) => e.type),
      ['EventCancelled'],
    );
    await t.rejects(ticketing.hold(eventId, { userId: 'u', seats: ['A-1-1'] }), { code: 'event-cancelled' });
    const { state, version } = await ticketing.eventState(eventId);
    t.equal(version, 3);
    t.equal(state.status === 'scheduled' && state.cancelled, true);
  });

  t.test('who and when are recorded on every event', async (t) => {
    const clock = movableClock();
    const ticketing = ticketingOn(t, store, { now: clock.now });
    const eventId = await scheduleOn(ticketing);
    await ticketing.hold(eventId, { userId: 'u', seats: ['A-1-3'] }, { correlationId: 'req-7', userId: 'u' });
    const last = (await store.readStream(eventStream(eventId))).at(-1);
    t.same(last?.metadata, { correlationId: 'req-7', userId: 'u', at: clock.now().toISOString() });
  });

  t.test('close finishes accepted commands, then refuses new ones', async (t) => {
    const ticketing = createTicketing({ store, now: movableClock().now });
    const eventId = await scheduleOn(ticketing);
    const pending = [1, 2, 3].map((n) => ticketing.hold(eventId, { userId: `c${n}`, seats: [`A-1-${n + 10}`] }));
    await ticketing.close();
    t.ok((await Promise.allSettled(pending)).every((o) => o.status === 'fulfilled'));
    await t.rejects(ticketing.hold(eventId, { userId: 'late', seats: ['A-1-20'] }), WriterClosedError);
  });
});
