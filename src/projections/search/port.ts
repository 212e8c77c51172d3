import type pg from 'pg';
import type { GeoPoint } from '../../domain/venue/index.js';
import { foldText } from '../../domain/shared/index.js';
import type { EventItem, EventStatus, Performer } from '../catalogue/index.js';

/**
 * The search index port: one document per ticketed event, kept current by the
 * search projection, read by GET /events, /events/search and /performers/:id.
 * Adapters: PostgreSQL full text + earthdistance (default), Typesense.
 */

export type { EventStatus };

export type PerformerRef = Performer;

export type VenueRef = {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly location: GeoPoint;
};

/** Per-section inventory the projection keeps, so availability and "price from" follow sales. */
export type SectionStock = {
  readonly id: string;
  readonly price: number;
  readonly capacity: number;
  readonly held: number;
  readonly sold: number;
};

/** What is indexed: the API item (less distanceKm) plus the fields the projection needs to keep it current. */
export type EventDoc = {
  readonly id: string;
  /** The event stream version this document reflects (idempotency). */
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly performers: readonly PerformerRef[];
  readonly startsAt: string;
  readonly venue: VenueRef;
  readonly currency: string;
  readonly sections: readonly SectionStock[];
  readonly priceFrom: number;
  readonly available: number;
  readonly capacity: number;
  readonly status: EventStatus;
  /** The production this event is a showtime of (set when it is scheduled). */
  readonly production?: ProductionRef;
};

/** A production by id (the slug of its name) and name. */
export type ProductionRef = { readonly id: string; readonly name: string };

/** An item of GET /events and /events/search (docs/api.md). */
export type SearchItem = EventItem & { readonly distanceKm?: number; readonly production?: ProductionRef };

/** `relevance` needs q; `distance` needs near. Adapters fall back to start time otherwise. */
export type SearchSort = 'relevance' | 'distance' | 'startsAt';

export type SearchQuery = {
  readonly q?: string;
  readonly near?: GeoPoint;
  /** Only with near; default DEFAULT_RADIUS_KM. */
  readonly radiusKm?: number;
  /** Inclusive lower bound on startsAt (ISO). */
  readonly from?: string;
  /** Exclusive upper bound on startsAt (ISO). */
  readonly to?: string;
  readonly category?: string;
  readonly performer?: string;
  readonly venue?: string;
  /** Only these events (a production's showtimes). */
  readonly eventIds?: readonly string[];
  /** Default 'scheduled': cancelled events leave results. */
  readonly status?: EventStatus;
  readonly sort: SearchSort;
  /** From 1. */
  readonly page: number;
  /** 1..MAX_PAGE_SIZE. */
  readonly pageSize: number;
};

export type SearchPage = {
  readonly items: readonly SearchItem[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  /** The index's version when the page was read (see SearchIndex.version); absent when it keeps none. */
  readonly version?: string;
};

export const DEFAULT_RADIUS_KM = 50;
export const MAX_RADIUS_KM = 20_000;
export const MAX_PAGE_SIZE = 100;
/** Deep pages cost a scan of everything before them; nobody reads page 500 of search results. */
export const MAX_RESULT_WINDOW = 10_000;

export interface SearchIndex {
  readonly kind: 'postgres' | 'typesense';
  search(query: SearchQuery): Promise<SearchPage>;
  /**
   * Changes whenever a document changes (every projected batch that writes), so a page read at
   * one version is still what a search would answer while it stays the same: the ETag of
   * browse and search answers. Undefined when the index keeps no version.
   */
  version?(): Promise<string | undefined>;
  /** Writes outside the projector (bulk rebuilds, benchmarks); idempotent per document version. */
  upsert(docs: readonly EventDoc[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  /** Empties the index. */
  reset(): Promise<void>;
  /** Throws when the index cannot be reached (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where the search projection keeps its documents inside the projector's
 * transaction. The PostgreSQL adapter's store is the index itself; a store for
 * an external index keeps documents in PostgreSQL and pushes them after commit.
 */
export interface SearchDocStore {
  /** Distinguishes checkpoints and tables when both adapters run against one database. */
  readonly kind: 'postgres' | 'typesense';
  setup(db: pg.PoolClient): Promise<void>;
  reset(db: pg.PoolClient): Promise<void>;
  load(db: pg.PoolClient, ids: readonly string[]): Promise<Map<string, EventDoc>>;
  /** `textChanged`: ids whose searchable text changed (the rest changed only stock or status). */
  save(db: pg.PoolClient, docs: readonly EventDoc[], textChanged: ReadonlySet<string>): Promise<void>;
  afterCommit?(): Promise<void>;
  /** The tables save writes, for the projector's ANALYZE after bulk writes. */
  readonly tables?: readonly string[];
}

export const toItem = (doc: EventDoc, distanceKm?: number): SearchItem => ({
  id: doc.id,
  name: doc.name,
  category: doc.category,
  performers: doc.performers,
  startsAt: doc.startsAt,
  venue: { id: doc.venue.id, name: doc.venue.name, city: doc.venue.city, location: doc.venue.location },
  priceFrom: doc.priceFrom,
  currency: doc.currency,
  available: doc.available,
  capacity: doc.capacity,
  status: doc.status,
  ...(doc.production === undefined ? {} : { production: doc.production }),
  ...(distanceKm === undefined ? {} : { distanceKm }),
});

/** Lower-cased words without accents, split as the indexes split them; punctuation yields nothing. */
export const queryWords = (q: string | undefined, max = 8): string[] =>
  foldText(q ?? '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.slice(0, 64))
    .slice(0, max);

export const roundKm = (km: number): number => Math.round(km * 100) / 100;
