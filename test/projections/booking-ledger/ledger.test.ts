import fc from 'fast-check';
import t from 'tap';
import type { RecordedEvent } from '../../../src/commands/event-store/index.js';
import { stepLedger, type LedgerBooking, type LedgerEffect } from '../../../src/projections/booking-ledger/ledger.js';
import { pentries, pget, pvalues } from '../../../src/domain/shared/persistent-map.js';
import { totalQuantity } from '../../../src/domain/ticketed-event/hold-expiries.js';
import { eventSummary, type Booking, type TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import { decideHistory, planArb, SEATS } from '../../domain/ticketed-event/histories.js';

/**
 * The read side keeps its own booking lifecycle (src/projections/booking-ledger)
 * because a projection sees one batch and one ledger row per booking, never the
 * whole stream's state. This proves it agrees with the domain: on random
 * histories decided by the real decider, folding the recorded events through the
 * ledger gives every booking the phase, places and payments the decider's
 * evolve gives it, and the ledger's effects add up to the decider's inventory
 * (held and sold places, revenue, standing per section, who owns each seat).
 */

const recorded = (events: readonly TicketedEventEvent[]): RecordedEvent[] =>
  events.map((e, version) => ({
    ...e,
    id: `id-${version}`,
    stream: 'event-e1',
    version,
    position: { commit: BigInt(version), prepare: BigInt(version) },
    metadata: {},
    recordedAt: new Date(0),
  }));

/** The ledger does not follow EventCancelled: a hold released by the cancellation reads `released` there (the bookings projection shows it as cancelled). */
const expectedPhase = (b: Booking): LedgerBooking['phase'] => (b.phase === 'cancelled' ? 'released' : b.phase);

type Seat = { readonly bookingId: string; readonly as: 'H' | 'S' };

/** What the seat-map projection does with the effects: take marks the seats, free clears those the booking still owns. */
const applySeats = (seats: Map<string, Seat>, effect: LedgerEffect): void => {
  for (const seat of effect.free ?? []) if (seats.get(seat)?.bookingId === effect.bookingId) seats.delete(seat);
  for (const seat of effect.take?.seats ?? []) seats.set(seat, { bookingId: effect.bookingId, as: effect.take?.as ?? 'H' });
};

t.test('the read-side booking ledger agrees with the decider on random histories', async (t) => {
  let bookingsChecked = 0;
  fc.assert(
    fc.property(planArb, (plan) => {
      const { events, state } = decideHistory(plan);
      if (state.status !== 'scheduled') throw new Error('the history did not schedule its event');
      const { transitions } = stepLedger(new Map(), recorded(events));
      const ledger = new Map<string, LedgerBooking>();
      const totals = { held: 0, sold: 0, revenue: 0 };
      const standing = { held: 0, sold: 0 };
      const seats = new Map<string, Seat>();
      for (const { next, effect } of transitions) {
        if (next) ledger.set(next.bookingId, next);
        if (!effect) continue;
        totals.held += effect.held;
        totals.sold += effect.sold;
        totals.revenue += effect.revenue;
        standing.held += effect.standingHeld.PIT ?? 0;
        standing.sold += effect.standingSold.PIT ?? 0;
        applySeats(seats, effect);
      }

      for (const b of pvalues(state.bookings)) {
        bookingsChecked++;
        const l = ledger.get(b.id);
        if (!l) throw new Error(`the ledger lost booking ${b.id}`);
        const want = {
          phase: expectedPhase(b),
          seats: b.seats,
          standing: b.standing,
          places: b.quantity,
          amount: b.amount,
          payments: b.payments.map((p) => ({ paymentId: p.paymentId, refund: p.refund })),
          confirmedPaymentId: b.confirmedPaymentId ?? null,
        };
        const got = {
          phase: l.phase,
          seats: l.seats,
          standing: l.standing,
          places: l.places,
          amount: l.amount,
          payments: l.payments,
          confirmedPaymentId: l.confirmedPaymentId,
        };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`booking ${b.id}: ledger ${JSON.stringify(got)}, decider ${JSON.stringify(want)}`);
        }
      }
      if (ledger.size !== state.bookings.size)
        throw new Error(`the ledger has ${ledger.size} bookings, the decider ${state.bookings.size}`);

      // Without `now`, eventSummary counts every hold not yet released by an event: what the ledger counts.
      const summary = eventSummary(state);
      const want = { held: summary.held, sold: summary.sold, revenue: summary.revenue };
      if (JSON.stringify(totals) !== JSON.stringify(want))
        throw new Error(`totals: ledger ${JSON.stringify(totals)}, decider ${JSON.stringify(want)}`);

      const pit = state.standing.PIT;
      const pitWant = { held: totalQuantity(pit?.holds), sold: pit?.sold ?? 0 };
      if (JSON.stringify(standing) !== JSON.stringify(pitWant)) {
        throw new Error(`standing: ledger ${JSON.stringify(standing)}, decider ${JSON.stringify(pitWant)}`);
      }

      const owners = new Map([...pentries(state.seatOwners)]);
      for (const seat of SEATS) {
        const owner = owners.get(seat);
        const b = owner === undefined ? undefined : pget(state.bookings, owner);
        const want = b === undefined ? undefined : { bookingId: b.id, as: b.phase === 'confirmed' ? 'S' : 'H' };
        const got = seats.get(seat);
        if (JSON.stringify(got) !== JSON.stringify(want))
          throw new Error(`seat ${seat}: ledger ${JSON.stringify(got)}, decider ${JSON.stringify(want)}`);
      }
      return true;
    }),
    { numRuns: 300 },
  );
  // About three bookings a history on average; at least one each says the histories exercised bookings at all.
  t.ok(bookingsChecked > 300, `${bookingsChecked} bookings compared`);
});
