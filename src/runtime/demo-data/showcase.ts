import type { Ticketing } from '../../commands/ticketing/index.js';
import type { Log } from '../../commands/platform/index.js';
import type { Layout, VenueDetails } from '../../domain/venue/index.js';
import { demoId } from './demo-data.js';

/**
 * Demo rows for the newer features, loaded with the demo data (so only into a
 * fresh store): a film with a week of showtimes at three cinemas (productions),
 * and a sold-out gig with buyers on its waitlist.
 */

const cinema = (name: string, address: string, city: string, lat: number, lng: number): { details: VenueDetails; layout: Layout } => ({
  details: { name, address, city, country: 'GB', location: { lat, lng }, timezone: 'Europe/London' },
  layout: {
    sections: [
      {
        id: 'S',
        name: 'Stalls',
        kind: 'seated',
        rows: Array.from({ length: 8 }, (_, i) => ({ label: String.fromCharCode(65 + i), seats: 14 })),
      },
    ],
  },
});

const CINEMAS = [
  { key: 'northern-screen-manchester', ...cinema('Northern Screen', '12 Oxford Rd', 'Manchester', 53.4723, -2.2398) },
  { key: 'electric-birmingham', ...cinema('Electric Picture House', '47 Station St', 'Birmingham', 52.4774, -1.8969) },
  { key: 'riverside-screen-london', ...cinema('Riverside Screen', '3 Bankside', 'London', 51.5076, -0.0994) },
];

const ROOM = {
  key: 'attic-room-manchester',
  details: {
    name: 'The Attic Room',
    address: '9 Tib St',
    city: 'Manchester',
    country: 'GB',
    location: { lat: 53.4839, lng: -2.2346 },
    timezone: 'Europe/London',
  },
  layout: {
    sections: [
      {
        id: 'F',
        name: 'Floor',
        kind: 'seated',
        rows: [
          { label: '1', seats: 6 },
          { label: '2', seats: 6 },
        ],
      },
    ],
  } as Layout,
};

export const SHOWCASE_PRODUCTION = 'Dune: Part Three';
export const SHOWCASE_SOLD_OUT = 'Aurora: Attic Session';

export const loadDemoShowcase = async (
  ticketing: Ticketing,
  deps: { readonly organizerId: string; readonly now?: Date; readonly log?: Pick<Log, 'info'> },
): Promise<{ showtimes: number; waitlist: number }> => {
  const now = deps.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const onSaleAt = new Date(today - 86_400_000).toISOString();
  const ctx = { userId: deps.organizerId };
  let showtimes = 0;
  for (const c of [...CINEMAS, ROOM]) {
    await ticketing.registerVenue(
      { venueId: demoId(`venue-${c.key}`), registeredBy: deps.organizerId, details: c.details, layout: c.layout },
      ctx,
    );
  }
  // a week of evenings, three showings a day, at each cinema
  for (const [v, c] of CINEMAS.entries()) {
    for (let d = 1; d <= 7; d++) {
      for (const hour of [14, 17, 20]) {
        await ticketing.scheduleEvent(
          {
            eventId: demoId(`showtime-${c.key}-${d}-${hour}`),
            venueId: demoId(`venue-${c.key}`),
            organizerId: deps.organizerId,
            name: SHOWCASE_PRODUCTION,
            production: SHOWCASE_PRODUCTION,
            description: 'The final chapter of the saga, on the big screen.',
            category: 'film',
            performers: ['Denis Villeneuve', 'Zendaya'],
            startsAt: new Date(today + d * 86_400_000 + (hour + v * 0.5) * 3_600_000).toISOString(),
            onSaleAt,
            currency: 'GBP',
            sectionPrices: { S: 1100 + v * 100 },
          },
          ctx,
        );
        showtimes++;
      }
    }
  }
  // a small gig, every seat sold to demo buyers, and three buyers waiting for returns
  const eventId = demoId('event-sold-out-attic');
  await ticketing.scheduleEvent(
    {
      eventId,
      venueId: demoId(`venue-${ROOM.key}`),
      organizerId: deps.organizerId,
      name: SHOWCASE_SOLD_OUT,
      description: 'Twelve seats, one voice. Sold out: join the waitlist for returns.',
      category: 'music',
      performers: ['Aurora'],
      startsAt: new Date(today + 10 * 86_400_000 + 20 * 3_600_000).toISOString(),
      onSaleAt,
      currency: 'GBP',
      sectionPrices: { F: 3500 },
      maxTicketsPerUser: 6,
    },
    ctx,
  );
  for (const row of ['1', '2']) {
    const buyer = demoId(`buyer-attic-${row}`);
    const held = await ticketing.hold(eventId, { userId: buyer, seats: [], best: { quantity: 6, sectionId: 'F' } }, { userId: buyer });
    await ticketing.recordPaymentSucceeded(
      eventId,
      {
        bookingId: held.booking.id,
        paymentId: `demo-payment-${row}`,
        paymentEventId: `demo-payment-event-${row}`,
        amount: held.booking.amount,
        currency: 'GBP',
      },
      { userId: buyer },
    );
  }
  const waiting = [1, 2, 3];
  for (const i of waiting) {
    const buyer = demoId(`waitlist-attic-${i}`);
    await ticketing.joinWaitlist(eventId, { userId: buyer, quantity: i === 2 ? 1 : 2 }, { userId: buyer });
  }
  deps.log?.info({ showtimes, waitlist: waiting.length }, 'demo showtimes and a sold-out event with a waitlist scheduled');
  return { showtimes, waitlist: waiting.length };
};
