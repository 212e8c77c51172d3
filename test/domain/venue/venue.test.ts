import t, { type Test } from 'tap';
import { fold, DomainError, type DomainErrorCode } from '../../../src/domain/shared/index.js';
import type { VenueEvent, Layout } from '../../../src/domain/venue/index.js';
import {
  indexedSeatSection,
  indexLayout,
  layoutCapacity,
  parseSeatId,
  seatId,
  validateLayout,
  venue,
} from '../../../src/domain/venue/index.js';
import { seatExists, sectionOf } from '../../../src/domain/venue/layout.js';
import type { VenueCommand } from '../../../src/domain/venue/venue.js';
import { layout, venueDetails } from '../ticketed-event/fixtures.js';

const rejects = (t: Test, f: () => unknown, code: DomainErrorCode, pattern?: RegExp): void => {
  try {
    f();
    t.fail(`expected ${code}`);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    t.equal(e.code, code, e.message);
    if (pattern !== undefined) t.match(e.message, pattern);
  }
};

t.test('seat ids are section, row and number joined by dashes, and parse back', async (t) => {
  t.equal(seatId('A', '12', 7), 'A-12-7');
  t.strictSame(parseSeatId('A-12-7'), { sectionId: 'A', row: '12', number: 7 });
  t.equal(parseSeatId('A-12'), undefined);
  t.equal(parseSeatId('A-12-0'), undefined);
  t.equal(parseSeatId('A-12-07'), undefined);
  t.equal(parseSeatId('A_1-1-1'), undefined);
  t.equal(parseSeatId('A-1-1-1'), undefined);
});

t.test('a seat exists only inside its row and section', async (t) => {
  t.ok(seatExists(layout, 'A-2-5'));
  t.notOk(seatExists(layout, 'A-2-6'));
  t.notOk(seatExists(layout, 'A-3-1'));
  t.notOk(seatExists(layout, 'C-1-1'));
  t.notOk(seatExists(layout, 'PIT-1-1'));
  t.notOk(seatExists(layout, 'nonsense'));
  t.equal(sectionOf(layout, 'B-1-3')?.id, 'B');
});

t.test('the capacity of a layout counts seats and standing places', async (t) => {
  t.equal(layoutCapacity(layout), 5 + 5 + 3 + 10);
  t.equal(indexLayout(layout).capacity, 23);
});

t.test('the layout index finds the section of a seat', async (t) => {
  const index = indexLayout(layout);
  t.equal(indexedSeatSection(index, 'A-2-5'), 'A');
  t.equal(indexedSeatSection(index, 'A-2-6'), undefined);
  t.equal(indexedSeatSection(index, 'A-2-x'), undefined);
  t.equal(indexedSeatSection(index, 'A2'), undefined);
});

const seated = (id: string, rows: { label: string; seats: number }[]) => ({ id, name: `Block ${id}`, kind: 'seated' as const, rows });

t.test('a valid layout passes validation', async (t) => {
  t.doesNotThrow(() => validateLayout(layout));
});

t.test('invalid layouts are refused with a message naming the problem', async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ['no sections array', {}, /sections/],
    ['no sections', { sections: [] }, /at least one section/],
    ['a bad section id', { sections: [seated('A B', [{ label: '1', seats: 1 }])] }, /letters or digits/],
    ['a section id too long', { sections: [seated('A'.repeat(17), [{ label: '1', seats: 1 }])] }, /letters or digits/],
    [
      'a duplicate section id',
      { sections: [seated('A', [{ label: '1', seats: 1 }]), seated('A', [{ label: '1', seats: 1 }])] },
      /used twice/,
    ],
    ['a bad row label', { sections: [seated('A', [{ label: 'r-1', seats: 1 }])] }, /row label/],
    [
      'a duplicate row label',
      {
        sections: [
          seated('A', [
            { label: '1', seats: 1 },
            { label: '1', seats: 2 },
          ]),
        ],
      },
      /twice/,
    ],
    ['zero seats in a row', { sections: [seated('A', [{ label: '1', seats: 0 }])] }, /1-1000 seats/],
    ['too many seats in a row', { sections: [seated('A', [{ label: '1', seats: 1001 }])] }, /1-1000 seats/],
    ['fractional seats', { sections: [seated('A', [{ label: '1', seats: 1.5 }])] }, /1-1000 seats/],
    ['no rows', { sections: [seated('A', [])] }, /at least one row/],
    ['no section name', { sections: [{ id: 'A', name: '', kind: 'standing', capacity: 5 }] }, /name/],
    ['zero standing capacity', { sections: [{ id: 'P', name: 'Pit', kind: 'standing', capacity: 0 }] }, /capacity/],
    ['too much standing capacity', { sections: [{ id: 'P', name: 'Pit', kind: 'standing', capacity: 200_001 }] }, /capacity/],
    ['an unknown kind', { sections: [{ id: 'P', name: 'Pit', kind: 'boxes' }] }, /kind/],
    ['a null section', { sections: [null] }, /not a section/],
    [
      'too many places in all',
      { sections: Array.from({ length: 6 }, (_, i) => ({ id: `P${i}`, name: 'Pit', kind: 'standing', capacity: 200_000 })) },
      /at most 1000000 places/,
    ],
    [
      'too many rows',
      {
        sections: [
          seated(
            'A',
            Array.from({ length: 1001 }, (_, i) => ({ label: `${i}`, seats: 1 })),
          ),
        ],
      },
      /rows/,
    ],
    ['too many sections', { sections: Array.from({ length: 2001 }, (_, i) => seated(`S${i}`, [{ label: '1', seats: 1 }])) }, /sections/],
  ];
  for (const [name, l, pattern] of cases) {
    t.test(name, async (t) => rejects(t, () => validateLayout(l as Layout), 'invalid-layout', pattern));
  }
});

const register = (o: Partial<Extract<VenueCommand, { type: 'RegisterVenue' }>> = {}): VenueCommand => ({
  type: 'RegisterVenue',
  venueId: 'v1',
  registeredBy: 'org1',
  details: venueDetails,
  layout,
  ...o,
});

const registered: VenueEvent = { type: 'VenueRegistered', data: { ...venueDetails, venueId: 'v1', layout, registeredBy: 'org1' } };
const stateOf = (events: VenueEvent[]) => fold(venue.evolve, venue.initialState, events);

t.test('registering a venue records its details and layout', async (t) => {
  t.strictSame(venue.decide(register(), stateOf([])), [registered]);
});

t.test('registering a venue twice is already-exists', async (t) => {
  rejects(t, () => venue.decide(register(), stateOf([registered])), 'already-exists');
});

t.test('registering a venue with a broken layout is invalid-layout', async (t) => {
  rejects(t, () => venue.decide(register({ layout: { sections: [] } }), stateOf([])), 'invalid-layout');
});

t.test('registering a venue with bad details is invalid-input naming the field', async (t) => {
  const bad: [string, object, RegExp][] = [
    ['empty name', { name: ' ' }, /name/],
    ['no city', { city: '' }, /city/],
    ['a country name instead of a code', { country: 'United Kingdom' }, /country/],
    ['latitude out of range', { location: { lat: -90.5, lng: 0 } }, /lat/],
    ['longitude out of range', { location: { lat: 0, lng: 181 } }, /lng/],
    ['latitude not a number', { location: { lat: 'x', lng: 0 } }, /lat/],
    ['no location', { location: null }, /lat/],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, /timezone/],
  ];
  for (const [name, change, pattern] of bad) {
    rejects(t, () => venue.decide(register({ details: { ...venueDetails, ...change } }), stateOf([])), 'invalid-input', pattern);
    t.pass(name);
  }
});

t.test('updating a venue records only the changed details', async (t) => {
  t.strictSame(venue.decide({ type: 'UpdateVenue', changes: { name: 'New Arena', city: 'Manchester' } }, stateOf([registered])), [
    { type: 'VenueUpdated', data: { venueId: 'v1', changes: { name: 'New Arena' } } },
  ]);
  const s = stateOf([registered, { type: 'VenueUpdated', data: { venueId: 'v1', changes: { name: 'New Arena' } } }]);
  t.equal(s.status === 'registered' && s.details.name, 'New Arena');
});

t.test('updating a venue to what it already is records nothing', async (t) => {
  t.strictSame(venue.decide({ type: 'UpdateVenue', changes: { location: { lat: 53.4794, lng: -2.2453 } } }, stateOf([registered])), []);
});

t.test('updating a venue with bad details is invalid-input', async (t) => {
  rejects(
    t,
    () => venue.decide({ type: 'UpdateVenue', changes: { location: { lat: 100, lng: 0 } } }, stateOf([registered])),
    'invalid-input',
  );
});

t.test('updating an unknown venue is not-found', async (t) => {
  rejects(t, () => venue.decide({ type: 'UpdateVenue', changes: { name: 'x' } }, stateOf([])), 'not-found');
  t.equal(venue.evolve(stateOf([]), { type: 'VenueUpdated', data: { venueId: 'v1', changes: { name: 'x' } } }).status, 'none');
});
