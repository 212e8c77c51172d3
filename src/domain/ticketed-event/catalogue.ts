import { DomainError, isList, pvalues, CURRENCY, requireId, requireInt, requireText, timeMs } from '../shared/index.js';
import type { EventDetails, HoldReleased, RefundRequested, TicketedEventEvent } from './events.js';
import type { Layout } from '../venue/index.js';
import { decisionTime, isLiveHold } from './state.js';
import type { CancelEvent, ChangeEventDetails, ConfigureWaitingRoom, ScheduleEvent, ScheduledState, TicketedEventState } from './types.js';
import { validateLayout, validateVenueDetails } from '../venue/index.js';

export const MAX_PRICE = 100_000_000;

const validateDetails = (d: Partial<EventDetails>): void => {
  if (d.name !== undefined) requireText('name', d.name, 200);
  if (d.description !== undefined) requireText('description', d.description, 10_000, true);
  if (d.category !== undefined) requireText('category', d.category, 64);
  if (d.performers !== undefined) {
    if (!isList(d.performers) || d.performers.length > 50) {
      throw new DomainError('invalid-input', 'performers must be a list of at most 50 names.', { field: 'performers' });
    }
    d.performers.forEach((p, i) => requireText(`performers[${i}]`, p, 200));
  }
  if (d.startsAt !== undefined) timeMs('startsAt', d.startsAt);
  if (d.onSaleAt !== undefined) timeMs('onSaleAt', d.onSaleAt);
};

const validateOrder = (onSaleAt: string, startsAt: string): void => {
  if (Date.parse(onSaleAt) > Date.parse(startsAt)) {
    throw new DomainError('invalid-input', 'onSaleAt must not be after startsAt.', { field: 'onSaleAt' });
  }
};

/** Prices for some or all sections: integers >= 0 in minor units, none for a section the layout lacks. */
const validatePrices = (prices: unknown, layout: Layout, complete: boolean): void => {
  if (prices === null || typeof prices !== 'object' || isList(prices)) {
    throw new DomainError('invalid-input', 'sectionPrices must be an object of section id to price.', {
      field: 'sectionPrices',
    });
  }
  const known = new Set(layout.sections.map((s) => s.id));
  const entries = Object.entries(prices as Record<string, unknown>);
  const unknown = entries.map(([id]) => id).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new DomainError('invalid-input', `sectionPrices names sections the layout lacks: ${unknown.join(', ')}.`, {
      field: 'sectionPrices',
      unknown,
    });
  }
  for (const [id, price] of entries) {
    if (typeof price !== 'number' || !Number.isInteger(price) || price < 0 || price > MAX_PRICE) {
      throw new DomainError('invalid-input', `The price of section ${id} must be a whole number of minor units from 0 to ${MAX_PRICE}.`, {
        field: 'sectionPrices',
        section: id,
      });
    }
  }
  if (complete) {
    const given = new Set(entries.map(([id]) => id));
    const missing = [...known].filter((id) => !given.has(id));
    if (missing.length > 0) {
      throw new DomainError('invalid-input', `Every section needs a price; missing: ${missing.join(', ')}.`, {
        field: 'sectionPrices',
        missing,
      });
    }
  }
};

export const decideSchedule = (c: ScheduleEvent, s: TicketedEventState): readonly TicketedEventEvent[] => {
  if (s.status === 'scheduled') throw new DomainError('already-exists', `Event ${c.eventId} is already scheduled.`);
  timeMs('now', c.now);
  requireId('eventId', c.eventId);
  requireId('organizerId', c.organizerId);
  if (c.venue === null || typeof c.venue !== 'object') throw new DomainError('invalid-input', 'venue is required.');
  requireId('venue.id', c.venue.id);
  validateVenueDetails(c.venue);
  validateLayout(c.layout);
  const details: EventDetails = {
    name: c.name,
    description: c.description,
    category: c.category,
    performers: c.performers,
    startsAt: c.startsAt,
    onSaleAt: c.onSaleAt,
  };
  validateDetails(details);
  if (c.production !== undefined) requireText('production', c.production, 200);
  validateOrder(c.onSaleAt, c.startsAt);
  if (typeof c.currency !== 'string' || !CURRENCY.test(c.currency)) {
    throw new DomainError('invalid-input', 'currency must be an ISO 4217 code of three capital letters, e.g. GBP.', {
      field: 'currency',
    });
  }
  validatePrices(c.sectionPrices, c.layout, true);
  requireInt('holdSeconds', c.holdSeconds, 60, 1800);
  requireInt('maxTicketsPerUser', c.maxTicketsPerUser, 1, 50);
  const { id, name, address, city, country, location, timezone } = c.venue;
  return [
    {
      type: 'EventScheduled',
      data: {
        ...details,
        performers: [...c.performers],
        eventId: c.eventId,
        organizerId: c.organizerId,
        ...(c.production === undefined ? {} : { production: c.production.trim() }),
        venue: { id, name, address, city, country, location: { lat: location.lat, lng: location.lng }, timezone },
        layout: c.layout,
        currency: c.currency,
        sectionPrices: { ...c.sectionPrices },
        holdSeconds: c.holdSeconds,
        maxTicketsPerUser: c.maxTicketsPerUser,
      },
    },
  ];
};

export const requireScheduled = (s: TicketedEventState): ScheduledState => {
  if (s.status !== 'scheduled') throw new DomainError('not-found', 'No such event.');
  return s;
};

export const requireNotCancelled = (s: ScheduledState): void => {
  if (s.cancelled) throw new DomainError('event-cancelled', `Event ${s.event.eventId} has been cancelled.`);
};

const DETAIL_KEYS = ['name', 'description', 'category', 'performers', 'startsAt', 'onSaleAt'] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export const decideChangeDetails = (c: ChangeEventDetails, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  requireNotCancelled(s);
  if (c.changes === null || typeof c.changes !== 'object') throw new DomainError('invalid-input', 'changes must be an object.');
  const changes: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) {
    const value = c.changes[key];
    if (value !== undefined && !same(value, s.event[key])) changes[key] = value;
  }
  validateDetails(changes);
  validateOrder((changes.onSaleAt as string | undefined) ?? s.event.onSaleAt, (changes.startsAt as string | undefined) ?? s.event.startsAt);
  if (c.changes.sectionPrices !== undefined) {
    validatePrices(c.changes.sectionPrices, s.event.layout, false);
    const changed = Object.entries(c.changes.sectionPrices).filter(([id, price]) => s.event.sectionPrices[id] !== price);
    if (changed.length > 0) changes.sectionPrices = Object.fromEntries(changed);
  }
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'EventDetailsChanged', data: { eventId: s.event.eventId, changes } }];
};

export const decideCancel = (c: CancelEvent, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  if (s.cancelled) return [];
  const nowMs = decisionTime(s, timeMs('now', c.now));
  requireText('reason', c.reason, 500, true);
  const eventId = s.event.eventId;
  const releases: HoldReleased[] = [];
  const refunds: RefundRequested[] = [];
  for (const b of pvalues(s.bookings)) {
    if (isLiveHold(b, nowMs)) {
      releases.push({
        type: 'HoldReleased',
        data: { eventId, bookingId: b.id, reason: 'cancelled', seats: b.seats, standing: b.standing, releasedAt: c.now },
      });
    } else if (b.phase === 'confirmed') {
      const paid = b.payments.find((p) => p.paymentId === b.confirmedPaymentId);
      refunds.push({
        type: 'RefundRequested',
        data: {
          eventId,
          bookingId: b.id,
          paymentId: paid?.paymentId ?? b.confirmedPaymentId ?? '',
          amount: paid?.amount ?? b.amount,
          currency: paid?.currency ?? b.currency,
          reason: 'event-cancelled',
          requestedAt: c.now,
        },
      });
    }
  }
  return [{ type: 'EventCancelled', data: { eventId, reason: c.reason, cancelledAt: c.now } }, ...releases, ...refunds];
};

export const decideWaitingRoom = (c: ConfigureWaitingRoom, state: TicketedEventState): readonly TicketedEventEvent[] => {
  const s = requireScheduled(state);
  requireNotCancelled(s);
  if (typeof c.enabled !== 'boolean') throw new DomainError('invalid-input', 'enabled must be true or false.', { field: 'enabled' });
  timeMs('opensAt', c.opensAt);
  requireInt('admitPerMinute', c.admitPerMinute, 1, 1_000_000);
  requireInt('accessSeconds', c.accessSeconds, 30, 86_400);
  const next = { enabled: c.enabled, opensAt: c.opensAt, admitPerMinute: c.admitPerMinute, accessSeconds: c.accessSeconds };
  if (same(next, s.waitingRoom)) return [];
  return [{ type: 'WaitingRoomConfigured', data: { eventId: s.event.eventId, ...next } }];
};
