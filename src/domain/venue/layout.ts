import { DomainError, isList } from '../shared/index.js';

export type GeoPoint = { readonly lat: number; readonly lng: number };

export type SeatRow = { readonly label: string; readonly seats: number };

export type SeatedSection = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'seated';
  readonly rows: readonly SeatRow[];
};

export type StandingSection = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'standing';
  readonly capacity: number;
};

export type Section = SeatedSection | StandingSection;

/** Compact: seat ids are derived (`<sectionId>-<rowLabel>-<number>`), never listed. */
export type Layout = { readonly sections: readonly Section[] };

export type StandingRequest = { readonly sectionId: string; readonly quantity: number };

const LABEL = /^[A-Za-z0-9]{1,16}$/;
export const MAX_SEATS_PER_ROW = 1000;
export const MAX_STANDING_CAPACITY = 200_000;
export const MAX_SECTIONS = 2_000;
export const MAX_ROWS_PER_SECTION = 1_000;
/** Keeps a layout, and the EventScheduled that copies it, far below a 1 MiB append. */
export const MAX_LAYOUT_CAPACITY = 1_000_000;

export type SeatRef = { readonly sectionId: string; readonly row: string; readonly number: number };

export const seatId = (sectionId: string, row: string, n: number): string => `${sectionId}-${row}-${n}`;

export const parseSeatId = (id: string): SeatRef | undefined => {
  const parts = id.split('-');
  if (parts.length !== 3) return undefined;
  const [sectionId, row, num] = parts as [string, string, string];
  if (!LABEL.test(sectionId) || !LABEL.test(row) || !/^[1-9][0-9]{0,3}$/.test(num)) return undefined;
  return { sectionId, row, number: Number(num) };
};

const invalid = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('invalid-layout', message, details);

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/** Throws DomainError('invalid-layout') naming the first problem found. */
export const validateLayout = (layout: Layout): void => {
  if (layout === null || typeof layout !== 'object' || !isList(layout.sections)) {
    throw invalid('A layout needs a `sections` array.');
  }
  if (layout.sections.length === 0) throw invalid('A layout needs at least one section.');
  if (layout.sections.length > MAX_SECTIONS) throw invalid(`A layout has at most ${MAX_SECTIONS} sections.`);
  const ids = new Set<string>();
  let total = 0;
  for (const [i, section] of layout.sections.entries()) {
    const where = `sections[${i}]`;
    if (section === null || typeof section !== 'object') throw invalid(`${where} is not a section.`);
    if (typeof section.id !== 'string' || !LABEL.test(section.id)) {
      throw invalid(`${where}: section id ${JSON.stringify(section.id)} must be 1-16 letters or digits.`, { section: section.id });
    }
    if (ids.has(section.id)) throw invalid(`Section id "${section.id}" is used twice.`, { section: section.id });
    ids.add(section.id);
    if (typeof section.name !== 'string' || section.name.trim() === '' || section.name.length > 100) {
      throw invalid(`Section "${section.id}" needs a name of 1-100 characters.`, { section: section.id });
    }
    switch (section.kind) {
      case 'seated': {
        if (!isList(section.rows) || section.rows.length === 0) {
          throw invalid(`Seated section "${section.id}" needs at least one row.`, { section: section.id });
        }
        if (section.rows.length > MAX_ROWS_PER_SECTION) {
          throw invalid(`Section "${section.id}" has more than ${MAX_ROWS_PER_SECTION} rows.`, { section: section.id });
        }
        const labels = new Set<string>();
        for (const row of section.rows) {
          if (row === null || typeof row !== 'object' || typeof row.label !== 'string' || !LABEL.test(row.label)) {
            throw invalid(`Section "${section.id}": row label ${JSON.stringify(row?.label)} must be 1-16 letters or digits.`, {
              section: section.id,
            });
          }
          if (labels.has(row.label)) {
            throw invalid(`Section "${section.id}" has row "${row.label}" twice.`, { section: section.id, row: row.label });
          }
          labels.add(row.label);
          if (!isInt(row.seats) || row.seats < 1 || row.seats > MAX_SEATS_PER_ROW) {
            throw invalid(`Section "${section.id}" row "${row.label}" needs 1-${MAX_SEATS_PER_ROW} seats.`, {
              section: section.id,
              row: row.label,
            });
          }
          total += row.seats;
        }
        break;
      }
      case 'standing':
        if (!isInt(section.capacity) || section.capacity < 1 || section.capacity > MAX_STANDING_CAPACITY) {
          throw invalid(`Standing section "${section.id}" needs a capacity of 1-${MAX_STANDING_CAPACITY}.`, {
            section: section.id,
          });
        }
        total += section.capacity;
        break;
      default: {
        const kind: unknown = (section as { kind?: unknown }).kind;
        throw invalid(`Section "${(section as Section).id}" has kind ${JSON.stringify(kind)}; expected "seated" or "standing".`);
      }
    }
    if (total > MAX_LAYOUT_CAPACITY) throw invalid(`A layout holds at most ${MAX_LAYOUT_CAPACITY} places.`);
  }
};

export const layoutCapacity = (layout: Layout): number => {
  let total = 0;
  for (const s of layout.sections) {
    if (s.kind === 'standing') total += s.capacity;
    else for (const r of s.rows) total += r.seats;
  }
  return total;
};

export const seatExists = (layout: Layout, id: string): boolean => sectionOf(layout, id) !== undefined;

/** The seated section a seat id belongs to, or undefined when the seat is not in the layout. */
export const sectionOf = (layout: Layout, id: string): Section | undefined => {
  const ref = parseSeatId(id);
  if (ref === undefined) return undefined;
  const section = layout.sections.find((s) => s.id === ref.sectionId);
  if (section === undefined || section.kind !== 'seated') return undefined;
  const row = section.rows.find((r) => r.label === ref.row);
  return row !== undefined && ref.number <= row.seats ? section : undefined;
};

/** A layout indexed for the hot path (one lookup per seat instead of a scan). */
export type LayoutIndex = {
  readonly sections: ReadonlyMap<string, Section>;
  /** `${sectionId}-${rowLabel}` -> seats in the row */
  readonly rows: ReadonlyMap<string, number>;
  readonly capacity: number;
};

export const indexLayout = (layout: Layout): LayoutIndex => {
  const sections = new Map<string, Section>();
  const rows = new Map<string, number>();
  for (const s of layout.sections) {
    sections.set(s.id, s);
    if (s.kind === 'seated') for (const r of s.rows) rows.set(`${s.id}-${r.label}`, r.seats);
  }
  return { sections, rows, capacity: layoutCapacity(layout) };
};

/** The section id of a seat that exists in the indexed layout, else undefined. */
export const indexedSeatSection = (index: LayoutIndex, id: string): string | undefined => {
  const dash = id.lastIndexOf('-');
  if (dash < 0) return undefined;
  const seats = index.rows.get(id.slice(0, dash));
  if (seats === undefined) return undefined;
  const num = id.slice(dash + 1);
  if (!/^[1-9][0-9]{0,3}$/.test(num) || Number(num) > seats) return undefined;
  return id.slice(0, id.indexOf('-'));
};
