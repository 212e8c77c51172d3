/**
 * The seat map as the browser keeps it: the snapshot of GET /events/:id/seats
 * (or the SSE `snapshot`), then `seats` deltas applied in version order. Rows
 * stay the server's compact strings (one character per seat: A available,
 * H held, S sold), so a 100,000-seat map is 100,000 characters; a delta
 * replaces only the rows and sections it touches, so a view can skip the rest
 * by identity. Pure: no DOM, tested under Node.
 */

export type SeatCode = 'A' | 'H' | 'S';

export type SeatRow = { readonly label: string; readonly seats: string };

export type SeatedSection = {
  readonly kind: 'seated';
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly rows: readonly SeatRow[];
  readonly capacity: number;
  readonly available: number;
};

export type StandingSection = {
  readonly kind: 'standing';
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly capacity: number;
  readonly available: number;
};

export type MapSection = SeatedSection | StandingSection;

export type SeatMapState = {
  readonly eventId: string;
  readonly version: number;
  readonly sections: readonly MapSection[];
};

type WireSection =
  | { kind: 'seated'; id: string; name?: string; price: number; rows: readonly SeatRow[] }
  | { kind: 'standing'; id: string; name?: string; price: number; capacity: number; available: number };

export type WireSnapshot = { eventId: string; version: number; sections: readonly WireSection[] };

export type WireDelta = {
  version: number;
  changes?: Readonly<Record<string, SeatCode>>;
  standing?: Readonly<Record<string, number>>;
};

const countAvailable = (rows: readonly SeatRow[]): number => {
  let n = 0;
  for (const r of rows) for (let i = 0; i < r.seats.length; i++) if (r.seats.charCodeAt(i) === 65) n++;
  return n;
};

export const fromSnapshot = (snap: WireSnapshot): SeatMapState => ({
  eventId: snap.eventId,
  version: snap.version,
  sections: snap.sections.map((s): MapSection =>
    s.kind === 'seated'
      ? {
          kind: 'seated',
          id: s.id,
          name: s.name ?? s.id,
          price: s.price,
          rows: s.rows,
          capacity: s.rows.reduce((n, r) => n + r.seats.length, 0),
          available: countAvailable(s.rows),
        }
      : { kind: 'standing', id: s.id, name: s.name ?? s.id, price: s.price, capacity: s.capacity, available: s.available },
  ),
});

export const seatId = (sectionId: string, rowLabel: string, number: number): string => `${sectionId}-${rowLabel}-${number}`;

/** `A-1-7` -> section A, row 1, seat 7 (section ids and row labels are letters and digits only). */
export const parseSeatId = (id: string): { sectionId: string; rowLabel: string; number: number } | undefined => {
  const m = /^([A-Za-z0-9]+)-([A-Za-z0-9]+)-([1-9][0-9]*)$/.exec(id);
  return m ? { sectionId: m[1]!, rowLabel: m[2]!, number: Number(m[3]) } : undefined;
};

export const seatCode = (map: SeatMapState, id: string): SeatCode | undefined => {
  const p = parseSeatId(id);
  if (!p) return undefined;
  const section = map.sections.find((s) => s.id === p.sectionId);
  if (section?.kind !== 'seated') return undefined;
  const c = section.rows.find((r) => r.label === p.rowLabel)?.seats[p.number - 1];
  return c === 'A' || c === 'H' || c === 'S' ? c : undefined;
};

/**
 * The map after a delta, and the seats it changed. A delta at or below the
 * map's version is already in it (a resumed stream may repeat one): unchanged.
 */
export const applyDelta = (map: SeatMapState, delta: WireDelta): { map: SeatMapState; changed: ReadonlyMap<string, SeatCode> } => {
  if (delta.version <= map.version) return { map, changed: new Map() };
  const changed = new Map<string, SeatCode>();
  // section id -> row label -> seat index -> code
  const bySection = new Map<string, Map<string, Map<number, SeatCode>>>();
  for (const [id, code] of Object.entries(delta.changes ?? {})) {
    const p = parseSeatId(id);
    if (!p || (code !== 'A' && code !== 'H' && code !== 'S')) continue;
    let rows = bySection.get(p.sectionId);
    if (!rows) bySection.set(p.sectionId, (rows = new Map()));
    let seats = rows.get(p.rowLabel);
    if (!seats) rows.set(p.rowLabel, (seats = new Map()));
    seats.set(p.number - 1, code);
  }
  const standing = delta.standing ?? {};
  const sections = map.sections.map((s): MapSection => {
    if (s.kind === 'standing') {
      const available = standing[s.id];
      return available === undefined || available === s.available ? s : { ...s, available };
    }
    const rowChanges = bySection.get(s.id);
    if (!rowChanges) return s;
    let available = s.available;
    const rows = s.rows.map((r) => {
      const seats = rowChanges.get(r.label);
      if (!seats) return r;
      const chars = r.seats.split('');
      for (const [i, code] of seats) {
        const before = chars[i];
        if (before === undefined || before === code) continue;
        if (before === 'A') available--;
        if (code === 'A') available++;
        chars[i] = code;
        changed.set(seatId(s.id, r.label, i + 1), code);
      }
      return { label: r.label, seats: chars.join('') };
    });
    return { ...s, rows, available };
  });
  return { map: { ...map, version: delta.version, sections }, changed };
};

export const totalAvailable = (map: SeatMapState): number => map.sections.reduce((n, s) => n + s.available, 0);
