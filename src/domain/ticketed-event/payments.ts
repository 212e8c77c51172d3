import { DomainError, isList, phas, pget, CURRENCY, requireId, requireInt, requireText, timeMs } from '../shared/index.js';
import type { PaymentSucceeded, RefundReason, Ticket, TicketedEventEvent } from './events.js';
import { requireScheduled } from './catalogue.js';
import { findBooking } from './holds.js';
import { decisionTime, isLiveHold, seatTakenBy, standingFree, userTicketCount } from './state.js';
import type {
  Booking,
  CheckInTicket,
  RecordPaymentFailed,
  RecordPaymentSucceeded,
  RecordRefundIssued,
  ScheduledState,
  TicketedEventState,
} from './types.js';

const MAX_AMOUNT = 1_000_000_000_000;

const issueTickets = (b: Booking, ids: readonly string[]): Ticket[] => {
  if (ids.length < b.quantity || new Set(ids).size !== ids.length) {
    throw new DomainError('invalid-input', `Booking ${b.id} needs ${b.quantity} distinct ticket ids; ${ids.length} given.`, {
      field: 'ticketIds',
    });
  }
  const tickets: Ticket[] = [];
  let i = 0;
  for (const seat of b.seats) {
    tickets.push({ ticketId: ids[i++] as string, seat, sectionId: seat.slice(0, seat.indexOf('-')) });
  }
  for (const r of b.standing) {
    for (let q = 0; q < r.quantity; q++) tickets.push({ ticketId: ids[i++] as string, sectionId: r.sectionId });
  }
  return tickets;
};

/** Why a lapsed booking cannot be confirmed now, or undefined when every place is still free. */
const lateObstacle = (s: ScheduledState, b: Booking, nowMs: number): RefundReason | undefined => {
  for (const seat of b.seats) {
    const holder = seatTakenBy(s, seat, nowMs);
    if (holder !== undefined && holder.id !== b.id) return 'seats-taken';
  }
  for (const r of b.standing) {
    const inv = s.standing[r.sectionId];
    if (inv === undefined || standingFree(inv, nowMs) < r.quantity) return 'seats-taken';
  }
  if (userTicketCount(s, b.userId, nowMs) + b.quantity > s.event.maxTicketsPerUser) return 'ticket-limit';
  return undefined;
};

/**
 * A successful payment is always recorded, and then either confirms the booking
 * or asks for a refund: a paid booking is never silently lost.
 */
export const decidePaymentSucceeded = (c: RecordPaymentSucceeded, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  const nowMs = decisionTime(s, timeMs('now', c.now));
  requireId('paymentEventId', c.paymentEventId);
  if (phas(s.seenPaymentEvents, c.paymentEventId)) return [];
  const b = findBooking(s, c.bookingId);
  requireId('paymentId', c.paymentId);
  requireInt('amount', c.amount, 0, MAX_AMOUNT);
  if (typeof c.currency !== 'string' || !CURRENCY.test(c.currency)) {
    throw new DomainError('invalid-input', 'currency must be an ISO 4217 code.', { field: 'currency' });
  }
  if (!isList(c.ticketIds)) throw new DomainError('invalid-input', 'ticketIds must be a list.', { field: 'ticketIds' });
  if (b.payments.some((p) => p.paymentId === c.paymentId)) return [];

  const eventId = s.event.eventId;
  const paid: PaymentSucceeded = {
    type: 'PaymentSucceeded',
    data: {
      eventId,
      bookingId: b.id,
      paymentId: c.paymentId,
      paymentEventId: c.paymentEventId,
      amount: c.amount,
      currency: c.currency,
      paidAt: c.now,
    },
  };
  const refund = (reason: RefundReason): TicketedEventEvent[] => [
    paid,
    {
      type: 'RefundRequested',
      data: { eventId, bookingId: b.id, paymentId: c.paymentId, amount: c.amount, currency: c.currency, reason, requestedAt: c.now },
    },
  ];
  const confirm = (late: boolean): TicketedEventEvent[] => [
    paid,
    {
      type: 'BookingConfirmed',
      data: { eventId, bookingId: b.id, userId: b.userId, tickets: issueTickets(b, c.ticketIds), late, confirmedAt: c.now },
    },
  ];

  if (s.cancelled) return refund('event-cancelled');
  if (b.phase === 'confirmed') return refund('duplicate-payment');
  if (isLiveHold(b, nowMs)) return confirm(false);
  const obstacle = lateObstacle(s, b, nowMs);
  return obstacle === undefined ? confirm(true) : refund(obstacle);
};

/** Only a pending checkout goes back to held; late or out-of-order failures change nothing. */
export const decidePaymentFailed = (c: RecordPaymentFailed, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  timeMs('now', c.now);
  requireId('paymentEventId', c.paymentEventId);
  if (phas(s.seenPaymentEvents, c.paymentEventId)) return [];
  const b = findBooking(s, c.bookingId);
  if (b.phase !== 'payment_pending' || b.checkout?.paymentId !== c.paymentId) return [];
  requireText('reason', c.reason, 500, true);
  return [
    {
      type: 'PaymentFailed',
      data: {
        eventId: s.event.eventId,
        bookingId: b.id,
        paymentId: c.paymentId,
        paymentEventId: c.paymentEventId,
        reason: c.reason,
        failedAt: c.now,
      },
    },
  ];
};

export const decideRefundIssued = (c: RecordRefundIssued, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  timeMs('now', c.now);
  requireId('paymentEventId', c.paymentEventId);
  if (phas(s.seenPaymentEvents, c.paymentEventId)) return [];
  const b = findBooking(s, c.bookingId);
  requireId('refundId', c.refundId);
  requireInt('amount', c.amount, 0, MAX_AMOUNT);
  if (c.paymentId !== undefined) requireId('paymentId', c.paymentId);
  return [
    {
      type: 'RefundIssued',
      data: {
        eventId: s.event.eventId,
        bookingId: b.id,
        refundId: c.refundId,
        amount: c.amount,
        paymentEventId: c.paymentEventId,
        ...(c.paymentId === undefined ? {} : { paymentId: c.paymentId }),
        refundedAt: c.now,
      },
    },
  ];
};

export const decideCheckIn = (c: CheckInTicket, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  timeMs('now', c.now);
  const entry = typeof c.ticketId === 'string' ? pget(s.tickets, c.ticketId) : undefined;
  if (entry === undefined) throw new DomainError('invalid-code', 'This ticket is not for this event.');
  const b = pget(s.bookings, entry.bookingId);
  if (b === undefined || b.phase !== 'confirmed') {
    throw new DomainError('invalid-code', 'This ticket is no longer valid (its booking was refunded).');
  }
  if (entry.checkedIn) throw new DomainError('already-checked-in', 'This ticket has already been scanned.');
  return [
    {
      type: 'TicketCheckedIn',
      data: { eventId: s.event.eventId, bookingId: b.id, ticketId: c.ticketId, checkedInAt: c.now },
    },
  ];
};
