import { createHash } from 'node:crypto';
import type { EventStore } from '../../commands/event-store/index.js';
import type { Ticketing } from '../../commands/ticketing/index.js';
import type { VenueDetails, Layout, Section } from '../../domain/venue/index.js';
import type { Log } from '../../commands/platform/index.js';

/** A stable UUID (version 5 layout) from a name, so demo ids are the same on every machine. */
export const demoId = (name: string): string => {
  const h = createHash('sha1').update(`marquee-demo:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
};

const rows = (count: number, seats: number, labels?: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({ label: labels ? labels(i) : String(i + 1), seats }));
const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`);
const seated = (id: string, name: string, r: { label: string; seats: number }[]): Section => ({ id, name, kind: 'seated', rows: r });

type DemoVenue = {
  readonly key: string;
  readonly details: VenueDetails;
  readonly layout: Layout;
  readonly categories: readonly string[];
  /** Price of each section in minor units. */
  readonly prices: (sectionId: string, tier: number) => number;
  readonly currency: string;
  /** Rough UTC offset in hours, so shows start in the local evening (DST ignored: demo data). */
  readonly utcOffset: number;
};

const blocks = (n: number, rowCount: number, seats: number, prefix: string): Section[] =>
  Array.from({ length: n }, (_, i) => seated(`${prefix}${i + 1}`, `Block ${prefix}${i + 1}`, rows(rowCount, seats)));

/** The demo venues: a cinema, a theatre, an arena with a standing pit, a stadium and two small rooms, in real cities. */
export const DEMO_VENUES: readonly DemoVenue[] = [
  {
    key: 'picturehouse-london',
    details: {
      name: 'Soho Picturehouse',
      address: '7 Leicester Place',
      city: 'London',
      country: 'GB',
      location: { lat: 51.5113, lng: -0.1303 },
      timezone: 'Europe/London',
    },
    layout: { sections: [seated('S', 'Stalls', rows(10, 15, letters))] },
    categories: ['film'],
    prices: (_s, tier) => 1200 + tier * 150,
    currency: 'GBP',
    utcOffset: 0,
  },
  {
    key: 'harbour-theatre-sydney',
    details: {
      name: 'Harbour Theatre',
      address: '2 Circular Quay',
      city: 'Sydney',
      country: 'AU',
      location: { lat: -33.8597, lng: 151.2111 },
      timezone: 'Australia/Sydney',
    },
    layout: {
      sections: [
        seated('ST', 'Stalls', rows(25, 32, letters)),
        seated('DC', 'Dress Circle', rows(12, 35, letters)),
        seated('UC', 'Upper Circle', rows(10, 28, letters)),
      ],
    },
    categories: ['theatre', 'theatre', 'family', 'comedy'],
    prices: (s, tier) => ({ ST: 8900, DC: 7400, UC: 4900 })[s]! + tier * 500,
    currency: 'AUD',
    utcOffset: 10,
  },
  {
    key: 'lakeside-arena-chicago',
    details: {
      name: 'Lakeside Arena',
      address: '1901 W Madison St',
      city: 'Chicago',
      country: 'US',
      location: { lat: 41.8807, lng: -87.6742 },
      timezone: 'America/Chicago',
    },
    layout: { sections: [...blocks(16, 25, 40, 'B'), { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 4000 }] },
    categories: ['music', 'music', 'sports', 'comedy', 'family'],
    prices: (s, tier) => (s === 'PIT' ? 7500 : 5500 + (Number(s.slice(1)) % 4) * 1000) + tier * 1000,
    currency: 'USD',
    utcOffset: -6,
  },
  {
    key: 'olympiastadion-munich',
    details: {
      name: 'Olympiastadion',
      address: 'Spiridon-Louis-Ring 21',
      city: 'Munich',
      country: 'DE',
      location: { lat: 48.1731, lng: 11.5466 },
      timezone: 'Europe/Berlin',
    },
    layout: { sections: blocks(40, 50, 30, 'S') },
    categories: ['sports', 'music'],
    prices: (s, tier) => 4500 + (Number(s.slice(1)) % 5) * 1500 + tier * 1000,
    currency: 'EUR',
    utcOffset: 1,
  },
  {
    key: 'cellar-comedy-new-york',
    details: {
      name: 'The Cellar',
      address: '117 MacDougal St',
      city: 'New York',
      country: 'US',
      location: { lat: 40.7301, lng: -74.0006 },
      timezone: 'America/New_York',
    },
    layout: { sections: [seated('M', 'Main room', rows(10, 25, letters))] },
    categories: ['comedy'],
    prices: (_s, tier) => 2500 + tier * 500,
    currency: 'USD',
    utcOffset: -5,
  },
  {
    key: 'regal-cinema-mumbai',
    details: {
      name: 'Regal Talkies',
      address: 'Colaba Causeway',
      city: 'Mumbai',
      country: 'IN',
      location: { lat: 18.9237, lng: 72.8317 },
      timezone: 'Asia/Kolkata',
    },
    layout: {
      sections: [
        seated('G', 'Gold', rows(12, 14, letters)),
        seated(
          'P',
          'Platinum',
          rows(4, 12, (i) => `P${i + 1}`),
        ),
      ],
    },
    categories: ['film', 'family'],
    prices: (s, tier) => (s === 'P' ? 45000 : 25000) + tier * 5000,
    currency: 'INR',
    utcOffset: 5.5,
  },
];

const TITLES: Record<string, { names: readonly string[]; performers: readonly string[][] }> = {
  music: {
    names: [
      'Aurora Live',
      'Northern Lights Tour',
      'The Midnight Sessions',
      'Velvet Echo World Tour',
      'Summer Anthems',
      'Glasshouse Symphony Night',
      'Neon Parade',
      'Saltwater Hearts Tour',
    ],
    performers: [
      ['Aurora'],
      ['The Northern Lights'],
      ['The Midnight'],
      ['Velvet Echo'],
      ['DJ Solstice', 'Marina Vale'],
      ['Glasshouse Symphony Orchestra'],
      ['Neon Parade'],
      ['Saltwater Hearts'],
    ],
  },
  theatre: {
    names: ['Hamlet', 'The Glass Menagerie', 'A Midsummer Night’s Dream', 'Les Étoiles', 'The Lighthouse Keeper', 'Death of a Salesman'],
    performers: [
      ['Harbour Theatre Company'],
      ['Harbour Theatre Company'],
      ['The Players’ Guild'],
      ['Compagnie Lumière'],
      ['Harbour Theatre Company'],
      ['The Players’ Guild'],
    ],
  },
  comedy: {
    names: ['Laugh Riot', 'Late Night Stand-up', 'Improv Jam', 'The Deadpan Hour', 'Open Mic Finals'],
    performers: [['Sam Okafor'], ['Priya Raman', 'Leo Marsh'], ['The Improvisers'], ['Dana Flint'], ['Various artists']],
  },
  sports: {
    names: ['Championship Final', 'City Derby', 'Basketball Night', 'Rugby Sevens', 'Boxing: Title Fight'],
    performers: [
      ['Rovers FC', 'United FC'],
      ['City FC', 'Athletic FC'],
      ['Chicago Wind', 'Detroit Iron'],
      ['Sevens Invitational'],
      ['Kane Ortiz', 'Miles Duarte'],
    ],
  },
  film: {
    names: [
      'Dune: Part Two',
      'Casablanca (restored)',
      'The Grand Budapest Hotel',
      'Spirited Away',
      'Interstellar in 70mm',
      'Paddington 2',
      'Lagaan',
      'Amélie',
    ],
    performers: [
      ['Denis Villeneuve'],
      ['Michael Curtiz'],
      ['Wes Anderson'],
      ['Hayao Miyazaki'],
      ['Christopher Nolan'],
      ['Paul King'],
      ['Ashutosh Gowariker'],
      ['Jean-Pierre Jeunet'],
    ],
  },
  family: {
    names: ['Circus of Wonders', 'The Gruffalo Live', 'Ice Princess on Ice', 'Dinosaur Adventure', 'Magic Lantern Show'],
    performers: [['Cirque Étoile'], ['Tall Stories'], ['Ice Dreams Company'], ['Jurassic Live'], ['The Lantern Players']],
  },
};

const DESCRIPTIONS: Record<string, string> = {
  music: 'An evening of live music. Doors open an hour before the show.',
  theatre: 'A new production of a classic, with an interval of twenty minutes.',
  comedy: 'Stand-up from touring comedians. Ages 16 and over.',
  sports: 'Live sport. Gates open ninety minutes before kick-off.',
  film: 'A screening on the big screen, with trailers before the feature.',
  family: 'A show for the whole family, suitable for ages 4 and up.',
};

/** A small seeded generator, so every demo store gets the same events. */
const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};

export type DemoEventPlan = {
  readonly eventId: string;
  readonly venueKey: string;
  readonly name: string;
  readonly category: string;
  readonly performers: readonly string[];
  readonly description: string;
  readonly startsAt: string;
  readonly onSaleAt: string;
  readonly currency: string;
  readonly sectionPrices: Readonly<Record<string, number>>;
};

/** About a hundred upcoming events over the next four months, most on sale now, some later. */
export const planDemoEvents = (now: Date, count = 100): DemoEventPlan[] => {
  const rnd = prng(20_261_127);
  const day = 86_400_000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => {
    const venue = DEMO_VENUES[i % DEMO_VENUES.length]!;
    const category = venue.categories[Math.floor(rnd() * venue.categories.length)]!;
    const titles = TITLES[category]!;
    const pick = Math.floor(rnd() * titles.names.length);
    const tier = Math.floor(rnd() * 3);
    const startsAt = new Date(today + (2 + Math.floor(rnd() * 120)) * day + (18 + Math.floor(rnd() * 3) - venue.utcOffset) * 3_600_000);
    const onSaleLater = rnd() < 0.1;
    const onSaleAt = onSaleLater
      ? new Date(Math.min(startsAt.getTime() - day, today + (1 + Math.floor(rnd() * 14)) * day + 10 * 3_600_000))
      : new Date(today - day);
    return {
      eventId: demoId(`event-${i}`),
      venueKey: venue.key,
      name: titles.names[pick]!,
      category,
      performers: titles.performers[pick]!,
      description: DESCRIPTIONS[category]!,
      startsAt: startsAt.toISOString(),
      onSaleAt: onSaleAt.toISOString(),
      currency: venue.currency,
      sectionPrices: Object.fromEntries(venue.layout.sections.map((s) => [s.id, venue.prices(s.id, tier)])),
    };
  });
};

/**
 * Loads the demo venues and events through the normal command path, once: a
 * store that already has a venue is left alone.
 */
export const loadDemoData = async (
  ticketing: Ticketing,
  deps: {
    readonly store: EventStore;
    readonly organizerId: string;
    readonly log?: Pick<Log, 'info'>;
    readonly now?: Date;
    readonly events?: number;
  },
): Promise<{ venues: number; events: number }> => {
  const existing = await deps.store.readAll({ maxCount: 1, streamPrefixes: ['venue-'] });
  if (existing.length > 0) return { venues: 0, events: 0 };
  const venueIds = new Map<string, string>();
  for (const v of DEMO_VENUES) {
    const venueId = demoId(`venue-${v.key}`);
    await ticketing.registerVenue(
      { venueId, registeredBy: deps.organizerId, details: v.details, layout: v.layout },
      { userId: deps.organizerId },
    );
    venueIds.set(v.key, venueId);
  }
  const plans = planDemoEvents(deps.now ?? new Date(), deps.events ?? 100);
  for (const p of plans) {
    await ticketing.scheduleEvent(
      {
        eventId: p.eventId,
        venueId: venueIds.get(p.venueKey)!,
        organizerId: deps.organizerId,
        name: p.name,
        description: p.description,
        category: p.category,
        performers: p.performers,
        startsAt: p.startsAt,
        onSaleAt: p.onSaleAt,
        currency: p.currency,
        sectionPrices: p.sectionPrices,
      },
      { userId: deps.organizerId },
    );
  }
  deps.log?.info({ venues: DEMO_VENUES.length, events: plans.length }, 'demo venues and events scheduled');
  return { venues: DEMO_VENUES.length, events: plans.length };
};
