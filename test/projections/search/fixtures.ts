import type { EventScheduled, TicketedEventEvent } from '../../../src/domain/ticketed-event/index.js';
import type { VenueDetails, GeoPoint } from '../../../src/domain/venue/index.js';

/** Real venues with real coordinates, so radius tests mean what they say. */
export const venues = {
  wembley: {
    id: 'wembley',
    name: 'Wembley Stadium',
    address: 'Wembley',
    city: 'London',
    country: 'GB',
    location: { lat: 51.556, lng: -0.2796 },
    timezone: 'Europe/London',
  },
  odeon: {
    id: 'odeon-lsq',
    name: 'Odeon Luxe Leicester Square',
    address: '24-26 Leicester Square',
    city: 'London',
    country: 'GB',
    location: { lat: 51.5103, lng: -0.1301 },
    timezone: 'Europe/London',
  },
  o2: {
    id: 'o2-arena',
    name: 'The O2',
    address: 'Peninsula Square',
    city: 'London',
    country: 'GB',
    location: { lat: 51.503, lng: 0.0032 },
    timezone: 'Europe/London',
  },
  etihad: {
    id: 'etihad',
    name: 'Etihad Stadium',
    address: 'Ashton New Rd',
    city: 'Manchester',
    country: 'GB',
    location: { lat: 53.4831, lng: -2.2004 },
    timezone: 'Europe/London',
  },
  oldTrafford: {
    id: 'old-trafford',
    name: 'Old Trafford',
    address: 'Sir Matt Busby Way',
    city: 'Manchester',
    country: 'GB',
    location: { lat: 53.4631, lng: -2.2913 },
    timezone: 'Europe/London',
  },
  rst: {
    id: 'rst',
    name: 'Royal Shakespeare Theatre',
    address: 'Waterside',
    city: 'Stratford-upon-Avon',
    country: 'GB',
    location: { lat: 52.1907, lng: -1.7046 },
    timezone: 'Europe/London',
  },
  stadeDeFrance: {
    id: 'stade-de-france',
    name: 'Stade de France',
    address: 'Saint-Denis',
    city: 'Paris',
    country: 'FR',
    location: { lat: 48.9245, lng: 2.3601 },
    timezone: 'Europe/Paris',
  },
  colston: {
    id: 'colston-hall',
    name: 'Beacon Hall',
    address: 'Colston St',
    city: 'Bristol',
    country: 'GB',
    location: { lat: 51.4545, lng: -2.5979 },
    timezone: 'Europe/London',
  },
} satisfies Record<string, VenueDetails & { id: string }>;

type VenueKey = keyof typeof venues;

export const scheduled = (
  eventId: string,
  venue: VenueKey,
  o: { name: string; performers: string[]; category: string; startsAt: string; description?: string; prices?: { A: number; PIT: number } },
): EventScheduled => ({
  type: 'EventScheduled',
  data: {
    eventId,
    organizerId: 'org-1',
    venue: venues[venue],
    layout: {
      sections: [
        {
          id: 'A',
          name: 'Block A',
          kind: 'seated',
          rows: [
            { label: '1', seats: 5 },
            { label: '2', seats: 5 },
          ],
        },
        { id: 'PIT', name: 'Pit', kind: 'standing', capacity: 100 },
      ],
    },
    name: o.name,
    description: o.description ?? `${o.name}: an evening not to miss.`,
    category: o.category,
    performers: o.performers,
    startsAt: o.startsAt,
    onSaleAt: '2029-01-01T10:00:00Z',
    currency: 'GBP',
    sectionPrices: o.prices ?? { A: 6500, PIT: 4500 },
    holdSeconds: 300,
    maxTicketsPerUser: 8,
  },
});

/** The catalogue every contract test starts from (stream name, events). */
export const catalogue = (): [string, TicketedEventEvent[]][] => [
  [
    'taylor',
    [
      scheduled('taylor', 'wembley', {
        name: 'The Eras Tour',
        performers: ['Taylor Swift'],
        category: 'music',
        startsAt: '2030-06-01T18:00:00Z',
        description: 'Stadium pop spectacular across every era.',
      }),
    ],
  ],
  [
    'coldplay',
    [
      scheduled('coldplay', 'etihad', {
        name: 'Music of the Spheres',
        performers: ['Coldplay'],
        category: 'music',
        startsAt: '2030-07-01T19:00:00Z',
      }),
    ],
  ],
  [
    'hamlet',
    [
      scheduled('hamlet', 'rst', {
        name: 'Hamlet',
        performers: ['Royal Shakespeare Company'],
        category: 'theatre',
        startsAt: '2030-05-10T19:30:00Z',
        description: 'The prince of Denmark, revenge and ghosts.',
      }),
    ],
  ],
  [
    'derby',
    [
      scheduled('derby', 'oldTrafford', {
        name: 'Manchester United v Liverpool',
        performers: ['Manchester United', 'Liverpool FC'],
        category: 'sports',
        startsAt: '2030-03-15T15:00:00Z',
      }),
    ],
  ],
  [
    'dune',
    [
      scheduled('dune', 'odeon', {
        name: 'Dune: Part Three',
        performers: ['Denis Villeneuve'],
        category: 'film',
        startsAt: '2030-04-01T20:00:00Z',
        description: 'Science fiction on the big screen.',
      }),
    ],
  ],
  [
    'beyonce',
    [
      scheduled('beyonce', 'stadeDeFrance', {
        name: 'Cowboy Carter Tour',
        performers: ['Beyoncé'],
        category: 'music',
        startsAt: '2030-08-20T20:00:00Z',
      }),
    ],
  ],
  [
    'monkeys',
    [
      scheduled('monkeys', 'o2', {
        name: 'Arctic Monkeys Live',
        performers: ['Arctic Monkeys'],
        category: 'music',
        startsAt: '2030-09-09T19:00:00Z',
      }),
      { type: 'EventCancelled', data: { eventId: 'monkeys', reason: 'illness', cancelledAt: '2029-02-01T10:00:00Z' } },
    ],
  ],
  ...Array.from({ length: 25 }, (_, i): [string, TicketedEventEvent[]] => {
    const id = `jazz-${String(i).padStart(2, '0')}`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    // Two nights share a start time so pagination has ties to break.
    const startsAt = i === 24 ? '2030-10-01T20:00:00Z' : `2030-10-${day}T20:00:00Z`;
    return [
      id,
      [
        scheduled(id, 'colston', {
          name: `Late Night Jazz ${i + 1}`,
          performers: ['Bristol Jazz Collective'],
          category: 'music',
          startsAt,
        }),
      ],
    ];
  }),
];

export const CATALOGUE_SCHEDULED = 31;

/** Great-circle distance on the sphere earthdistance uses (radius 6378.168 km). */
export const distanceKm = (a: GeoPoint, b: GeoPoint, radiusKm = 6378.168): number => {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * radiusKm * Math.asin(Math.sqrt(h));
};
