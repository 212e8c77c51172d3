import fc from 'fast-check';
import t from 'tap';
import { MAX_PER_USER, ON_SALE, PIT_CAPACITY, SEATS, iso, schedule, stepArb, toCommand } from './histories.js';
import {
  bookingView,
  eventSummary,
  seatStatus,
  standingAvailable,
  ticketedEvent,
  type TicketedEventState,
} from '../../../src/domain/ticketed-event/index.js';
import { DomainError } from '../../../src/domain/shared/index.js';
import type { TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';

/**
 * Random command sequences from many buyers against a small, contended event,
 * checked after every step against a model rebuilt from the recorded events
 * alone: no seat or standing place is ever live-held or sold to two bookings at
 * once, standing is never oversold, no buyer passes the limit, and every
 * recorded payment is either confirmed or refunded in the same decision.
 */

type ModelBooking = {
  userId: string;
  seats: readonly string[];
  pit: number;
  quantity: number;
  expiresAtMs: number;
  status: 'held' | 'pending' | 'released' | 'confirmed' | 'refunded';
  payments: { id: string; refund: 'none' | 'requested' | 'issued' }[];
  confirmedPaymentId?: string | undefined;
};

/** A deliberately naive second reading of the events: no persistent maps, no trees. */
const applyToModel = (model: Map<string, ModelBooking>, e: TicketedEventEvent): void => {
  switch (e.type) {
    case 'SeatsHeld': {
      const pit = e.data.standing.reduce((n, r) => n + r.quantity, 0);
      model.set(e.data.bookingId, {
        userId: e.data.userId,
        seats: e.data.seats,
        pit,
        quantity: e.data.seats.length + pit,
        expiresAtMs: Date.parse(e.data.expiresAt),
        status: 'held',
        payments: [],
      });
      return;
    }
    case 'HoldReleased': {
      const m = model.get(e.data.bookingId);
      if (m !== undefined && (m.status === 'held' || m.status === 'pending')) m.status = 'released';
      return;
    }
    case 'CheckoutStarted': {
      const m = model.get(e.data.bookingId);
      if (m?.status === 'held') m.status = 'pending';
      return;
    }
    case 'PaymentFailed': {
      const m = model.get(e.data.bookingId);
      if (m?.status === 'pending') m.status = 'held';
      return;
    }
    case 'PaymentSucceeded':
      model.get(e.data.bookingId)?.payments.push({ id: e.data.paymentId, refund: 'none' });
      return;
    case 'BookingConfirmed': {
      const m = model.get(e.data.bookingId) as ModelBooking;
      m.status = 'confirmed';
      m.confirmedPaymentId = m.payments[m.payments.length - 1]?.id;
      return;
    }
    case 'RefundRequested': {
      const m = model.get(e.data.bookingId) as ModelBooking;
      for (const p of m.payments) if (p.id === e.data.paymentId && p.refund === 'none') p.refund = 'requested';
      if (e.data.reason !== 'duplicate-payment') m.status = 'refunded';
      return;
    }
    case 'RefundIssued': {
      const m = model.get(e.data.bookingId) as ModelBooking;
      const target =
        e.data.paymentId ?? (m.payments.find((p) => p.refund === 'requested') ?? m.payments.find((p) => p.id === m.confirmedPaymentId))?.id;
      const refunded = m.payments.find((p) => p.id === target);
      if (refunded === undefined) return;
      refunded.refund = 'issued';
      if (!(m.status === 'confirmed' && target !== m.confirmedPaymentId)) m.status = 'refunded';
      return;
    }
    default:
      return;
  }
};

const takes = (m: ModelBooking, nowMs: number): boolean =>
  m.status === 'confirmed' || ((m.status === 'held' || m.status === 'pending') && m.expiresAtMs > nowMs);

const checkInvariants = (model: Map<string, ModelBooking>, state: TicketedEventState, nowMs: number): string | undefined => {
  const seatTakers = new Map<string, string[]>();
  const perUser = new Map<string, number>();
  let pit = 0;
  let sold = 0;
  for (const [id, m] of model) {
    if (!takes(m, nowMs)) continue;
    for (const s of m.seats) seatTakers.set(s, [...(seatTakers.get(s) ?? []), id]);
    pit += m.pit;
    perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + m.quantity);
    if (m.status === 'confirmed') sold += m.quantity;
  }
  for (const [seat, ids] of seatTakers) if (ids.length > 1) return `seat ${seat} taken by ${ids.join(', ')}`;
  if (pit > PIT_CAPACITY) return `pit oversold: ${pit}`;
  for (const [user, n] of perUser) if (n > MAX_PER_USER) return `user ${user} has ${n} tickets`;
  // the decider's own read helpers agree with the model
  const now = iso(nowMs);
  for (const seat of SEATS) {
    const ids = seatTakers.get(seat) ?? [];
    const expected = ids.length === 0 ? 'A' : model.get(ids[0] as string)?.status === 'confirmed' ? 'S' : 'H';
    if (seatStatus(state, seat, now) !== expected) return `seat ${seat} reads ${seatStatus(state, seat, now)}, model ${expected}`;
  }
  if (standingAvailable(state, 'PIT', now) !== PIT_CAPACITY - pit) {
    return `pit available ${standingAvailable(state, 'PIT', now)}, model ${PIT_CAPACITY - pit}`;
  }
  if (eventSummary(state, now).sold !== sold) return `summary sold ${eventSummary(state, now).sold}, model ${sold}`;
  for (const [id, m] of model) {
    const view = bookingView(state, id, now);
    const confirmed = view?.status === 'confirmed';
    if (confirmed !== (m.status === 'confirmed')) return `booking ${id} reads ${view?.status}, model ${m.status}`;
  }
  return undefined;
};

t.test('no seat or standing place is ever taken twice and no buyer passes the limit, whatever the order of commands', async (t) => {
  let steps = 0;
  const seen = new Map<string, number>();
  const count = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 1, maxLength: 150, size: 'max' }), (plan) => {
      let state = ticketedEvent.initialState;
      const apply = (events: readonly TicketedEventEvent[]) => {
        for (const e of events) {
          state = ticketedEvent.evolve(state, e);
          applyToModel(model, e);
        }
      };
      const model = new Map<string, ModelBooking>();
      apply(ticketedEvent.decide(schedule, state));
      let clockMs = ON_SALE;
      let holds = 0;
      const bookingIds: string[] = [];
      for (const step of plan) {
        steps++;
        if (step.k === 'tick') clockMs += step.seconds * 1000;
        const lag = step.k === 'lag' ? step.seconds * 1000 : 0;
        let command = toCommand(step, clockMs - lag, bookingIds, holds);
        if (command === undefined) continue;
        if (command.type === 'HoldSeats') holds++;
        if ((command.type === 'StartCheckout' || command.type === 'ReleaseHold') && command.userId === 'owner') {
          command = { ...command, userId: model.get(command.bookingId)?.userId ?? 'nobody' };
        }
        let events: readonly TicketedEventEvent[] = [];
        try {
          events = ticketedEvent.decide(command, state);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          count(e.code);
        }
        for (const e of events) {
          count(e.type);
          if (e.type === 'RefundRequested') count(`refund:${e.data.reason}`);
          if (e.type === 'BookingConfirmed' && e.data.late) count('late confirmation');
          if (e.type === 'HoldReleased') count(`released:${e.data.reason}`);
        }
        const payment = events.findIndex((e) => e.type === 'PaymentSucceeded');
        if (payment >= 0) {
          const next = events[payment + 1];
          if (events.length !== 2 || payment !== 0 || (next?.type !== 'BookingConfirmed' && next?.type !== 'RefundRequested')) {
            throw new Error(`a payment was recorded without a confirmation or refund: ${JSON.stringify(events)}`);
          }
        }
        for (const e of events) if (e.type === 'SeatsHeld') bookingIds.push(e.data.bookingId);
        apply(events);
        const problem = checkInvariants(model, state, clockMs);
        if (problem !== undefined) throw new Error(`${problem} after ${JSON.stringify(command)}`);
      }
      return true;
    }),
    { numRuns: 400 },
  );
  t.ok(steps > 10_000, `${steps} steps checked`);
  // the random plans reach every interesting outcome, so the invariants were tested where they matter
  for (const what of [
    'seats-unavailable',
    'ticket-limit',
    'hold-expired',
    'idempotency-key-reused',
    'late confirmation',
    'refund:seats-taken',
    'refund:duplicate-payment',
    'refund:event-cancelled',
    'refund:ticket-limit',
    'released:expired',
    'released:cancelled',
    'PaymentFailed',
    'RefundIssued',
    'TicketCheckedIn',
  ]) {
    t.ok((seen.get(what) ?? 0) > 0, `reached ${what} (${seen.get(what) ?? 0} times)`);
  }
});
