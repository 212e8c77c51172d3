import type pg from 'pg';
import type { RecordedEvent } from '../../commands/event-store/index.js';
import { isTicketedEventEvent, type EventScheduled, type TicketedEventEvent } from '../../domain/ticketed-event/index.js';
import { performerId } from '../../domain/shared/index.js';
import { parseSeatId } from '../../domain/venue/index.js';
import type { Projection } from '../projector/index.js';
import type { EventDoc, SearchDocStore, SectionStock } from './port.js';

/**
 * Keeps one search document per ticketed event current: catalogue details,
 * cancellation, availability (held and sold per section) and "price from" (the
 * cheapest section with places left). Idempotent by stream version: an event at
 * or below a document's version changes nothing, so replays are harmless.
 * Availability is coalesced: one document write per event per batch however
 * many holds the batch carries.
 */

type BookingState = 'held' | 'released' | 'sold';

type Booking = {
  readonly id: string;
  readonly eventId: string;
  /** Places per section. */
  readonly counts: Readonly<Record<string, number>>;
  readonly state: BookingState;
};

const EVENT_PREFIX = 'event-';

export const bookingsTable = (kind: SearchDocStore['kind']): string => (kind === 'postgres' ? 'search_bookings' : 'search_ts_bookings');

const countsOf = (items: readonly { sectionId: string; quantity: number }[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const { sectionId, quantity } of items) counts[sectionId] = (counts[sectionId] ?? 0) + quantity;
  return counts;
};

const seatCounts = (seats: readonly string[], standing: readonly { sectionId: string; quantity: number }[]): Record<string, number> =>
  countsOf([...seats.map((s) => ({ sectionId: parseSeatId(s)?.sectionId ?? s.split('-')[0] ?? s, quantity: 1 })), ...standing]);

const withStock = (doc: Omit<EventDoc, 'priceFrom' | 'available' | 'capacity'>): EventDoc => {
  let available = 0;
  let capacity = 0;
  let cheapestLeft = Number.POSITIVE_INFINITY;
  let cheapest = Number.POSITIVE_INFINITY;
  for (const s of doc.sections) {
    const left = Math.max(0, s.capacity - s.held - s.sold);
    available += left;
    capacity += s.capacity;
    cheapest = Math.min(cheapest, s.price);
    if (left > 0) cheapestLeft = Math.min(cheapestLeft, s.price);
  }
  const priceFrom = Number.isFinite(cheapestLeft) ? cheapestLeft : Number.isFinite(cheapest) ? cheapest : 0;
  return { ...doc, available, capacity, priceFrom };
};

const adjust = (doc: EventDoc, counts: Readonly<Record<string, number>>, field: 'held' | 'sold', sign: 1 | -1): EventDoc =>
  withStock({
    ...doc,
    sections: doc.sections.map((s): SectionStock => {
      const n = counts[s.id];
      return n === undefined ? s : { ...s, [field]: Math.max(0, s[field] + sign * n) };
    }),
  });

export const scheduledDoc = (e: EventScheduled['data'], version: number): EventDoc =>
  withStock({
    id: e.eventId,
    version,
    name: e.name,
    description: e.description,
    category: e.category,
    performers: performersOf(e.performers),
    startsAt: e.startsAt,
    venue: { id: e.venue.id, name: e.venue.name, city: e.venue.city, country: e.venue.country, location: e.venue.location },
    currency: e.currency,
    sections: e.layout.sections.map((s) => ({
      id: s.id,
      price: e.sectionPrices[s.id] ?? 0,
      capacity: s.kind === 'standing' ? s.capacity : s.rows.reduce((n, r) => n + r.seats, 0),
      held: 0,
      sold: 0,
    })),
    status: 'scheduled',
    ...(e.production === undefined ? {} : { production: { id: performerId(e.production), name: e.production } }),
  });

const performersOf = (names: readonly string[]) => {
  const seen = new Map<string, string>();
  for (const name of names) {
    const id = performerId(name);
    if (id && !seen.has(id)) seen.set(id, name);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
};

type Step = { doc: EventDoc | undefined; booking?: Booking; text: boolean; changed: boolean };

/** One event's effect on its document and (for inventory events) on one booking. */
const step = (doc: EventDoc | undefined, event: TicketedEventEvent, version: number, booking: Booking | undefined): Step => {
  const unchanged: Step = { doc, text: false, changed: false };
  if (event.type === 'EventScheduled') return { doc: scheduledDoc(event.data, version), text: true, changed: true };
  if (!doc) return unchanged;
  const v = (d: EventDoc): EventDoc => ({ ...d, version });
  switch (event.type) {
    case 'EventDetailsChanged': {
      const c = event.data.changes;
      const prices = c.sectionPrices;
      const next = withStock({
        ...doc,
        ...(c.name === undefined ? {} : { name: c.name }),
        ...(c.description === undefined ? {} : { description: c.description }),
        ...(c.category === undefined ? {} : { category: c.category }),
        ...(c.startsAt === undefined ? {} : { startsAt: c.startsAt }),
        ...(c.performers === undefined ? {} : { performers: performersOf(c.performers) }),
        sections: prices ? doc.sections.map((s) => ({ ...s, price: prices[s.id] ?? s.price })) : doc.sections,
      });
      return { doc: v(next), text: true, changed: true };
    }
    case 'EventCancelled':
      return { doc: v({ ...doc, status: 'cancelled' }), text: false, changed: true };
    case 'SeatsHeld': {
      const counts = seatCounts(event.data.seats, event.data.standing);
      const b: Booking = { id: event.data.bookingId, eventId: doc.id, counts, state: 'held' };
      if (booking && booking.state !== 'released') return unchanged;
      return { doc: v(adjust(doc, counts, 'held', 1)), booking: b, text: false, changed: true };
    }
    case 'HoldReleased': {
      if (!booking || booking.state !== 'held') return unchanged;
      return {
        doc: v(adjust(doc, booking.counts, 'held', -1)),
        booking: { ...booking, state: 'released' },
        text: false,
        changed: true,
      };
    }
    case 'BookingConfirmed': {
      if (booking?.state === 'sold') return unchanged;
      const sold = countsOf(event.data.tickets.map((tk) => ({ sectionId: tk.sectionId, quantity: 1 })));
      const released = booking?.state === 'held' ? adjust(doc, booking.counts, 'held', -1) : doc;
      return {
        doc: v(adjust(released, sold, 'sold', 1)),
        booking: { id: event.data.bookingId, eventId: doc.id, counts: sold, state: 'sold' },
        text: false,
        changed: true,
      };
    }
    // Refunds in this domain settle payments whose seats were never sold (taken, duplicate) or
    // belong to a cancelled event, so they do not change availability.
    case 'RefundRequested':
    case 'RefundIssued':
    case 'WaitingRoomConfigured':
    case 'CheckoutStarted':
    case 'PaymentSucceeded':
    case 'PaymentFailed':
    case 'TicketCheckedIn':
    case 'WaitlistJoined':
    case 'WaitlistLeft':
    case 'WaitlistOffered':
    case 'WaitlistOfferLapsed':
      return unchanged;
    default: {
      const _: never = event;
      return unchanged;
    }
  }
};

const bookingIdOf = (event: TicketedEventEvent): string | undefined => {
  switch (event.type) {
    case 'SeatsHeld':
    case 'HoldReleased':
    case 'BookingConfirmed':
      return event.data.bookingId;
    default:
      return undefined;
  }
};

/** The only types `step` does anything with; the rest of a batch costs no reads. */
const CHANGES_DOCS: ReadonlySet<string> = new Set<TicketedEventEvent['type']>([
  'EventScheduled',
  'EventDetailsChanged',
  'EventCancelled',
  'SeatsHeld',
  'HoldReleased',
  'BookingConfirmed',
]);

const changesDocs = (e: RecordedEvent): e is RecordedEvent<TicketedEventEvent> => isTicketedEventEvent(e) && CHANGES_DOCS.has(e.type);

const loadBookings = async (db: pg.PoolClient, table: string, ids: readonly string[]): Promise<Map<string, Booking>> => {
  const found = new Map<string, Booking>();
  if (ids.length === 0) return found;
  const { rows } = await db.query<{ booking_id: string; event_id: string; counts: Record<string, number>; state: BookingState }>(
    `SELECT booking_id, event_id, counts, state FROM ${table} WHERE booking_id = ANY($1::text[])`,
    [ids],
  );
  for (const r of rows) found.set(r.booking_id, { id: r.booking_id, eventId: r.event_id, counts: r.counts, state: r.state });
  return found;
};

const saveBookings = async (db: pg.PoolClient, table: string, bookings: readonly Booking[]): Promise<void> => {
  if (bookings.length === 0) return;
  await db.query(
    `INSERT INTO ${table} (booking_id, event_id, counts, state)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])
     ON CONFLICT (booking_id) DO UPDATE SET counts = excluded.counts, state = excluded.state`,
    [
      bookings.map((b) => b.id),
      bookings.map((b) => b.eventId),
      bookings.map((b) => JSON.stringify(b.counts)),
      bookings.map((b) => b.state),
    ],
  );
};

/** Folds a batch of recorded events into the documents they touch; pure apart from the reads and writes given. */
export const applySearchBatch = async (
  db: pg.PoolClient,
  store: SearchDocStore,
  events: readonly RecordedEvent[],
): Promise<{ saved: number }> => {
  const table = bookingsTable(store.kind);
  const relevant: { id: string; version: number; event: TicketedEventEvent }[] = [];
  for (const e of events) {
    if (!e.stream.startsWith(EVENT_PREFIX) || !changesDocs(e)) continue;
    relevant.push({ id: e.stream.slice(EVENT_PREFIX.length), version: e.version, event: e });
  }
  if (relevant.length === 0) return { saved: 0 };
  const docs = await store.load(db, [...new Set(relevant.map((r) => r.id))]);
  // A booking first seen here in its SeatsHeld is new (each event reaches a projection once): nothing to read.
  const seen = new Set<string>();
  const bookingIds: string[] = [];
  for (const r of relevant) {
    const id = bookingIdOf(r.event);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    if (r.event.type !== 'SeatsHeld') bookingIds.push(id);
  }
  const bookings = await loadBookings(db, table, bookingIds);
  const changedDocs = new Set<string>();
  const textChanged = new Set<string>();
  const changedBookings = new Set<string>();
  for (const { id, version, event } of relevant) {
    const doc = docs.get(id);
    if (doc && version <= doc.version) continue;
    const bookingId = bookingIdOf(event);
    const result = step(doc, event, version, bookingId === undefined ? undefined : bookings.get(bookingId));
    if (!result.changed || !result.doc) continue;
    docs.set(id, result.doc);
    changedDocs.add(id);
    if (result.text) textChanged.add(id);
    if (result.booking) {
      bookings.set(result.booking.id, result.booking);
      changedBookings.add(result.booking.id);
    }
  }
  await saveBookings(
    db,
    table,
    [...changedBookings].map((b) => bookings.get(b)).filter((b): b is Booking => b !== undefined),
  );
  const toSave = [...changedDocs].map((id) => docs.get(id)).filter((d): d is EventDoc => d !== undefined);
  if (toSave.length > 0) await store.save(db, toSave, textChanged);
  return { saved: toSave.length };
};

export const setupSearchBookings = async (db: pg.PoolClient, kind: SearchDocStore['kind']): Promise<void> => {
  await db.query(`CREATE TABLE IF NOT EXISTS ${bookingsTable(kind)} (
    booking_id text PRIMARY KEY,
    event_id text NOT NULL,
    counts jsonb NOT NULL,
    state text NOT NULL
  )`);
};

/** The projection the projector runs; its name carries the adapter so switching adapters rebuilds the new index from zero. */
export const searchProjection = (store: SearchDocStore): Projection => ({
  name: `search-${store.kind}`,
  streamPrefixes: [EVENT_PREFIX],
  gather: true,
  setup: async (db) => {
    await setupSearchBookings(db, store.kind);
    await store.setup(db);
  },
  reset: async (db) => {
    await db.query(`TRUNCATE ${bookingsTable(store.kind)}`);
    await store.reset(db);
  },
  apply: async (db, events) => {
    await applySearchBatch(db, store, events);
  },
  ...(store.afterCommit ? { afterCommit: async () => store.afterCommit?.() } : {}),
  tables: [bookingsTable(store.kind), ...(store.tables ?? [])],
});
