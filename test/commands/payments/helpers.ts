import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { EventStore } from '../../../src/commands/event-store/index.js';
import { domainEvent, openPgEventStore } from '../../../src/commands/event-store/index.js';
import { localPaymentPort, createPayments, createWebhookHandler } from '../../../src/commands/payments/index.js';
import { signedDelivery } from '../../../src/commands/payments/local.js';
import type { StripeFormatEvent } from '../../../src/commands/payments/local.js';
import type { PaymentPort, Payments, WebhookHandler } from '../../../src/commands/payments/index.js';
import type { WebhookResult } from '../../../src/commands/payments/webhooks.js';
import { createTicketing } from '../../../src/commands/ticketing/index.js';
import type { Ticketing } from '../../../src/commands/ticketing/index.js';
import { eventStream } from '../../../src/domain/ticketed-event/index.js';
import type { Layout } from '../../../src/domain/venue/index.js';
import { pget } from '../../../src/domain/shared/index.js';
import type { Booking } from '../../../src/domain/ticketed-event/index.js';
import { freshDatabase } from '../../support/services.js';

export const SECRET = `whsec_test_${randomUUID().replace(/-/g, '')}`;
export const OLD_SECRET = `whsec_old_${randomUUID().replace(/-/g, '')}`;
export const ON_SALE = '2027-01-01T10:00:00.000Z';

export const layout: Layout = {
  sections: [
    {
      id: 'A',
      name: 'Block A',
      kind: 'seated',
      rows: [
        { label: '1', seats: 20 },
        { label: '2', seats: 20 },
      ],
    },
    { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 100 },
  ],
};

export const movableClock = (startMs = Date.parse(ON_SALE) + 60_000) => {
  let ms = startMs;
  return { now: () => new Date(ms), advance: (seconds: number) => void (ms += seconds * 1000), ms: () => ms };
};

export const openStore = async (t: Test): Promise<EventStore> => {
  const store = await openPgEventStore({ decode: domainEvent, connectionString: await freshDatabase(t), poolMax: 6 });
  t.teardown(() => store.close());
  return store;
};

export const scheduleEvent = async (ticketing: Ticketing, holdSeconds = 300, onSaleAt = ON_SALE): Promise<string> => {
  const { venueId } = await ticketing.registerVenue({
    registeredBy: 'org1',
    details: {
      name: 'Hall',
      address: '1 St',
      city: 'Leeds',
      country: 'GB',
      location: { lat: 53.8, lng: -1.55 },
      timezone: 'Europe/London',
    },
    layout,
  });
  const { eventId } = await ticketing.scheduleEvent({
    venueId,
    organizerId: 'org1',
    name: 'Aurora Live',
    description: 'An evening with Aurora.',
    category: 'music',
    performers: ['Aurora'],
    startsAt: '2027-03-01T19:30:00.000Z',
    onSaleAt,
    currency: 'GBP',
    sectionPrices: { A: 5000, PIT: 2000 },
    holdSeconds,
  });
  return eventId;
};

export type Core = {
  readonly store: EventStore;
  readonly ticketing: Ticketing;
  readonly clock: ReturnType<typeof movableClock>;
  readonly port: ReturnType<typeof localPaymentPort>;
  readonly webhooks: WebhookHandler;
  readonly payments: Payments;
  readonly eventId: string;
  hold(userId: string, seats: string[], standing?: { sectionId: string; quantity: number }[]): Promise<string>;
  booking(bookingId: string): Promise<Booking>;
  /** The stream's recorded event types. */
  types(): Promise<string[]>;
  deliver(event: StripeFormatEvent, secret?: string): Promise<WebhookResult>;
};

/** The write side on a fresh database with a hand-moved clock, the local provider and the webhook handler. */
export const core = async (t: Test, options: { holdSeconds?: number; port?: (base: Core['port']) => PaymentPort } = {}): Promise<Core> => {
  const store = await openStore(t);
  const clock = movableClock();
  const ticketing = createTicketing({ store, now: clock.now });
  t.teardown(() => ticketing.close());
  const eventId = await scheduleEvent(ticketing, options.holdSeconds);
  const bookingOf = async (eId: string, bookingId: string): Promise<Booking | undefined> => {
    const { state } = await ticketing.eventState(eId, { refresh: true });
    return state.status === 'scheduled' ? pget(state.bookings, bookingId) : undefined;
  };
  const late: { webhooks?: WebhookHandler } = {};
  const port = localPaymentPort({
    publicUrl: 'http://127.0.0.1:3000',
    webhookSecret: SECRET,
    deliver: () => (payload, signature) => late.webhooks!.handle(payload, signature),
    booking: bookingOf,
    now: clock.now,
  });
  const usedPort = options.port ? options.port(port) : port;
  const webhooks = createWebhookHandler({ secrets: [SECRET, OLD_SECRET], livemode: false, ticketing, port: () => usedPort });
  late.webhooks = webhooks;
  const payments = createPayments({ ticketing, port: usedPort, now: clock.now });
  const c: Core = {
    store,
    ticketing,
    clock,
    port,
    webhooks,
    payments,
    eventId,
    async hold(userId, seats, standing = []) {
      return (await ticketing.hold(eventId, { userId, seats, standing })).booking.id;
    },
    async booking(bookingId) {
      const b = await bookingOf(eventId, bookingId);
      if (!b) throw new Error(`no booking ${bookingId}`);
      return b;
    },
    async types() {
      return (await store.readStream(eventStream(eventId))).map((e) => e.type);
    },
    deliver(event, secret = SECRET) {
      const { payload, signature } = signedDelivery(event, secret);
      return webhooks.handle(payload, signature);
    },
  };
  return c;
};

export const count = (types: readonly string[], type: string): number => types.filter((x) => x === type).length;
