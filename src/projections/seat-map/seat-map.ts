import type pg from 'pg';
import {
  isTicketedEventEvent,
  type EventDetailsChanged,
  type EventScheduled,
  type SeatMapView,
  type SeatMapViewSection,
  type SeatStatus,
} from '../../domain/ticketed-event/index.js';
import { applyBatchToLedger, ledgerTableSql, type LedgerEffect } from '../booking-ledger/index.js';
import { seatMapSubject, type Bus } from '../bus/index.js';
import type { Log } from '../../commands/platform/index.js';
import type { Projection, Queryable } from '../projector/index.js';

/** A section of the seat map: the writer's view of it and the read model's are one shape (domain/ticketed-event/seat-map.ts). */
export type SeatMapSection = SeatMapViewSection;

/** The body of GET /events/:id/seats (docs/api.md); `version` is that of `event-<eventId>` (the ETag). */
export type SeatMap = SeatMapView;

/** The body of a `seatmap.<eventId>` bus message and of the SSE `seats` event. */
export type SeatMapChange = {
  readonly eventId: string;
  readonly version: number;
  readonly changes: Readonly<Record<string, SeatStatus>>;
  readonly standing: Readonly<Record<string, number>>;
};

export const SEAT_MAP_PROJECTION = 'seat-map';

type SectionMeta =
  // seats: seats per row, in the order of rows. A row's A/H/S line is stored once something happens in it; until
  // then it is all A. (Maps projected before this was recorded have every row stored and no seats here.)
  | { id: string; name: string; kind: 'seated'; price: number; rows: string[]; seats?: number[] }
  | { id: string; name: string; kind: 'standing'; price: number; capacity: number };

const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS seatmap_events (
  event_id text PRIMARY KEY,
  version int NOT NULL,
  currency text NOT NULL,
  sections jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS seatmap_rows (
  event_id text NOT NULL,
  section_id text NOT NULL,
  label text NOT NULL,
  row_no int NOT NULL,
  seats text NOT NULL,
  PRIMARY KEY (event_id, section_id, label)
);
CREATE TABLE IF NOT EXISTS seatmap_standing (
  event_id text NOT NULL,
  section_id text NOT NULL,
  capacity int NOT NULL,
  held int NOT NULL DEFAULT 0,
  sold int NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, section_id)
);
CREATE TABLE IF NOT EXISTS seatmap_owners (
  event_id text NOT NULL,
  seat_id text NOT NULL,
  booking_id text NOT NULL,
  PRIMARY KEY (event_id, seat_id)
);
${ledgerTableSql('seatmap_ledger')}`;

/** Seat changes and standing deltas of one apply call, per ticketed event. */
type Work = Map<string, { version: number; seats: Map<string, SeatStatus>; held: Map<string, number>; sold: Map<string, number> }>;

const workFor = (work: Work, eventId: string, version: number) => {
  let w = work.get(eventId);
  if (!w) {
    w = { version, seats: new Map(), held: new Map(), sold: new Map() };
    work.set(eventId, w);
  }
  w.version = Math.max(w.version, version);
  return w;
};

const addAll = (target: Map<string, number>, deltas: Readonly<Record<string, number>>): void => {
  for (const [k, v] of Object.entries(deltas)) target.set(k, (target.get(k) ?? 0) + v);
};

const parseSeat = (seatId: string): { section: string; label: string; index: number } => {
  const parts = seatId.split('-');
  const n = Number(parts[2]);
  if (parts.length !== 3 || !parts[0] || !parts[1] || !Number.isInteger(n) || n < 1) throw new Error(`malformed seat id "${seatId}"`);
  return { section: parts[0], label: parts[1], index: n - 1 };
};

/**
 * New events' maps: their sections and standing counts, one statement per table for the whole batch (a seed
 * schedules thousands per batch). A row's line is written when something happens in it. A mapped event is kept.
 */
const scheduled = async (db: pg.PoolClient, events: readonly EventScheduled['data'][]): Promise<void> => {
  if (events.length === 0) return;
  const headers = events.map((e) =>
    e.layout.sections.map((s): SectionMeta =>
      s.kind === 'seated'
        ? {
            id: s.id,
            name: s.name,
            kind: 'seated',
            price: e.sectionPrices[s.id] ?? 0,
            rows: s.rows.map((r) => r.label),
            seats: s.rows.map((r) => r.seats),
          }
        : { id: s.id, name: s.name, kind: 'standing', price: e.sectionPrices[s.id] ?? 0, capacity: s.capacity },
    ),
  );
  const inserted = await db.query<{ event_id: string }>(
    `INSERT INTO seatmap_events (event_id, version, currency, sections)
     SELECT e, 0, c, s FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS u(e, c, s)
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [events.map((e) => e.eventId), events.map((e) => e.currency), headers.map((h) => JSON.stringify(h))],
  );
  const fresh = new Set(inserted.rows.map((r) => r.event_id));
  const standing = events.flatMap((e) =>
    fresh.has(e.eventId) ? e.layout.sections.flatMap((s) => (s.kind === 'standing' ? [{ event: e.eventId, s }] : [])) : [],
  );
  if (standing.length > 0)
    await db.query(
      `INSERT INTO seatmap_standing (event_id, section_id, capacity) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`,
      [standing.map((x) => x.event), standing.map((x) => x.s.id), standing.map((x) => x.s.capacity)],
    );
};

/** Row `label` of a seated section: its position and seat count, from the map's sections. */
const rowOf = (
  sections: readonly SectionMeta[] | undefined,
  sectionId: string,
  label: string,
): { no: number; seats: number } | undefined => {
  const section = sections?.find((x) => x.id === sectionId);
  if (section?.kind !== 'seated' || section.seats === undefined) return undefined;
  const no = section.rows.indexOf(label);
  const seats = section.seats[no];
  return no < 0 || seats === undefined ? undefined : { no, seats };
};

const pricesChanged = async (db: pg.PoolClient, d: EventDetailsChanged['data']): Promise<void> => {
  const prices = d.changes.sectionPrices;
  if (!prices) return;
  const r = await db.query<{ sections: SectionMeta[] }>('SELECT sections FROM seatmap_events WHERE event_id = $1', [d.eventId]);
  const sections = r.rows[0]?.sections;
  if (!sections) return;
  const next = sections.map((s) => ({ ...s, price: prices[s.id] ?? s.price }));
  await db.query('UPDATE seatmap_events SET sections = $2 WHERE event_id = $1', [d.eventId, JSON.stringify(next)]);
};

/**
 * Seat ownership for a batch, as the decider's seatOwners: a take makes the
 * booking the owner; a free releases the seat only while that booking still
 * owns it (a seat re-held after a lapse stays with its new holder).
 */
const applyEffects = async (
  db: pg.PoolClient,
  transitions: readonly { effect?: LedgerEffect }[],
  work: Work,
  versions: Map<string, number>,
): Promise<void> => {
  const effects = transitions.flatMap((t) => (t.effect ? [t.effect] : []));
  const key = (eventId: string, seat: string): string => `${eventId}\u0000${seat}`;
  const toLoad = effects.flatMap((e) => (e.free ?? []).map((seat) => [e.eventId, seat] as const));
  const owners = new Map<string, string | undefined>();
  if (toLoad.length > 0) {
    const r = await db.query<{ event_id: string; seat_id: string; booking_id: string }>(
      `SELECT o.event_id, o.seat_id, o.booking_id FROM seatmap_owners o
       JOIN unnest($1::text[], $2::text[]) AS u(e, s) ON o.event_id = u.e AND o.seat_id = u.s`,
      [toLoad.map(([e]) => e), toLoad.map(([, s]) => s)],
    );
    for (const row of r.rows) owners.set(key(row.event_id, row.seat_id), row.booking_id);
  }
  const touched = new Map<string, { eventId: string; seat: string }>();
  for (const effect of effects) {
    const w = workFor(work, effect.eventId, versions.get(effect.eventId) ?? 0);
    for (const seat of effect.take?.seats ?? []) {
      owners.set(key(effect.eventId, seat), effect.bookingId);
      touched.set(key(effect.eventId, seat), { eventId: effect.eventId, seat });
      w.seats.set(seat, effect.take?.as ?? 'H');
    }
    for (const seat of effect.free ?? []) {
      if (owners.get(key(effect.eventId, seat)) !== effect.bookingId) continue;
      owners.set(key(effect.eventId, seat), undefined);
      touched.set(key(effect.eventId, seat), { eventId: effect.eventId, seat });
      w.seats.set(seat, 'A');
    }
    addAll(w.held, effect.standingHeld);
    addAll(w.sold, effect.standingSold);
  }
  const owned = [...touched.entries()].flatMap(([k, t]) => {
    const booking = owners.get(k);
    return booking === undefined ? [] : [{ ...t, booking }];
  });
  const freed = [...touched.entries()].filter(([k]) => owners.get(k) === undefined).map(([, t]) => t);
  if (owned.length > 0)
    await db.query(
      `INSERT INTO seatmap_owners (event_id, seat_id, booking_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (event_id, seat_id) DO UPDATE SET booking_id = EXCLUDED.booking_id`,
      [owned.map((o) => o.eventId), owned.map((o) => o.seat), owned.map((o) => o.booking)],
    );
  if (freed.length > 0)
    await db.query(
      `DELETE FROM seatmap_owners o USING unnest($1::text[], $2::text[]) AS u(e, s) WHERE o.event_id = u.e AND o.seat_id = u.s`,
      [freed.map((f) => f.eventId), freed.map((f) => f.seat)],
    );
};

/** Writes the accumulated seat characters, standing counts and versions; returns the change messages. */
const flush = async (db: pg.PoolClient, work: Work): Promise<SeatMapChange[]> => {
  const rowKeys = new Map<string, { event: string; section: string; label: string; edits: [number, SeatStatus][] }>();
  for (const [eventId, w] of work) {
    for (const [seat, status] of w.seats) {
      const { section, label, index } = parseSeat(seat);
      const key = `${eventId}\u0000${section}\u0000${label}`;
      const entry = rowKeys.get(key) ?? { event: eventId, section, label, edits: [] };
      entry.edits.push([index, status]);
      rowKeys.set(key, entry);
    }
  }
  const messages = new Map<string, { version: number; changes: Record<string, SeatStatus>; standing: Record<string, number> }>();
  const message = (eventId: string) => {
    let m = messages.get(eventId);
    if (!m) {
      m = { version: work.get(eventId)?.version ?? 0, changes: {}, standing: {} };
      messages.set(eventId, m);
    }
    return m;
  };
  if (rowKeys.size > 0) {
    const keys = [...rowKeys.values()];
    const current = await db.query<{ event_id: string; section_id: string; label: string; seats: string }>(
      `SELECT r.event_id, r.section_id, r.label, r.seats FROM seatmap_rows r
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(e, s, l) ON r.event_id = u.e AND r.section_id = u.s AND r.label = u.l`,
      [keys.map((k) => k.event), keys.map((k) => k.section), keys.map((k) => k.label)],
    );
    const stored = new Set(current.rows.map((r) => `${r.event_id}\u0000${r.section_id}\u0000${r.label}`));
    const unstored = [...rowKeys.entries()].filter(([k]) => !stored.has(k)).map(([, entry]) => entry);
    const inserts = new Map<string, { event: string; section: string; label: string; no: number; seats: string }>();
    if (unstored.length > 0) {
      const metas = await db.query<{ event_id: string; sections: SectionMeta[] }>(
        'SELECT event_id, sections FROM seatmap_events WHERE event_id = ANY($1::text[])',
        [[...new Set(unstored.map((u) => u.event))]],
      );
      const sectionsOf = new Map(metas.rows.map((r) => [r.event_id, r.sections]));
      for (const entry of unstored) {
        const row = rowOf(sectionsOf.get(entry.event), entry.section, entry.label);
        if (!row) continue; // not in the layout: the write side never holds such a seat
        current.rows.push({ event_id: entry.event, section_id: entry.section, label: entry.label, seats: 'A'.repeat(row.seats) });
        inserts.set(`${entry.event}\u0000${entry.section}\u0000${entry.label}`, {
          event: entry.event,
          section: entry.section,
          label: entry.label,
          no: row.no,
          seats: '',
        });
      }
    }
    const updates: { event: string; section: string; label: string; seats: string }[] = [];
    for (const row of current.rows) {
      const entry = rowKeys.get(`${row.event_id}\u0000${row.section_id}\u0000${row.label}`);
      if (!entry) continue;
      const chars = Array.from(row.seats);
      for (const [index, status] of entry.edits) {
        if (index >= chars.length)
          throw new Error(`seat ${row.section_id}-${row.label}-${index + 1} is not in the layout of event ${row.event_id}`);
        chars[index] = status;
        message(row.event_id).changes[`${row.section_id}-${row.label}-${index + 1}`] = status;
      }
      const line = chars.join('');
      const insert = inserts.get(`${row.event_id}\u0000${row.section_id}\u0000${row.label}`);
      if (insert) insert.seats = line;
      else updates.push({ event: row.event_id, section: row.section_id, label: row.label, seats: line });
    }
    if (inserts.size > 0) {
      const rows = [...inserts.values()];
      await db.query(
        `INSERT INTO seatmap_rows (event_id, section_id, label, row_no, seats)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])`,
        [rows.map((i) => i.event), rows.map((i) => i.section), rows.map((i) => i.label), rows.map((i) => i.no), rows.map((i) => i.seats)],
      );
    }
    if (updates.length > 0)
      await db.query(
        `UPDATE seatmap_rows r SET seats = u.seats FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(e, s, l, seats)
         WHERE r.event_id = u.e AND r.section_id = u.s AND r.label = u.l`,
        [updates.map((u) => u.event), updates.map((u) => u.section), updates.map((u) => u.label), updates.map((u) => u.seats)],
      );
  }
  const standing: { event: string; section: string; held: number; sold: number }[] = [];
  for (const [eventId, w] of work) {
    for (const section of new Set([...w.held.keys(), ...w.sold.keys()]))
      standing.push({ event: eventId, section, held: w.held.get(section) ?? 0, sold: w.sold.get(section) ?? 0 });
  }
  if (standing.length > 0) {
    const r = await db.query<{ event_id: string; section_id: string; available: number }>(
      `UPDATE seatmap_standing t SET held = t.held + u.h, sold = t.sold + u.s
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS u(e, sec, h, s)
       WHERE t.event_id = u.e AND t.section_id = u.sec
       RETURNING t.event_id, t.section_id, GREATEST(0, t.capacity - t.held - t.sold) AS available`,
      [standing.map((s) => s.event), standing.map((s) => s.section), standing.map((s) => s.held), standing.map((s) => s.sold)],
    );
    for (const row of r.rows) message(row.event_id).standing[row.section_id] = row.available;
  }
  // Version 0 is an EventScheduled, whose map was just inserted with it: raising to it changes nothing.
  const versions = [...work.entries()].filter(([, w]) => w.version > 0);
  if (versions.length > 0)
    await db.query(
      `UPDATE seatmap_events t SET version = GREATEST(t.version, u.v) FROM unnest($1::text[], $2::int[]) AS u(e, v) WHERE t.event_id = u.e`,
      [versions.map(([id]) => id), versions.map(([, w]) => w.version)],
    );
  return [...messages.entries()].map(([eventId, m]) => ({ eventId, ...m }));
};

/**
 * Seat map per ticketed event: one line of A/H/S characters per seat row (stored from its first change), standing
 * counts per section, the stream version. After each committed batch it
 * publishes `seatmap.<eventId>` with the seats that changed.
 */
export const seatMapProjection = (deps: { bus: Bus; log: Log }): Projection => {
  // Messages computed by apply, keyed by the id of the last event of that apply call; published after commit.
  const notes = new Map<string, SeatMapChange[]>();
  return {
    name: SEAT_MAP_PROJECTION,
    streamPrefixes: ['event-'],
    setup: async (db) => {
      await db.query(SETUP_SQL);
    },
    reset: async (db) => {
      await db.query('TRUNCATE seatmap_events, seatmap_rows, seatmap_standing, seatmap_owners, seatmap_ledger');
    },
    apply: async (db, events) => {
      const work: Work = new Map();
      const versions = new Map<string, number>();
      // New maps first, together: an event's EventScheduled opens its stream, so nothing in the batch precedes it.
      await scheduled(
        db,
        events.flatMap((r) => (isTicketedEventEvent(r) && r.type === 'EventScheduled' ? [r.data] : [])),
      );
      for (const recorded of events) {
        if (!isTicketedEventEvent(recorded)) continue;
        const eventId = recorded.data.eventId;
        if (recorded.type === 'EventDetailsChanged') await pricesChanged(db, recorded.data);
        workFor(work, eventId, recorded.version);
        versions.set(eventId, Math.max(versions.get(eventId) ?? 0, recorded.version));
      }
      await applyEffects(db, await applyBatchToLedger(db, 'seatmap_ledger', events), work, versions);
      const messages = await flush(db, work);
      const last = events[events.length - 1];
      if (last) {
        if (notes.size > 10_000) notes.clear();
        notes.set(
          last.id,
          messages.filter((m) => Object.keys(m.changes).length > 0 || Object.keys(m.standing).length > 0),
        );
      }
    },
    afterCommit: async (events) => {
      const merged = new Map<string, { version: number; changes: Record<string, SeatStatus>; standing: Record<string, number> }>();
      for (const e of events) {
        const found = notes.get(e.id);
        if (!found) continue;
        notes.delete(e.id);
        for (const m of found) {
          const into = merged.get(m.eventId) ?? { version: m.version, changes: {}, standing: {} };
          into.version = Math.max(into.version, m.version);
          Object.assign(into.changes, m.changes);
          Object.assign(into.standing, m.standing);
          merged.set(m.eventId, into);
        }
      }
      for (const [eventId, m] of merged) {
        const body: SeatMapChange = { eventId, ...m };
        await deps.bus
          .publish(seatMapSubject(eventId), body)
          .catch((err: unknown) => deps.log.warn({ err, eventId }, 'seat-map publish failed'));
      }
    },
  };
};

/** A seated section's rows in layout order: the stored lines, and all-A lines for rows nothing has happened in. */
const seatedRows = (
  s: Extract<SectionMeta, { kind: 'seated' }>,
  stored: readonly { label: string; seats: string }[],
): { label: string; seats: string }[] => {
  const counts = s.seats;
  if (counts === undefined) return [...stored];
  const byLabel = new Map(stored.map((r) => [r.label, r.seats]));
  return s.rows.map((label, i) => ({ label, seats: byLabel.get(label) ?? 'A'.repeat(counts[i] ?? 0) }));
};

/** GET /events/:id/seats; undefined when the event is unknown. */
export const getSeatMap = async (db: Queryable, eventId: string): Promise<SeatMap | undefined> => {
  // One statement, one snapshot: the rows always match the version (the ETag).
  const r = await db.query<{
    version: number;
    currency: string;
    sections: SectionMeta[];
    rows: { s: string; label: string; seats: string }[];
    standing: { s: string; available: number }[];
  }>(
    `SELECT e.version, e.currency, e.sections,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('s', r.section_id, 'label', r.label, 'seats', r.seats) ORDER BY r.section_id, r.row_no), '[]')
          FROM seatmap_rows r WHERE r.event_id = e.event_id) AS rows,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('s', st.section_id, 'available', GREATEST(0, st.capacity - st.held - st.sold))), '[]')
          FROM seatmap_standing st WHERE st.event_id = e.event_id) AS standing
     FROM seatmap_events e WHERE e.event_id = $1`,
    [eventId],
  );
  const head = r.rows[0];
  if (!head) return undefined;
  const rowsBySection = new Map<string, { label: string; seats: string }[]>();
  for (const row of head.rows) {
    const list = rowsBySection.get(row.s) ?? [];
    list.push({ label: row.label, seats: row.seats });
    rowsBySection.set(row.s, list);
  }
  const available = new Map(head.standing.map((x) => [x.s, x.available]));
  return {
    eventId,
    version: head.version,
    currency: head.currency,
    sections: head.sections.map((s): SeatMapSection =>
      s.kind === 'seated'
        ? { id: s.id, name: s.name, kind: 'seated', price: s.price, rows: seatedRows(s, rowsBySection.get(s.id) ?? []) }
        : { id: s.id, name: s.name, kind: 'standing', price: s.price, capacity: s.capacity, available: available.get(s.id) ?? s.capacity },
    ),
  };
};

/** Just the version, for a cheap If-None-Match check; undefined when the event is unknown. */
export const getSeatMapVersion = async (db: Queryable, eventId: string): Promise<number | undefined> => {
  const r = await db.query<{ version: number }>('SELECT version FROM seatmap_events WHERE event_id = $1', [eventId]);
  return r.rows[0]?.version;
};
