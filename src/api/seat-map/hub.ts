import type { SeatMap } from '../http/index.js';

export type SeatChar = 'A' | 'H' | 'S';

/** A bus message on `seatmap.<eventId>`, after the read model committed `version`. */
export type SeatDelta = {
  readonly version: number;
  readonly changes: Readonly<Record<string, SeatChar>>;
  readonly standing: Readonly<Record<string, number>>;
};

export type SeatMapBus = {
  subscribe(subject: string, handler: (message: unknown, subject: string) => void): () => void;
};

export type HubListener = (delta: SeatDelta) => void;

/**
 * Maps kept by this process's event writers (createLiveSeatMaps): a map there is current the moment an
 * append commits, so an event whose writer is here is served from it rather than from the read model.
 */
export type LiveSeatMapSource = {
  /** undefined when this process does not hold the event's writer, or its map is older than `minVersion`. */
  open(
    eventId: string,
    listener: (delta: SeatDelta | 'ended') => void,
    minVersion: number,
  ): { readonly map: SeatMap; close(): void } | undefined;
  onAvailable(listener: (eventId: string) => void): () => void;
};

type Row = { label: string; seats: Uint8Array };
type Section =
  | { id: string; name?: string; kind: 'seated'; price: number; rows: Row[]; rowIndex: Map<string, Row> }
  | { id: string; name?: string; kind: 'standing'; price: number; capacity: number; available: number };

type Entry = {
  readonly eventId: string;
  version: number;
  currency: string | undefined;
  sections: Section[];
  byId: Map<string, Section>;
  loadedAt: number;
  lastUsed: number;
  /** The serialized snapshot of `version`: the in-process cache of GET /events/:id/seats. */
  json: { version: number; body: string } | undefined;
  /** Recent deltas, contiguous after `floor`: enough to resume a client that missed a few. */
  ring: SeatDelta[];
  floor: number;
  listeners: Set<HubListener>;
  unsubscribe: () => void;
  /** Messages that arrived while the first snapshot loaded. */
  early: SeatDelta[] | undefined;
  /** Set while the map follows the event's writer in this process: stops following it. */
  live: (() => void) | undefined;
};

const CHAR_CODE: Record<SeatChar, number> = { A: 65, H: 72, S: 83 };
const decoder = new TextDecoder();

const isEmpty = (o: object): boolean => {
  for (const _ in o) return false;
  return true;
};

const isSeatChar = (v: unknown): v is SeatChar => v === 'A' || v === 'H' || v === 'S';

/** Accepts only well-formed deltas: a bad message from the bus must not corrupt a map. */
export const parseDelta = (message: unknown): SeatDelta | undefined => {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as { version?: unknown; changes?: unknown; standing?: unknown };
  if (typeof m.version !== 'number' || !Number.isInteger(m.version)) return undefined;
  const changes: Record<string, SeatChar> = {};
  if (m.changes && typeof m.changes === 'object')
    for (const [k, v] of Object.entries(m.changes as Record<string, unknown>)) if (isSeatChar(v)) changes[k] = v;
  const standing: Record<string, number> = {};
  if (m.standing && typeof m.standing === 'object')
    for (const [k, v] of Object.entries(m.standing as Record<string, unknown>)) if (typeof v === 'number') standing[k] = v;
  return { version: m.version, changes, standing };
};

/** Folds deltas in order into one (later statuses win); the version is the last one's. */
export const mergeDeltas = (deltas: readonly SeatDelta[]): SeatDelta | undefined => {
  const last = deltas.at(-1);
  if (!last) return undefined;
  const changes: Record<string, SeatChar> = {};
  const standing: Record<string, number> = {};
  for (const d of deltas) {
    Object.assign(changes, d.changes);
    Object.assign(standing, d.standing);
  }
  return { version: last.version, changes, standing };
};

const toSections = (map: SeatMap): Section[] =>
  map.sections.map((s) => {
    const name = 'name' in s && typeof s.name === 'string' ? { name: s.name } : {};
    if (s.kind === 'standing') return { id: s.id, ...name, kind: 'standing', price: s.price, capacity: s.capacity, available: s.available };
    const rows = s.rows.map((r) => ({ label: r.label, seats: Buffer.from(r.seats, 'latin1') }));
    return { id: s.id, ...name, kind: 'seated', price: s.price, rows, rowIndex: new Map(rows.map((r) => [r.label, r])) };
  });

const serialize = (eventId: string, version: number, currency: string | undefined, sections: readonly Section[]): string =>
  JSON.stringify({
    eventId,
    version,
    ...(currency !== undefined ? { currency } : {}),
    sections: sections.map((s) =>
      s.kind === 'standing'
        ? { id: s.id, name: s.name, kind: s.kind, price: s.price, capacity: s.capacity, available: s.available }
        : {
            id: s.id,
            name: s.name,
            kind: s.kind,
            price: s.price,
            rows: s.rows.map((r) => ({ label: r.label, seats: decoder.decode(r.seats) })),
          },
    ),
  });

/** What changed between two snapshots of one layout (to heal clients after a lost bus message). */
const diff = (before: readonly Section[], after: readonly Section[], version: number): SeatDelta => {
  const changes: Record<string, SeatChar> = {};
  const standing: Record<string, number> = {};
  const old = new Map(before.map((s) => [s.id, s]));
  for (const s of after) {
    const o = old.get(s.id);
    if (s.kind === 'standing') {
      if (!o || o.kind !== 'standing' || o.available !== s.available) standing[s.id] = s.available;
      continue;
    }
    for (const r of s.rows) {
      const or = o?.kind === 'seated' ? o.rowIndex.get(r.label) : undefined;
      for (let i = 0; i < r.seats.length; i++) {
        const c = r.seats[i]!;
        if (or?.seats[i] !== c) changes[`${s.id}-${r.label}-${i + 1}`] = String.fromCharCode(c) as SeatChar;
      }
    }
  }
  return { version, changes, standing };
};

export type SeatMapHubOptions = {
  readonly load: (eventId: string) => Promise<SeatMap | undefined>;
  readonly bus: SeatMapBus;
  /** A snapshot older than this is reloaded on next use, healing any bus message lost. */
  readonly refreshMs?: number;
  /** An entry without listeners unused this long is dropped. */
  readonly idleMs?: number;
  readonly ringSize?: number;
  readonly onError?: (err: unknown, eventId: string) => void;
  readonly live?: LiveSeatMapSource;
};

export type Snapshot = { readonly version: number; readonly body: string };

export type SeatMapHub = {
  /** The current seat map, serialized (cached per version); undefined for an unknown event. */
  snapshot(eventId: string): Promise<Snapshot | undefined>;
  /** Deltas after `version`, merged, when the hub still holds them all; undefined when a snapshot is needed. */
  since(eventId: string, version: number): SeatDelta | 'current' | undefined;
  /** Listens to an event's deltas; returns the unlisten function. Call after snapshot() found the event. */
  listen(eventId: string, listener: HubListener): () => void;
  readonly size: number;
  close(): void;
};

export const createSeatMapHub = (options: SeatMapHubOptions): SeatMapHub => {
  const refreshMs = options.refreshMs ?? 5_000;
  const idleMs = options.idleMs ?? 60_000;
  const ringSize = options.ringSize ?? 256;
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Entry | undefined>>();

  const emit = (e: Entry, d: SeatDelta): void => {
    e.ring.push(d);
    if (e.ring.length > ringSize) e.floor = e.ring.shift()!.version;
    for (const l of e.listeners) l(d);
  };

  const apply = (e: Entry, d: SeatDelta): void => {
    if (d.version <= e.version) return;
    for (const [seat, status] of Object.entries(d.changes)) {
      const [sectionId, rowLabel, n] = seat.split('-');
      const s = sectionId === undefined ? undefined : e.byId.get(sectionId);
      if (s?.kind !== 'seated' || rowLabel === undefined) continue;
      const row = s.rowIndex.get(rowLabel);
      const i = Number(n) - 1;
      if (row && i >= 0 && i < row.seats.length) row.seats[i] = CHAR_CODE[status];
    }
    for (const [sectionId, available] of Object.entries(d.standing)) {
      const s = e.byId.get(sectionId);
      if (s?.kind === 'standing') s.available = available;
    }
    e.version = d.version;
    // A step that moved nothing (a checkout started, a waiting room configured) moves the version only.
    if (!isEmpty(d.changes) || !isEmpty(d.standing)) emit(e, d);
  };

  const onMessage = (eventId: string) => (message: unknown) => {
    const e = entries.get(eventId);
    // A map that follows the writer has each step before the projection publishes it.
    if (!e || e.live) return;
    const d = parseDelta(message);
    if (!d) return;
    if (e.early) e.early.push(d);
    else apply(e, d);
  };

  const install = (e: Entry, map: SeatMap): void => {
    const sections = toSections(map);
    const before = e.sections;
    const wasLoaded = e.early === undefined;
    e.sections = sections;
    e.currency = map.currency;
    e.byId = new Map(sections.map((s) => [s.id, s]));
    e.loadedAt = Date.now();
    if (wasLoaded) {
      // A snapshot that differs from what the deltas built: some message was lost (a bus restart drops what
      // was published while a subscriber reconnected, and later deltas may already have moved the version
      // past the gap). Tell the listeners what changed, and resume no one from the history before it.
      const healed = diff(before, sections, map.version);
      if (map.version === e.version && Object.keys(healed.changes).length === 0 && Object.keys(healed.standing).length === 0) return;
      e.version = map.version;
      // The cached body may carry this very version with what the deltas built: it is stale now.
      e.json = undefined;
      e.ring = [];
      e.floor = map.version;
      for (const l of e.listeners) l(healed);
    } else {
      e.version = map.version;
      e.floor = map.version;
      const early = e.early ?? [];
      e.early = undefined;
      for (const d of early) apply(e, d);
    }
  };

  /** Follows the event's writer when this process has it; false when it has not (or is behind the read model). */
  const goLive = (e: Entry): boolean => {
    if (e.live || !options.live) return e.live !== undefined;
    const opened = options.live.open(
      e.eventId,
      (d) => {
        if (d === 'ended') {
          e.live = undefined;
          e.loadedAt = 0;
        } else if (e.early) e.early.push(d);
        else apply(e, d);
      },
      e.early === undefined ? e.version : -1,
    );
    if (!opened) return false;
    e.live = () => opened.close();
    install(e, opened.map);
    return true;
  };

  const load = async (eventId: string): Promise<Entry | undefined> => {
    const existing = entries.get(eventId);
    if (existing?.live) return existing;
    if (existing && existing.early === undefined && !loading.has(eventId) && goLive(existing)) return existing;
    if (existing && existing.early === undefined && Date.now() - existing.loadedAt < refreshMs) return existing;
    const inflight = loading.get(eventId);
    if (inflight) return inflight;
    const p = (async () => {
      let e = entries.get(eventId);
      if (!e) {
        e = {
          eventId,
          version: -1,
          currency: undefined,
          sections: [],
          byId: new Map(),
          loadedAt: 0,
          lastUsed: Date.now(),
          json: undefined,
          ring: [],
          floor: -1,
          listeners: new Set(),
          unsubscribe: () => undefined,
          early: [],
          live: undefined,
        };
        entries.set(eventId, e);
        // Subscribe before reading, so no delta committed after the read is missed.
        e.unsubscribe = options.bus.subscribe(`seatmap.${eventId}`, onMessage(eventId));
      }
      const entry = e;
      if (entry.early !== undefined && goLive(entry)) return entry;
      try {
        const map = await options.load(eventId);
        if (!map) {
          if (entry.early !== undefined) drop(entry);
          return undefined;
        }
        if (entry.early !== undefined || map.version >= entry.version) install(entry, map);
        else entry.loadedAt = Date.now();
        return entry;
      } catch (err) {
        if (entry.early !== undefined) drop(entry);
        throw err;
      }
    })().finally(() => loading.delete(eventId));
    loading.set(eventId, p);
    return p;
  };

  const drop = (e: Entry): void => {
    e.unsubscribe();
    e.live?.();
    e.live = undefined;
    if (entries.get(e.eventId) === e) entries.delete(e.eventId);
  };

  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const e of entries.values()) {
        if (loading.has(e.eventId)) continue;
        if (e.listeners.size === 0 && now - e.lastUsed > idleMs) drop(e);
        // Watched maps are re-read now and then, so a lost bus message is healed for the streams too.
        else if (e.listeners.size > 0 && !e.live && now - e.loadedAt >= refreshMs)
          load(e.eventId).catch((err: unknown) => options.onError?.(err, e.eventId));
      }
    },
    Math.max(1_000, Math.min(idleMs, refreshMs * 3, 30_000)),
  );
  sweeper.unref();

  // A writer that starts here (an on-sale's first hold) takes over the maps already served of its event: on the
  // next turn, so building its map is not part of the append that announced it.
  const unwatchLive = options.live?.onAvailable((eventId) => {
    setImmediate(() => {
      const e = entries.get(eventId);
      if (e && e.early === undefined && !loading.has(eventId)) goLive(e);
    });
  });

  return {
    async snapshot(eventId) {
      let e: Entry | undefined;
      try {
        e = await load(eventId);
      } catch (err) {
        const stale = entries.get(eventId);
        // The read side is down: a snapshot we already hold is still the best answer.
        if (!stale || stale.early !== undefined) throw err;
        options.onError?.(err, eventId);
        e = stale;
      }
      if (!e) return undefined;
      e.lastUsed = Date.now();
      if (e.json?.version !== e.version) e.json = { version: e.version, body: serialize(eventId, e.version, e.currency, e.sections) };
      return e.json;
    },

    since(eventId, version) {
      const e = entries.get(eventId);
      if (!e || e.early !== undefined) return undefined;
      if (version === e.version) return 'current';
      if (version > e.version || version < e.floor) return undefined;
      return mergeDeltas(e.ring.filter((d) => d.version > version));
    },

    listen(eventId, listener) {
      const e = entries.get(eventId);
      if (!e) throw new Error(`seat map of ${eventId} is not loaded`);
      e.listeners.add(listener);
      return () => {
        e.listeners.delete(listener);
        e.lastUsed = Date.now();
      };
    },

    get size() {
      return entries.size;
    },

    close() {
      clearInterval(sweeper);
      unwatchLive?.();
      for (const e of entries.values()) {
        e.unsubscribe();
        e.live?.();
      }
      entries.clear();
    },
  };
};
