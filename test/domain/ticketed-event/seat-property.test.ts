import fc from 'fast-check';
import t from 'tap';
import { DomainError, fold, pget } from '../../../src/domain/shared/index.js';
import { isSeatFree } from '../../../src/domain/ticketed-event/free-seats.js';
import { ticketedEvent } from '../../../src/domain/ticketed-event/index.js';
import type { TicketedEventCommand, TicketedEventEvent, TicketedEventState } from '../../../src/domain/ticketed-event/index.js';
import { ON_SALE, scheduleCommand } from './fixtures.js';

/**
 * Best-available holds, named holds, releases, expiries and waitlist joins and
 * leaves from several buyers, interleaved at random with the clock moving on:
 * after every step, a naive reading of the recorded events finds no seat in two
 * live bookings, and the writer's free-seat index lists exactly the seats no
 * booking owns.
 */

const ROWS = [
  { label: '1', seats: 4 },
  { label: '2', seats: 5 },
];
const SEATS = ROWS.flatMap((r) => Array.from({ length: r.seats }, (_, i) => `A-${r.label}-${i + 1}`));
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'];

const scheduled = ticketedEvent.decide(
  scheduleCommand({
    layout: { sections: [{ id: 'A', name: 'Block A', kind: 'seated', rows: ROWS }] },
    sectionPrices: { A: 1000 },
    holdSeconds: 60,
    maxTicketsPerUser: 6,
  }),
  ticketedEvent.initialState,
);

type Step =
  | { kind: 'best'; user: number; quantity: number; together: boolean }
  | { kind: 'named'; user: number; seats: number[] }
  | { kind: 'release'; booking: number }
  | { kind: 'expire'; booking: number }
  | { kind: 'join'; user: number; quantity: number }
  | { kind: 'leave'; user: number }
  | { kind: 'wait'; seconds: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('best' as const), user: fc.nat(4), quantity: fc.integer({ min: 1, max: 4 }), together: fc.boolean() }),
  fc.record({
    kind: fc.constant('named' as const),
    user: fc.nat(4),
    seats: fc.uniqueArray(fc.nat(SEATS.length - 1), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('release' as const), booking: fc.nat(40) }),
  fc.record({ kind: fc.constant('expire' as const), booking: fc.nat(40) }),
  fc.record({ kind: fc.constant('join' as const), user: fc.nat(4), quantity: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('leave' as const), user: fc.nat(4) }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 90 }) }),
);

type Owner = { userId: string; seats: readonly string[]; expiresAtMs: number; status: 'held' | 'released' };

t.test('no seat is ever held twice, and the free-seat index follows the owners', async (t) => {
  let histories = 0;
  let offers = 0;
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 5, maxLength: 60 }), (steps) => {
      histories++;
      let nowMs = Date.parse(ON_SALE) + 1000;
      let log: TicketedEventEvent[] = [...scheduled];
      let state: TicketedEventState = fold(ticketedEvent.evolve, ticketedEvent.initialState, log);
      const bookings: { id: string; userId: string }[] = [];
      let n = 0;
      for (const step of steps) {
        if (step.kind === 'wait') {
          nowMs += step.seconds * 1000;
          continue;
        }
        const now = new Date(nowMs).toISOString();
        const id = `b${n++}`;
        let command: TicketedEventCommand;
        switch (step.kind) {
          case 'best':
            command = {
              type: 'HoldSeats',
              now,
              bookingId: id,
              userId: USERS[step.user]!,
              seats: [],
              standing: [],
              best: { quantity: step.quantity, together: step.together },
            };
            break;
          case 'named':
            command = {
              type: 'HoldSeats',
              now,
              bookingId: id,
              userId: USERS[step.user]!,
              seats: step.seats.map((i) => SEATS[i]!),
              standing: [],
            };
            break;
          case 'release': {
            const b = bookings[step.booking % Math.max(1, bookings.length)];
            if (!b) continue;
            command = { type: 'ReleaseHold', now, bookingId: b.id, userId: b.userId };
            break;
          }
          case 'expire': {
            const b = bookings[step.booking % Math.max(1, bookings.length)];
            if (!b) continue;
            command = { type: 'ExpireHold', now, bookingId: b.id };
            break;
          }
          case 'join':
            command = {
              type: 'JoinWaitlist',
              now,
              entryId: `w${id}`,
              offerBookingId: `o${id}`,
              userId: USERS[step.user]!,
              quantity: step.quantity,
            };
            break;
          case 'leave':
            command = { type: 'LeaveWaitlist', now, userId: USERS[step.user]! };
            break;
        }
        let events: readonly TicketedEventEvent[];
        try {
          events = ticketedEvent.decide(command, state);
        } catch (e) {
          if (e instanceof DomainError) continue;
          throw e;
        }
        for (const e of events) {
          if (e.type === 'SeatsHeld') bookings.push({ id: e.data.bookingId, userId: e.data.userId });
          if (e.type === 'WaitlistOffered') offers++;
        }
        log = [...log, ...events];
        state = fold(ticketedEvent.evolve, state, events);

        // a naive reading of the log: which live booking has each seat
        const owners = new Map<string, Owner>();
        const byBooking = new Map<string, Owner>();
        for (const e of log) {
          if (e.type === 'SeatsHeld') {
            const decidedAt = Date.parse(e.data.heldAt);
            for (const seat of e.data.seats) {
              const current = owners.get(seat);
              if (current && current.status === 'held' && current.expiresAtMs > decidedAt) {
                throw new Error(`${seat} held by ${e.data.bookingId} while ${current.userId}'s hold was live`);
              }
            }
            const o: Owner = { userId: e.data.userId, seats: e.data.seats, expiresAtMs: Date.parse(e.data.expiresAt), status: 'held' };
            byBooking.set(e.data.bookingId, o);
            for (const seat of e.data.seats) owners.set(seat, o);
          } else if (e.type === 'HoldReleased') {
            const o = byBooking.get(e.data.bookingId);
            if (o) o.status = 'released';
          }
        }
        if (state.status !== 'scheduled') throw new Error('not scheduled');
        for (const seat of SEATS) {
          const owned = pget(state.seatOwners, seat) !== undefined;
          if (isSeatFree(state.freeSeats, seat) === owned) throw new Error(`index says ${seat} is ${owned ? 'free' : 'taken'}`);
        }
        const owned = state.seatOwners;
        const free = SEATS.filter((seat) => pget(owned, seat) === undefined).length;
        if (state.freeSeats.free !== free) throw new Error(`index counts ${state.freeSeats.free} free, owners leave ${free}`);
      }
    }),
    { numRuns: 300 },
  );
  t.ok(histories >= 300, `${histories} histories`);
  t.ok(offers > 0, `the histories made ${offers} waitlist offers`);
});
