import type { RecordedEvent } from '../../commands/event-store/index.js';
import { isBookingEvent, refundTarget, type BookingPhase, type TicketedEventEvent } from '../../domain/ticketed-event/index.js';
import type { StandingRequest } from '../../domain/venue/index.js';
import type { Queryable } from '../projector/index.js';

/**
 * What one booking holds or owns, following the decider's evolve
 * (src/domain/ticketed-event-state.ts) step by step, so that seat states,
 * standing places, held/sold counts and revenue in the read models agree with
 * what the write side decides on. Several projections keep a ledger table of
 * their own (read models never share tables) and read the same effects from it.
 */
export type LedgerBooking = {
  readonly bookingId: string;
  readonly eventId: string;
  readonly phase: BookingPhase;
  readonly seats: readonly string[];
  readonly standing: readonly StandingRequest[];
  readonly places: number;
  readonly amount: number;
  readonly payments: readonly { readonly paymentId: string; readonly refund: 'none' | 'requested' | 'issued' }[];
  readonly confirmedPaymentId: string | null;
};

/** How a transition changes inventory. `free` lists seats to free if this booking still owns them. */
export type LedgerEffect = {
  readonly eventId: string;
  readonly bookingId: string;
  readonly take?: { readonly seats: readonly string[]; readonly as: 'H' | 'S' };
  readonly free?: readonly string[];
  /** Per standing section: change of places held and sold. */
  readonly standingHeld: Readonly<Record<string, number>>;
  readonly standingSold: Readonly<Record<string, number>>;
  readonly held: number;
  readonly sold: number;
  readonly revenue: number;
};

const unreleased = (phase: BookingPhase): boolean => phase === 'held' || phase === 'payment_pending';

const perSection = (standing: readonly StandingRequest[], sign: number): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of standing) out[r.sectionId] = (out[r.sectionId] ?? 0) + sign * r.quantity;
  return out;
};

const noEffect = (b: LedgerBooking) => ({
  eventId: b.eventId,
  bookingId: b.bookingId,
  standingHeld: {},
  standingSold: {},
  held: 0,
  sold: 0,
  revenue: 0,
});

/** The decider's dropFootprint: frees whatever the booking holds or owns. */
const dropFootprint = (b: LedgerBooking): LedgerEffect => {
  if (unreleased(b.phase)) return { ...noEffect(b), free: b.seats, standingHeld: perSection(b.standing, -1), held: -b.places };
  if (b.phase === 'confirmed')
    return { ...noEffect(b), free: b.seats, standingSold: perSection(b.standing, -1), sold: -b.places, revenue: -b.amount };
  return { ...noEffect(b), free: b.seats };
};

export type LedgerStep = { readonly next?: LedgerBooking; readonly effect?: LedgerEffect };

/** One event applied to one booking (undefined when the ledger has never seen it). */
export const ledgerStep = (b: LedgerBooking | undefined, event: TicketedEventEvent): LedgerStep => {
  switch (event.type) {
    case 'SeatsHeld': {
      if (b) return {};
      const d = event.data;
      const places = d.standing.reduce((n, r) => n + r.quantity, d.seats.length);
      const next: LedgerBooking = {
        bookingId: d.bookingId,
        eventId: d.eventId,
        phase: 'held',
        seats: d.seats,
        standing: d.standing,
        places,
        amount: d.amount,
        payments: [],
        confirmedPaymentId: null,
      };
      return {
        next,
        effect: { ...noEffect(next), take: { seats: d.seats, as: 'H' }, standingHeld: perSection(d.standing, 1), held: places },
      };
    }
    case 'HoldReleased':
      if (!b || !unreleased(b.phase)) return {};
      return { next: { ...b, phase: event.data.reason === 'expired' ? 'expired' : 'released' }, effect: dropFootprint(b) };
    case 'CheckoutStarted':
      return b && unreleased(b.phase) ? { next: { ...b, phase: 'payment_pending' } } : {};
    case 'PaymentFailed':
      return b && b.phase === 'payment_pending' ? { next: { ...b, phase: 'held' } } : {};
    case 'PaymentSucceeded': {
      const d = event.data;
      if (!b || b.payments.some((p) => p.paymentId === d.paymentId)) return {};
      return { next: { ...b, payments: [...b.payments, { paymentId: d.paymentId, refund: 'none' }] } };
    }
    case 'BookingConfirmed': {
      if (!b || b.phase === 'confirmed') return {};
      const wasHeld = unreleased(b.phase);
      const sold = perSection(b.standing, 1);
      const last = b.payments[b.payments.length - 1];
      return {
        next: { ...b, phase: 'confirmed', confirmedPaymentId: last?.paymentId ?? b.confirmedPaymentId },
        effect: {
          ...noEffect(b),
          take: { seats: b.seats, as: 'S' },
          standingHeld: wasHeld ? perSection(b.standing, -1) : {},
          standingSold: sold,
          held: wasHeld ? -b.places : 0,
          sold: b.places,
          revenue: b.amount,
        },
      };
    }
    case 'RefundRequested': {
      if (!b) return {};
      const d = event.data;
      const payments = b.payments.map((p) =>
        p.paymentId === d.paymentId && p.refund === 'none' ? { ...p, refund: 'requested' as const } : p,
      );
      if (d.reason === 'duplicate-payment') return { next: { ...b, payments } };
      return { next: { ...b, payments, phase: 'refund_pending' }, effect: dropFootprint(b) };
    }
    case 'RefundIssued': {
      if (!b) return {};
      const target = refundTarget(b, event.data.paymentId);
      // money the booking never took (no such payment) changes nothing, as in the decider
      if (target === undefined || !b.payments.some((p) => p.paymentId === target)) return {};
      const payments = b.payments.map((p) => (p.paymentId === target ? { ...p, refund: 'issued' as const } : p));
      const duplicate = b.phase === 'confirmed' && target !== b.confirmedPaymentId;
      if (duplicate) return { next: { ...b, payments } };
      return { next: { ...b, payments, phase: 'refunded' }, effect: dropFootprint(b) };
    }
    case 'EventScheduled':
    case 'EventDetailsChanged':
    case 'EventCancelled':
    case 'WaitingRoomConfigured':
    case 'TicketCheckedIn':
    case 'WaitlistJoined':
    case 'WaitlistLeft':
    case 'WaitlistOffered':
    case 'WaitlistOfferLapsed':
      // an offer's booking arrives as an ordinary SeatsHeld just before WaitlistOffered
      return {};
    default: {
      const _: never = event;
      return _;
    }
  }
};

export const ledgerTableSql = (table: string): string => `
CREATE TABLE IF NOT EXISTS ${table} (
  booking_id text PRIMARY KEY,
  event_id text NOT NULL,
  phase text NOT NULL,
  seats text[] NOT NULL,
  standing jsonb NOT NULL,
  places int NOT NULL,
  amount bigint NOT NULL,
  payments jsonb NOT NULL,
  confirmed_payment_id text
);`;

type LedgerRow = {
  booking_id: string;
  event_id: string;
  phase: BookingPhase;
  seats: string[];
  standing: StandingRequest[];
  places: number;
  amount: string;
  payments: LedgerBooking['payments'];
  confirmed_payment_id: string | null;
};

const fromRow = (row: LedgerRow): LedgerBooking => ({
  bookingId: row.booking_id,
  eventId: row.event_id,
  phase: row.phase,
  seats: row.seats,
  standing: row.standing,
  places: row.places,
  amount: Number(row.amount),
  payments: row.payments,
  confirmedPaymentId: row.confirmed_payment_id,
});

export const toLedgerRow = (b: LedgerBooking) => ({
  booking_id: b.bookingId,
  event_id: b.eventId,
  phase: b.phase,
  seats: b.seats,
  standing: b.standing,
  places: b.places,
  amount: b.amount,
  payments: b.payments,
  confirmed_payment_id: b.confirmedPaymentId,
});

export const LEDGER_RECORD_TYPE = `booking_id text, event_id text, phase text, seats text[], standing jsonb, places int, amount bigint,
  payments jsonb, confirmed_payment_id text`;

/** The ledger rows of these bookings. `table` is a constant of the calling projection, never input. */
export const loadLedger = async (db: Queryable, table: string, bookingIds: readonly string[]): Promise<Map<string, LedgerBooking>> => {
  if (bookingIds.length === 0) return new Map();
  const r = await db.query<LedgerRow>(
    `SELECT booking_id, event_id, phase, seats, standing, places, amount::text AS amount, payments, confirmed_payment_id
     FROM ${table} WHERE booking_id = ANY($1::text[])`,
    [[...new Set(bookingIds)]],
  );
  return new Map(r.rows.map((row) => [row.booking_id, fromRow(row)]));
};

export const saveLedger = async (db: Queryable, table: string, bookings: readonly LedgerBooking[]): Promise<void> => {
  if (bookings.length === 0) return;
  await db.query(
    `INSERT INTO ${table} (booking_id, event_id, phase, seats, standing, places, amount, payments, confirmed_payment_id)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${LEDGER_RECORD_TYPE})
     ON CONFLICT (booking_id) DO UPDATE SET phase = EXCLUDED.phase, payments = EXCLUDED.payments,
       confirmed_payment_id = EXCLUDED.confirmed_payment_id`,
    [JSON.stringify(bookings.map(toLedgerRow))],
  );
};

export type LedgerTransition = LedgerStep & { readonly event: RecordedEvent; readonly previous?: LedgerBooking };

/** Steps a batch through a ledger held in memory; returns each event's transition, in order, and the final bookings changed. */
export const stepLedger = (
  known: Map<string, LedgerBooking>,
  events: readonly RecordedEvent[],
): { readonly transitions: LedgerTransition[]; readonly changed: LedgerBooking[] } => {
  const transitions: LedgerTransition[] = [];
  const changed = new Map<string, LedgerBooking>();
  for (const e of events) {
    if (!isBookingEvent(e)) continue;
    const id = e.data.bookingId;
    const previous = known.get(id);
    const step = ledgerStep(previous, e);
    if (step.next) {
      known.set(id, step.next);
      changed.set(id, step.next);
    }
    transitions.push({ ...step, event: e, ...(previous ? { previous } : {}) });
  }
  return { transitions, changed: [...changed.values()] };
};

/** Applies the booking events of a batch to a ledger table with one read and one write. */
export const applyBatchToLedger = async (db: Queryable, table: string, events: readonly RecordedEvent[]): Promise<LedgerTransition[]> => {
  // A booking whose first event here is its SeatsHeld is new: the projector hands each event to a projection
  // once (its high-water position), so there is nothing to read for it. In an on-sale that is nearly every booking.
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const e of events) {
    if (!isBookingEvent(e)) continue;
    const id = e.data.bookingId;
    if (!seen.has(id)) {
      seen.add(id);
      if (e.type !== 'SeatsHeld') ids.push(id);
    }
  }
  if (seen.size === 0) return [];
  const known = await loadLedger(db, table, ids);
  const { transitions, changed } = stepLedger(known, events);
  await saveLedger(db, table, changed);
  return transitions;
};
