import type { PMap } from '../shared/index.js';
import { emptyPMap, pget, pset } from '../shared/index.js';
import type { Layout } from '../venue/index.js';

/**
 * The best-available index: for every row, its free seats as runs of
 * consecutive numbers, and for every section the longest run of each row, so a
 * pick looks at a few numbers per row instead of every seat. A seat counts as
 * free here exactly when no booking owns it (state.seatOwners has no entry);
 * a lapsed hold keeps its seats until its release is recorded, which is when
 * the waitlist gets first call on them.
 *
 * Persistent like the rest of the state: an update copies one row's runs and
 * one section's list of row maxima.
 */

type RowPlace = { readonly sectionId: string; readonly index: number; readonly seats: number };

type SectionPlace = { readonly id: string; readonly order: number; readonly rows: number };

/** Fixed by the layout; shared by every state of the stream. */
type FreeSeatsLayout = {
  readonly rows: ReadonlyMap<string, RowPlace>;
  /** Seated sections in layout order. */
  readonly sections: readonly SectionPlace[];
  /** `${sectionId}\u0000${rowIndex}` -> row key */
  readonly rowKeys: ReadonlyMap<string, string>;
};

export type FreeSeats = {
  readonly layout: FreeSeatsLayout;
  /** row key (`<sectionId>-<rowLabel>`) -> free runs as [first, last, first, last, ...], ascending; a full row is absent. */
  readonly runs: PMap<readonly number[]>;
  /** sectionId -> the longest free run of each row, by row index (front row first). */
  readonly longest: PMap<readonly number[]>;
  readonly free: number;
};

const rowRef = (layout: FreeSeatsLayout, sectionId: string, index: number): string =>
  layout.rowKeys.get(`${sectionId}\u0000${index}`) as string;

export const indexFreeSeats = (layout: Layout): FreeSeats => {
  const rows = new Map<string, RowPlace>();
  const rowKeys = new Map<string, string>();
  const sections: SectionPlace[] = [];
  let longest = emptyPMap<readonly number[]>();
  let free = 0;
  for (const section of layout.sections) {
    if (section.kind !== 'seated') continue;
    sections.push({ id: section.id, order: sections.length, rows: section.rows.length });
    section.rows.forEach((row, index) => {
      const key = `${section.id}-${row.label}`;
      rows.set(key, { sectionId: section.id, index, seats: row.seats });
      rowKeys.set(`${section.id}\u0000${index}`, key);
      free += row.seats;
    });
    longest = pset(
      longest,
      section.id,
      section.rows.map((r) => r.seats),
    );
  }
  return { layout: { rows, sections, rowKeys }, runs: emptyPMap(), longest, free };
};

const runsOf = (fs: FreeSeats, key: string, place: RowPlace): readonly number[] => pget(fs.runs, key) ?? [1, place.seats];

const longestRun = (runs: readonly number[]): number => {
  let max = 0;
  for (let i = 0; i < runs.length; i += 2) max = Math.max(max, (runs[i + 1] as number) - (runs[i] as number) + 1);
  return max;
};

/** Seat numbers of one row -> the row's runs with those seats taken (numbers not free are ignored). */
const without = (runs: readonly number[], taken: ReadonlySet<number>): number[] => {
  const out: number[] = [];
  for (let i = 0; i < runs.length; i += 2) {
    let start = runs[i] as number;
    const end = runs[i + 1] as number;
    for (let n = start; n <= end; n++) {
      if (!taken.has(n)) continue;
      if (n > start) out.push(start, n - 1);
      start = n + 1;
    }
    if (start <= end) out.push(start, end);
  }
  return out;
};

const withFreed = (runs: readonly number[], freed: ReadonlySet<number>): number[] => {
  const numbers: number[] = [];
  for (let i = 0; i < runs.length; i += 2) for (let n = runs[i] as number; n <= (runs[i + 1] as number); n++) numbers.push(n);
  for (const n of freed) numbers.push(n);
  numbers.sort((a, b) => a - b);
  const out: number[] = [];
  for (const n of numbers) {
    const last = out.length - 1;
    if (last >= 0 && n <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, n);
    else out.push(n, n);
  }
  return out;
};

const countOf = (runs: readonly number[]): number => {
  let n = 0;
  for (let i = 0; i < runs.length; i += 2) n += (runs[i + 1] as number) - (runs[i] as number) + 1;
  return n;
};

/** Seat ids grouped by row key, seats the layout lacks left out. */
const byRow = (fs: FreeSeats, seats: Iterable<string>): Map<string, Set<number>> => {
  const rows = new Map<string, Set<number>>();
  for (const seat of seats) {
    const dash = seat.lastIndexOf('-');
    const key = seat.slice(0, dash);
    if (!fs.layout.rows.has(key)) continue;
    let set = rows.get(key);
    if (set === undefined) rows.set(key, (set = new Set()));
    set.add(Number(seat.slice(dash + 1)));
  }
  return rows;
};

const update = (
  fs: FreeSeats,
  seats: Iterable<string>,
  change: (runs: readonly number[], seats: ReadonlySet<number>) => number[],
): FreeSeats => {
  let { runs, longest, free } = fs;
  for (const [key, numbers] of byRow(fs, seats)) {
    const place = fs.layout.rows.get(key) as RowPlace;
    const before = runsOf(fs, key, place);
    const after = change(before, numbers);
    free += countOf(after) - countOf(before);
    runs = pset(runs, key, after);
    const maxima = [...(pget(longest, place.sectionId) as readonly number[])];
    maxima[place.index] = longestRun(after);
    longest = pset(longest, place.sectionId, maxima);
  }
  return { ...fs, runs, longest, free };
};

/** The seats are now owned by a booking; call only with seats no booking owned before. */
export const takeSeats = (fs: FreeSeats, seats: Iterable<string>): FreeSeats => update(fs, seats, without);

/** No booking owns these seats any more. */
export const freeSeats = (fs: FreeSeats, seats: Iterable<string>): FreeSeats => update(fs, seats, withFreed);

export const isSeatFree = (fs: FreeSeats, seat: string): boolean => {
  const dash = seat.lastIndexOf('-');
  const key = seat.slice(0, dash);
  const place = fs.layout.rows.get(key);
  if (place === undefined) return false;
  const n = Number(seat.slice(dash + 1));
  const runs = runsOf(fs, key, place);
  for (let i = 0; i < runs.length; i += 2) if (n >= (runs[i] as number) && n <= (runs[i + 1] as number)) return true;
  return false;
};

export type BestRequest = {
  readonly quantity: number;
  readonly sectionId?: string | undefined;
  readonly maxPrice?: number | undefined;
  /** One row, consecutive numbers (the default); false takes the best single seats wherever they are. */
  readonly together?: boolean | undefined;
};

/**
 * How far a block of `q` seats starting at `first` sits from the centre of a row
 * of `seats` seats, doubled so it stays a whole number (0: dead centre).
 */
const offCentre = (first: number, q: number, seats: number): number => Math.abs(2 * first + q - 1 - (seats + 1));

/** The block of `q` in the row's runs nearest the row's centre (lower numbers win ties), or undefined. */
const centreBlock = (runs: readonly number[], q: number, seats: number): { first: number; distance: number } | undefined => {
  const ideal = (seats + 2 - q) / 2;
  let best: { first: number; distance: number } | undefined;
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i] as number;
    const lastStart = (runs[i + 1] as number) - q + 1;
    if (lastStart < start) continue;
    for (const guess of [Math.floor(ideal), Math.ceil(ideal)]) {
      const first = Math.min(Math.max(guess, start), lastStart);
      const distance = offCentre(first, q, seats);
      if (best === undefined || distance < best.distance || (distance === best.distance && first < best.first)) best = { first, distance };
    }
  }
  return best;
};

type Candidate = { readonly section: SectionPlace; readonly price: number };

const candidates = (fs: FreeSeats, prices: Readonly<Record<string, number>>, r: BestRequest): Candidate[] =>
  fs.layout.sections
    .filter((section) => r.sectionId === undefined || section.id === r.sectionId)
    .map((section) => ({ section, price: prices[section.id] ?? 0 }))
    .filter((c) => r.maxPrice === undefined || c.price <= r.maxPrice);

/**
 * The best seats for the request, or undefined when none fit. Best is nearest
 * the front row (row order within its section), then nearest the row's centre,
 * then cheapest, then the section listed first; with `together` (the default)
 * the seats are one block of consecutive numbers in one row.
 */
export const pickBest = (fs: FreeSeats, prices: Readonly<Record<string, number>>, r: BestRequest): string[] | undefined => {
  const q = r.quantity;
  if (q < 1 || fs.free < q) return undefined;
  const sections = candidates(fs, prices, r);
  if (r.together === false) return pickScattered(fs, sections, q);
  let best: { row: number; distance: number; price: number; order: number; key: string; first: number } | undefined;
  for (const { section, price } of sections) {
    const maxima = pget(fs.longest, section.id) as readonly number[];
    const rowLimit = best === undefined ? maxima.length : Math.min(maxima.length, best.row + 1);
    for (let row = 0; row < rowLimit; row++) {
      if ((maxima[row] as number) < q) continue;
      const key = rowRef(fs.layout, section.id, row);
      const place = fs.layout.rows.get(key) as RowPlace;
      const block = centreBlock(runsOf(fs, key, place), q, place.seats) as { first: number; distance: number };
      const better =
        best === undefined ||
        row < best.row ||
        (row === best.row && (block.distance < best.distance || (block.distance === best.distance && price < best.price)));
      if (better) best = { row, distance: block.distance, price, order: section.order, key, first: block.first };
      break;
    }
  }
  if (best === undefined) return undefined;
  const { key, first } = best;
  return Array.from({ length: q }, (_, i) => `${key}-${first + i}`);
};

/** Single seats, front row first, then nearest the row's centre, then cheapest. */
const pickScattered = (fs: FreeSeats, sections: readonly Candidate[], q: number): string[] | undefined => {
  let available = 0;
  const depth = Math.max(0, ...sections.map((c) => c.section.rows));
  const picked: string[] = [];
  for (let row = 0; row < depth && picked.length < q; row++) {
    const seats: { id: string; distance: number; price: number }[] = [];
    for (const { section, price } of sections) {
      const maxima = pget(fs.longest, section.id) as readonly number[];
      if (row >= maxima.length || maxima[row] === 0) continue;
      const key = rowRef(fs.layout, section.id, row);
      const place = fs.layout.rows.get(key) as RowPlace;
      const runs = runsOf(fs, key, place);
      for (let i = 0; i < runs.length; i += 2) {
        for (let n = runs[i] as number; n <= (runs[i + 1] as number); n++) {
          seats.push({ id: `${key}-${n}`, distance: offCentre(n, 1, place.seats), price });
        }
      }
    }
    available += seats.length;
    seats.sort((a, b) => a.distance - b.distance || a.price - b.price);
    for (const s of seats.slice(0, q - picked.length)) picked.push(s.id);
  }
  return available >= q ? picked : undefined;
};
