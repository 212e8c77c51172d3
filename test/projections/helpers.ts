import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';
import type { EventStore, LogPosition, RecordedEvent } from '../../src/commands/event-store/index.js';
import { comparePositions, domainEvent, openPgEventStore } from '../../src/commands/event-store/index.js';
import type { TicketedEventEvent } from '../../src/domain/ticketed-event/index.js';
import type { VenueRegistered, Layout } from '../../src/domain/venue/index.js';
import { eventStream } from '../../src/domain/ticketed-event/index.js';
import { venueStream } from '../../src/domain/venue/index.js';
import type { Log } from '../../src/commands/platform/index.js';
import type { Projection, Projector } from '../../src/projections/projector/index.js';
import { freshDatabase } from '../support/services.js';

const noop = (): void => undefined;
export const silentLog: Log = { debug: noop, info: noop, warn: noop, error: noop };

/** A log that keeps what was logged, for asserting on warnings. */
export const recordingLog = () => {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg: string): void => {
      lines.push({ level, msg, obj });
    };
  return { log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } satisfies Log, lines };
};

export type Env = { readonly url: string; readonly store: EventStore; readonly pool: pg.Pool };

/** A fresh database with the PostgreSQL event store and a pool for the read models, closed when the test ends. */
export const openEnv = async (t: Test, url?: string): Promise<Env> => {
  const dbUrl = url ?? (await freshDatabase(t));
  const store = trackAppends(await openPgEventStore({ decode: domainEvent, connectionString: dbUrl, poolMax: 4, pollMs: 100 }));
  const pool = new pg.Pool({ connectionString: dbUrl, max: 8 });
  pool.on('error', () => undefined);
  t.teardown(async () => {
    await store.close();
    await pool.end();
  });
  return { url: dbUrl, store, pool };
};

export const LAYOUT: Layout = {
  sections: [
    {
      id: 'A',
      name: 'Block A',
      kind: 'seated',
      rows: [
        { label: '1', seats: 4 },
        { label: '2', seats: 3 },
      ],
    },
    { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 10 },
  ],
};

const VENUE = {
  name: 'Riverside Arena',
  address: '1 Quay St',
  city: 'Manchester',
  country: 'GB',
  location: { lat: 53.4794, lng: -2.2453 },
  timezone: 'Europe/London',
};

export const venueRegistered = (venueId: string, layout: Layout = LAYOUT): VenueRegistered => ({
  type: 'VenueRegistered',
  data: { venueId, layout, registeredBy: 'org-1', ...VENUE },
});

export const scheduled = (eventId: string, venueId: string, layout: Layout = LAYOUT): TicketedEventEvent => ({
  type: 'EventScheduled',
  data: {
    eventId,
    organizerId: 'org-1',
    venue: { id: venueId, ...VENUE },
    layout,
    name: 'Aurora Live',
    description: 'An evening with Aurora',
    category: 'music',
    performers: ['Aurora', 'Sigrid'],
    startsAt: '2027-03-01T19:30:00.000Z',
    onSaleAt: '2026-01-01T10:00:00.000Z',
    currency: 'GBP',
    sectionPrices: { A: 6500, PIT: 4500 },
    holdSeconds: 300,
    maxTicketsPerUser: 8,
  },
});

export const held = (
  eventId: string,
  bookingId: string,
  opts: {
    userId?: string;
    seats?: string[];
    standing?: { sectionId: string; quantity: number }[];
    heldAt?: string;
    expiresAt?: string;
    amount?: number;
  } = {},
): TicketedEventEvent => {
  const seats = opts.seats ?? [];
  const standing = opts.standing ?? [];
  return {
    type: 'SeatsHeld',
    data: {
      eventId,
      bookingId,
      userId: opts.userId ?? 'user-1',
      seats,
      standing,
      amount: opts.amount ?? seats.length * 6500 + standing.reduce((n, s) => n + s.quantity * 4500, 0),
      currency: 'GBP',
      heldAt: opts.heldAt ?? '2026-11-27T12:00:00.000Z',
      expiresAt: opts.expiresAt ?? '2026-11-27T12:05:00.000Z',
    },
  };
};

export const released = (
  eventId: string,
  bookingId: string,
  reason: 'cancelled' | 'expired',
  seats: string[] = [],
  standing: { sectionId: string; quantity: number }[] = [],
): TicketedEventEvent => ({
  type: 'HoldReleased',
  data: { eventId, bookingId, reason, seats, standing, releasedAt: '2026-11-27T12:06:00.000Z' },
});

export const checkoutStarted = (eventId: string, bookingId: string, paymentId = `cs_${bookingId}`): TicketedEventEvent => ({
  type: 'CheckoutStarted',
  data: {
    eventId,
    bookingId,
    provider: 'local',
    paymentId,
    url: `http://127.0.0.1/pay/${paymentId}`,
    expiresAt: '2026-11-27T12:30:00.000Z',
    startedAt: '2026-11-27T12:01:00.000Z',
  },
});

export const paid = (eventId: string, bookingId: string, amount: number, paymentId = `cs_${bookingId}`): TicketedEventEvent => ({
  type: 'PaymentSucceeded',
  data: {
    eventId,
    bookingId,
    paymentId,
    paymentEventId: `evt_${randomUUID()}`,
    amount,
    currency: 'GBP',
    paidAt: '2026-11-27T12:02:00.000Z',
  },
});

export const confirmed = (
  eventId: string,
  bookingId: string,
  tickets: { seat?: string; sectionId: string }[],
  userId = 'user-1',
  late = false,
): TicketedEventEvent => ({
  type: 'BookingConfirmed',
  data: {
    eventId,
    bookingId,
    userId,
    tickets: tickets.map((t) => ({ ticketId: randomUUID(), sectionId: t.sectionId, ...(t.seat ? { seat: t.seat } : {}) })),
    late,
    confirmedAt: '2026-11-27T12:02:30.000Z',
  },
});

export const refundRequested = (
  eventId: string,
  bookingId: string,
  amount: number,
  reason: 'seats-taken' | 'event-cancelled' | 'duplicate-payment' = 'event-cancelled',
  paymentId = `cs_${bookingId}`,
): TicketedEventEvent => ({
  type: 'RefundRequested',
  data: { eventId, bookingId, paymentId, amount, currency: 'GBP', reason, requestedAt: '2026-11-27T13:00:00.000Z' },
});

export const refundIssued = (eventId: string, bookingId: string, amount: number): TicketedEventEvent => ({
  type: 'RefundIssued',
  data: {
    eventId,
    bookingId,
    refundId: `re_${bookingId}`,
    amount,
    paymentEventId: `evt_${randomUUID()}`,
    refundedAt: '2026-11-27T13:01:00.000Z',
  },
});

export const cancelledEvent = (eventId: string): TicketedEventEvent => ({
  type: 'EventCancelled',
  data: { eventId, reason: 'storm', cancelledAt: '2026-11-27T13:00:00.000Z' },
});

/** The newest position each store appended in this test process: what "caught up" must reach. */
const lastAppended = new WeakMap<EventStore, LogPosition>();
const noteAppended = (store: EventStore, position: LogPosition): void => {
  const known = lastAppended.get(store);
  if (!known || comparePositions(position, known) > 0) lastAppended.set(store, position);
};

/** The store, noting every append's position so that `caughtUp` knows what to wait for. */
export const trackAppends = (inner: EventStore): EventStore => {
  const store: EventStore = {
    ...inner,
    append: async (stream, events, options) => {
      const result = await inner.append(stream, events, options);
      noteAppended(store, result.position);
      return result;
    },
  };
  return store;
};

export const appendEvent = async (store: EventStore, eventId: string, events: readonly TicketedEventEvent[]): Promise<void> => {
  noteAppended(store, (await store.append(eventStream(eventId), events, { expectedVersion: 'any' })).position);
};

export const appendVenue = async (store: EventStore, venueId: string, layout: Layout = LAYOUT): Promise<void> => {
  noteAppended(store, (await store.append(venueStream(venueId), [venueRegistered(venueId, layout)], { expectedVersion: 'any' })).position);
};

/** A venue and a scheduled event on it; returns the ids. */
export const givenEvent = async (store: EventStore, layout: Layout = LAYOUT): Promise<{ venueId: string; eventId: string }> => {
  const venueId = randomUUID();
  const eventId = randomUUID();
  await appendVenue(store, venueId, layout);
  await appendEvent(store, eventId, [scheduled(eventId, venueId, layout)]);
  return { venueId, eventId };
};

export const readEverything = async (store: EventStore, prefixes?: readonly string[]): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let after: LogPosition | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: 500, ...(prefixes ? { streamPrefixes: prefixes } : {}) });
    if (page.length === 0) return out;
    out.push(...page);
    after = page[page.length - 1]?.position;
  }
};

export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

/** Waits until every active projection of `projector` has committed the last event of the log it reads. */
export const caughtUp = async (
  projector: Projector,
  store: EventStore,
  projections: readonly Projection[],
  timeoutMs = 20_000,
): Promise<void> => {
  // readAll never passes a transaction in flight anywhere on the server, so wait until it shows our last append.
  const appended = lastAppended.get(store);
  if (appended)
    await waitFor(
      'the log to show the last append',
      async () => {
        const last = (await readEverything(store)).at(-1);
        return last !== undefined && comparePositions(last.position, appended) >= 0;
      },
      timeoutMs,
    );
  const targets = new Map<string, LogPosition | undefined>();
  for (const p of projections) targets.set(p.name, (await readEverything(store, p.streamPrefixes)).at(-1)?.position);
  await waitFor(
    'projections to catch up',
    async () =>
      projector.status().every((s) => {
        const target = targets.get(s.name);
        return target === undefined || (s.position !== undefined && comparePositions(s.position, target) >= 0);
      }),
    timeoutMs,
  );
};

/** Every row of the given tables, sorted, for comparing read models. */
/** Places held and sold that the catalogue counts for an event; undefined when it does not know the event. */
export const catalogueCounts = async (db: pg.Pool, eventId: string): Promise<{ held: number; sold: number } | undefined> =>
  (await db.query<{ held: number; sold: number }>('SELECT held, sold FROM catalogue_events WHERE event_id = $1', [eventId])).rows[0];

export const dumpTables = async (db: pg.Pool, tables: readonly string[]): Promise<Record<string, unknown[]>> => {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const r = await db.query(`SELECT to_jsonb(x) AS row FROM ${table} x`);
    out[table] = r.rows.map((row: { row: unknown }) => JSON.stringify(row.row)).sort();
  }
  return out;
};

export const READ_MODEL_TABLES = [
  'catalogue_venues',
  'catalogue_events',
  'catalogue_ledger',
  'seatmap_events',
  'seatmap_rows',
  'seatmap_standing',
  'seatmap_owners',
  'seatmap_ledger',
  'bookings',
  'bookings_events',
  'booking_tickets',
  'hold_deadlines',
] as const;
