import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { errorMessage } from '../api/problems.js';
import { CATEGORIES, categoryLabel, type Category, type EventItem, type EventPage } from '../api/types.js';
import { zonesOf } from '../api/venues.js';
import { Alert, Field, PageTitle, Spinner } from '../components/ui.js';
import { formatKm, formatMoney, formatWhen, plural } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { pathTo } from '../routes.js';

const PAGE_SIZE = 12;
const RADII = [10, 25, 50, 100, 250] as const;

type DateRange = 'any' | 'today' | 'weekend' | 'week' | 'month';
const DATE_RANGES: readonly { value: DateRange; label: string }[] = [
  { value: 'any', label: 'Any date' },
  { value: 'today', label: 'Today' },
  { value: 'weekend', label: 'This weekend' },
  { value: 'week', label: 'Next 7 days' },
  { value: 'month', label: 'Next 30 days' },
];

/** from/to of a date preset, in the viewer's own days. */
const rangeOf = (r: DateRange, now = new Date()): { from?: string; to?: string } => {
  const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const days = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
  const today = startOfDay(now);
  switch (r) {
    case 'any':
      return {};
    case 'today':
      return { from: now.toISOString(), to: days(today, 1).toISOString() };
    case 'weekend': {
      const saturday = days(today, (6 - today.getDay() + 7) % 7);
      const from = today.getDay() === 0 || today.getDay() === 6 ? now : saturday;
      return { from: from.toISOString(), to: days(today.getDay() === 0 ? today : saturday, today.getDay() === 0 ? 1 : 2).toISOString() };
    }
    case 'week':
      return { from: now.toISOString(), to: days(today, 7).toISOString() };
    case 'month':
      return { from: now.toISOString(), to: days(today, 30).toISOString() };
    default: {
      const _: never = r;
      return _;
    }
  }
};

type Filters = {
  q: string;
  category: Category | '';
  dates: DateRange;
  near: string;
  place: string;
  radiusKm: number;
  page: number;
};

const filtersFrom = (query: URLSearchParams): Filters => ({
  q: query.get('q') ?? '',
  category: (CATEGORIES as readonly string[]).includes(query.get('category') ?? '') ? (query.get('category') as Category) : '',
  dates: (DATE_RANGES.some((d) => d.value === query.get('dates')) ? query.get('dates') : 'any') as DateRange,
  near: query.get('near') ?? '',
  place: query.get('place') ?? '',
  radiusKm: Number(query.get('radiusKm')) || 50,
  page: Math.max(1, Number(query.get('page')) || 1),
});

const queryOf = (f: Filters): string => {
  const q = new URLSearchParams();
  if (f.q) q.set('q', f.q);
  if (f.category) q.set('category', f.category);
  if (f.dates !== 'any') q.set('dates', f.dates);
  if (f.near) {
    q.set('near', f.near);
    q.set('radiusKm', String(f.radiusKm));
    if (f.place) q.set('place', f.place);
  }
  if (f.page > 1) q.set('page', String(f.page));
  const s = q.toString();
  return s ? `/?${s}` : '/';
};

type Results = { page: EventPage; zones: Map<string, string> };

const search = async (f: Filters): Promise<Results> => {
  const query = {
    ...(f.category ? { category: f.category } : {}),
    ...rangeOf(f.dates),
    ...(f.near ? { near: f.near, radiusKm: f.radiusKm } : {}),
    page: f.page,
    pageSize: PAGE_SIZE,
  };
  const page = f.q.trim()
    ? await ok(api.GET('/events/search', { params: { query: { ...query, q: f.q.trim() } } }))
    : await ok(api.GET('/events', { params: { query } }));
  return { page, zones: await zonesOf(page.items.map((i) => i.venue.id)) };
};

/** A city typed in, placed at a venue Marquee knows there (no outside geocoder: search finds the city's venues). */
const locateCity = async (city: string): Promise<string | undefined> => {
  const want = city.trim().toLowerCase();
  const r = await ok(api.GET('/events/search', { params: { query: { q: city.trim(), pageSize: 50 } } }));
  const hit = r.items.find((i) => i.venue.city.toLowerCase() === want) ?? r.items.find((i) => i.venue.city.toLowerCase().startsWith(want));
  return hit ? `${hit.venue.location.lat},${hit.venue.location.lng}` : undefined;
};

const availability = (e: EventItem): { text: string; tone: string } => {
  if (e.status === 'cancelled') return { text: 'Cancelled', tone: 'bad' };
  if (e.available === 0) return { text: 'Sold out', tone: 'bad' };
  if (e.available / Math.max(1, e.capacity) < 0.1) return { text: `Only ${e.available.toLocaleString('en-GB')} left`, tone: 'warn' };
  return { text: `${e.available.toLocaleString('en-GB')} available`, tone: 'good' };
};

const ResultCard = ({ e, zone }: { e: EventItem; zone: string | undefined }) => {
  const a = availability(e);
  return (
    <li class="card event-card">
      <p class="eyebrow">{categoryLabel(e.category)}</p>
      <h3 class="event-card-title">
        <a href={pathTo('event', { id: e.id })}>{e.name}</a>
      </h3>
      <p class="event-card-when">{formatWhen(e.startsAt, zone ?? 'UTC')}</p>
      <p class="event-card-where">
        {e.venue.name}, {e.venue.city}
        {e.distanceKm !== undefined ? <span class="distance"> · {formatKm(e.distanceKm)}</span> : null}
      </p>
      {e.performers.length > 0 ? <p class="muted small">{e.performers.map((p) => p.name).join(', ')}</p> : null}
      <p class="event-card-foot">
        <span class="price">{e.priceFrom !== null ? `From ${formatMoney(e.priceFrom, e.currency)}` : ''}</span>
        <span class={`badge badge-${a.tone}`}>{a.text}</span>
      </p>
    </li>
  );
};

export const Home = () => {
  const { query } = useLocation();
  const filters = filtersFrom(query);
  const [draft, setDraft] = useState(filters);
  const [results, setResults] = useState<Results | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [placeError, setPlaceError] = useState<string | undefined>();
  const [locating, setLocating] = useState(false);
  const key = queryOf(filters);

  useEffect(() => {
    setDraft(filters);
    let live = true;
    setError(undefined);
    search(filters).then(
      (r) => live && setResults(r),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const go = (f: Filters) => navigate(queryOf(f));

  const nearMe = () => {
    setPlaceError(undefined);
    if (!('geolocation' in navigator)) return setPlaceError('This browser cannot tell where you are: type a city instead.');
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        go({ ...draft, near: `${pos.coords.latitude.toFixed(4)},${pos.coords.longitude.toFixed(4)}`, place: 'your location', page: 1 });
      },
      (err) => {
        setLocating(false);
        setPlaceError(err.code === err.PERMISSION_DENIED ? 'Location is blocked for this site: type a city instead.' : 'Could not find your location: type a city instead.');
      },
      { timeout: 10_000, maximumAge: 600_000 },
    );
  };

  const nearCity = async () => {
    setPlaceError(undefined);
    if (!draft.place.trim()) return setPlaceError('Type a city, for example Manchester.');
    try {
      const near = await locateCity(draft.place);
      if (!near) return setPlaceError(`No venues in “${draft.place.trim()}” yet. Try a nearby city.`);
      go({ ...draft, near, page: 1 });
    } catch (err) {
      setPlaceError(errorMessage(err));
    }
  };

  const total = results?.page.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const heading = filters.q ? `Results for “${filters.q}”` : filters.near ? `Events near ${filters.place || 'you'}` : 'Upcoming events';

  return (
    <>
      <section class="hero">
        <PageTitle title="Find events">Find your next night out</PageTitle>
        <p class="lead">Concerts, theatre, sport and film. Pick your seats on a live map.</p>
        <form
          class="search-form"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            go({ ...draft, page: 1 });
          }}
        >
          <div class="search-row">
            <input
              type="search"
              name="q"
              aria-label="Search events"
              placeholder="Artist, show, team, venue or city"
              value={draft.q}
              onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
              autoComplete="off"
            />
            <button type="submit" class="button">
              Search
            </button>
          </div>
          <div class="filters">
            <Field label="Category">
              {(p) => (
                <select {...p} value={draft.category} onChange={(e) => go({ ...draft, category: e.currentTarget.value as Category | '', page: 1 })}>
                  <option value="">All categories</option>
                  {CATEGORIES.map((c) => (
                    <option value={c}>{categoryLabel(c)}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Dates">
              {(p) => (
                <select {...p} value={draft.dates} onChange={(e) => go({ ...draft, dates: e.currentTarget.value as DateRange, page: 1 })}>
                  {DATE_RANGES.map((d) => (
                    <option value={d.value}>{d.label}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="City" error={placeError}>
              {(p) => (
                <input
                  {...p}
                  value={draft.place === 'your location' ? '' : draft.place}
                  placeholder="e.g. Manchester"
                  onInput={(e) => setDraft({ ...draft, place: e.currentTarget.value })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void nearCity();
                    }
                  }}
                />
              )}
            </Field>
            <Field label="Within">
              {(p) => (
                <select
                  {...p}
                  value={String(draft.radiusKm)}
                  onChange={(e) => {
                    const radiusKm = Number(e.currentTarget.value);
                    if (draft.near) go({ ...draft, radiusKm, page: 1 });
                    else setDraft({ ...draft, radiusKm });
                  }}
                >
                  {RADII.map((r) => (
                    <option value={String(r)}>{r} km</option>
                  ))}
                </select>
              )}
            </Field>
            <div class="filter-actions">
              <button type="button" class="button button-secondary" onClick={() => void nearCity()}>
                Search near city
              </button>
              <button type="button" class="button button-secondary" onClick={nearMe} disabled={locating}>
                {locating ? 'Locating…' : 'Near me'}
              </button>
              {filters.near ? (
                <button type="button" class="link-button" onClick={() => go({ ...draft, near: '', place: '', page: 1 })}>
                  Anywhere
                </button>
              ) : null}
            </div>
          </div>
        </form>
      </section>

      <section aria-labelledby="results-heading" class="results">
        <div class="results-head">
          <h2 id="results-heading">{heading}</h2>
          {results ? <p class="muted" aria-live="polite">{plural(total, 'event')}</p> : null}
        </div>
        <Alert>{error}</Alert>
        {!results && !error ? <Spinner label="Finding events" /> : null}
        {results && results.page.items.length === 0 ? (
          <div class="empty">
            <p>No events match. Try fewer words, another date or a wider radius.</p>
          </div>
        ) : null}
        {results ? (
          <ul class="event-grid">
            {results.page.items.map((e) => (
              <ResultCard key={e.id} e={e} zone={results.zones.get(e.venue.id)} />
            ))}
          </ul>
        ) : null}
        {results && pages > 1 ? (
          <nav class="pager" aria-label="Pages of results">
            <button type="button" class="button button-secondary" disabled={filters.page <= 1} onClick={() => go({ ...filters, page: filters.page - 1 })}>
              Previous page
            </button>
            <span>
              Page {filters.page} of {pages}
            </span>
            <button type="button" class="button button-secondary" disabled={filters.page >= pages} onClick={() => go({ ...filters, page: filters.page + 1 })}>
              Next page
            </button>
          </nav>
        ) : null}
      </section>
    </>
  );
};
