import { Client, Errors } from 'typesense';
import type { CollectionCreateSchema, SearchParams } from 'typesense';
import {
  DEFAULT_RADIUS_KM,
  MAX_PAGE_SIZE,
  MAX_RESULT_WINDOW,
  queryWords,
  roundKm,
  toItem,
  type EventDoc,
  type SearchIndex,
  type SearchPage,
  type SearchQuery,
} from './port.js';

/**
 * The Typesense search index: a thin adapter over the `typesense` client. One
 * document per ticketed event with a geopoint for the venue; the API item is
 * kept whole in an unindexed `doc` field so results need no second lookup.
 */

type TsDoc = {
  id: string;
  event_id: string;
  name: string;
  performer_names: string[];
  performer_ids: string[];
  venue_name: string;
  venue_id: string;
  city: string;
  description: string;
  category: string;
  status: string;
  starts_at: number;
  location: [number, number];
  doc: string;
};

export const collectionSchema = (name: string): CollectionCreateSchema => ({
  name,
  fields: [
    { name: 'event_id', type: 'string', sort: true },
    { name: 'name', type: 'string' },
    { name: 'performer_names', type: 'string[]' },
    { name: 'performer_ids', type: 'string[]', facet: true },
    { name: 'venue_name', type: 'string' },
    { name: 'venue_id', type: 'string', facet: true },
    { name: 'city', type: 'string', facet: true },
    { name: 'description', type: 'string' },
    { name: 'category', type: 'string', facet: true },
    { name: 'status', type: 'string', facet: true },
    { name: 'starts_at', type: 'int64' },
    { name: 'location', type: 'geopoint' },
    { name: 'doc', type: 'string', index: false, optional: true },
  ],
  default_sorting_field: 'starts_at',
  // Split where the PostgreSQL parser splits, so "Stratford-upon-Avon" is found by "stratford".
  token_separators: ['-', '/', "'", '&', '+', '.', ':', ','],
});

const toTsDoc = (d: EventDoc): TsDoc => ({
  id: d.id,
  event_id: d.id,
  name: d.name,
  performer_names: d.performers.map((p) => p.name),
  performer_ids: d.performers.map((p) => p.id),
  venue_name: d.venue.name,
  venue_id: d.venue.id,
  city: d.venue.city,
  description: d.description.slice(0, 4000),
  category: d.category,
  status: d.status,
  starts_at: Date.parse(d.startsAt),
  location: [d.venue.location.lat, d.venue.location.lng],
  doc: JSON.stringify(d),
});

/** Filter values go between backticks, which themselves cannot be escaped: drop them. */
const literal = (v: string): string => `\`${v.replace(/`/g, '')}\``;

const millis = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${iso}`);
  return ms;
};

const haversineKm = (a: { lat: number; lng: number }, b: { lat: number; lng: number }): number => {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
};

export const searchParams = (query: SearchQuery): SearchParams<TsDoc> => {
  const filters = [`status:=${literal(query.status ?? 'scheduled')}`];
  if (query.from) filters.push(`starts_at:>=${millis(query.from)}`);
  if (query.to) filters.push(`starts_at:<${millis(query.to)}`);
  if (query.category) filters.push(`category:=${literal(query.category)}`);
  if (query.venue) filters.push(`venue_id:=${literal(query.venue)}`);
  if (query.performer) filters.push(`performer_ids:=${literal(query.performer)}`);
  if (query.eventIds) filters.push(`id:[${query.eventIds.length === 0 ? '``' : query.eventIds.map(literal).join(',')}]`);
  if (query.near) filters.push(`location:(${query.near.lat}, ${query.near.lng}, ${query.radiusKm ?? DEFAULT_RADIUS_KM} km)`);
  const words = queryWords(query.q, 16);
  const sort =
    query.sort === 'relevance' && words.length > 0
      ? '_text_match:desc,starts_at:asc,event_id:asc'
      : query.sort === 'distance' && query.near
        ? `location(${query.near.lat}, ${query.near.lng}):asc,starts_at:asc,event_id:asc`
        : 'starts_at:asc,event_id:asc';
  const perPage = Math.min(Math.max(1, Math.floor(query.pageSize)), MAX_PAGE_SIZE);
  return {
    q: words.length > 0 ? words.join(' ') : '*',
    query_by: 'name,performer_names,venue_name,city,description',
    query_by_weights: '4,4,2,2,1',
    filter_by: filters.join(' && '),
    sort_by: sort,
    num_typos: 2,
    prefix: true,
    drop_tokens_threshold: 1,
    page: Math.min(Math.max(1, Math.floor(query.page)), Math.floor(MAX_RESULT_WINDOW / perPage) + 1),
    per_page: perPage,
    include_fields: 'doc',
  };
};

export type TypesenseOptions = {
  readonly url: string;
  readonly apiKey: string;
  /** Default `events`. */
  readonly collection?: string;
};

export type TypesenseSearchIndex = SearchIndex & {
  /** Creates the collection when it does not exist. */
  ensureCollection(): Promise<void>;
  dropCollection(): Promise<void>;
};

export const typesenseSearchIndex = (options: TypesenseOptions): TypesenseSearchIndex => {
  const name = options.collection ?? 'events';
  const client = new Client({ apiKey: options.apiKey, nodes: [{ url: options.url }], connectionTimeoutSeconds: 5, numRetries: 2 });
  const documents = () => client.collections<TsDoc>(name).documents();

  const ensureCollection = async (): Promise<void> => {
    try {
      await client.collections(name).retrieve();
    } catch (error) {
      if (!(error instanceof Errors.ObjectNotFound)) throw error;
      try {
        await client.collections().create(collectionSchema(name));
      } catch (raced) {
        if (!(raced instanceof Errors.ObjectAlreadyExists)) throw raced;
      }
    }
  };

  const dropCollection = async (): Promise<void> => {
    try {
      await client.collections(name).delete();
    } catch (error) {
      if (!(error instanceof Errors.ObjectNotFound)) throw error;
    }
  };

  const search = async (query: SearchQuery): Promise<SearchPage> => {
    const result = await documents().search(searchParams(query));
    const items = (result.hits ?? []).map((hit) => {
      const doc = JSON.parse(hit.document.doc) as EventDoc;
      const meters = hit.geo_distance_meters?.location;
      const km = query.near ? roundKm(meters !== undefined ? meters / 1000 : haversineKm(query.near, doc.venue.location)) : undefined;
      return toItem(doc, km);
    });
    return { items, page: query.page, pageSize: query.pageSize, total: result.found };
  };

  const upsert = async (docs: readonly EventDoc[]): Promise<void> => {
    if (docs.length === 0) return;
    const results = await documents().import(docs.map(toTsDoc), { action: 'upsert', throwOnFail: false });
    const failed = results.filter((r) => !r.success);
    if (failed.length > 0)
      throw new Error(`typesense: ${failed.length} of ${docs.length} documents failed to import: ${failed[0]?.error ?? 'unknown error'}`);
  };

  return {
    kind: 'typesense',
    ensureCollection,
    search,
    upsert,
    remove: async (ids) => {
      if (ids.length === 0) return;
      await documents().delete({ filter_by: `event_id:=[${ids.map(literal).join(',')}]` });
    },
    dropCollection,
    reset: async () => {
      await dropCollection();
      await ensureCollection();
    },
    ping: async () => {
      const health = await client.health.retrieve();
      if (!health.ok) throw new Error(`typesense at ${options.url} is not healthy`);
    },
    close: async () => undefined,
  };
};
