import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage, fieldIssues } from '../api/problems.js';
import { CATEGORIES, categoryLabel, type Category, type EventBody, type Venue } from '../api/types.js';
import { Alert, Field, PageTitle, Spinner } from '../components/ui.js';
import { minorPerMajor, utcToZoned, zonedToUtc } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { pathTo } from '../routes.js';
import { ConsoleNav, OrganizerOnly } from './guard.js';

const CURRENCIES = ['GBP', 'EUR', 'USD', 'AUD', 'CAD', 'JPY', 'INR', 'CHF', 'SEK', 'NZD'];

/** Money typed as "65" or "65.50" -> minor units; undefined when it is not a price. */
export const parsePrice = (text: string, currency: string): number | undefined => {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d+(\.\d{1,3})?$/.test(t)) return undefined;
  return Math.round(Number(t) * minorPerMajor(currency));
};

const sectionsOf = (v: Venue) => v.layout.sections as readonly { id: string; name: string; kind: string }[];

const Editor = () => {
  const { query } = useLocation();
  const [venues, setVenues] = useState<readonly Venue[] | undefined>();
  const [venueId, setVenueId] = useState(query.get('venue') ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<Category>('music');
  const [performers, setPerformers] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [onSaleAt, setOnSaleAt] = useState('');
  const [currency, setCurrency] = useState('GBP');
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [holdMinutes, setHoldMinutes] = useState(5);
  const [limit, setLimit] = useState(8);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ok(api.GET('/me/venues', { params: { query: { pageSize: 100 } } })).then(
      async (r) => {
        const list = [...r.items];
        // A venue created a moment ago may not be in the list yet (the read model trails by a moment).
        const wanted = query.get('venue');
        if (wanted && !list.some((v) => v.id === wanted)) {
          const v = await ok(api.GET('/venues/{id}', { params: { path: { id: wanted } } })).catch(() => undefined);
          if (v) list.unshift(v);
        }
        setVenues(list);
        if (!venueId && list[0]) setVenueId(list[0].id);
      },
      (err) => setFormError(errorMessage(err)),
    );
  }, []);

  const venue = venues?.find((v) => v.id === venueId);
  useEffect(() => {
    if (!venue) return;
    const now = new Date().toISOString();
    if (!onSaleAt) setOnSaleAt(utcToZoned(now, venue.timezone));
    if (!startsAt) setStartsAt(`${utcToZoned(new Date(Date.now() + 30 * 86_400_000).toISOString(), venue.timezone).slice(0, 10)}T19:30`);
  }, [venue?.id]);

  if (!venues) return <Spinner label="Loading your venues" />;
  if (venues.length === 0)
    return (
      <section class="narrow">
        <PageTitle title="New event">New event</PageTitle>
        <p>An event takes place at a venue. Create your venue first.</p>
        <a class="button" href={pathTo('newVenue')}>
          New venue
        </a>
      </section>
    );

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setFormError(undefined);
    const e: Record<string, string> = {};
    if (!venue) e.venueId = 'Choose a venue.';
    if (!name.trim()) e.name = 'Give the event a name.';
    if (!startsAt) e.startsAt = 'When does it start?';
    const sectionPrices: Record<string, number> = {};
    for (const s of venue ? sectionsOf(venue) : []) {
      const p = parsePrice(prices[s.id] ?? '', currency);
      if (p === undefined) e[`price.${s.id}`] = 'Enter a price, such as 45 or 45.50.';
      else sectionPrices[s.id] = p;
    }
    if (holdMinutes < 1 || holdMinutes > 30) e.holdMinutes = 'From 1 to 30 minutes.';
    if (limit < 1 || limit > 50) e.limit = 'From 1 to 50 tickets.';
    setErrors(e);
    if (Object.keys(e).length > 0 || !venue) {
      setFormError('Please fix the fields marked below.');
      return;
    }
    const body: EventBody = {
      venueId: venue.id,
      name: name.trim(),
      description: description.trim(),
      category,
      performers: performers
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      startsAt: zonedToUtc(startsAt, venue.timezone),
      currency,
      sectionPrices,
      ...(onSaleAt ? { onSaleAt: zonedToUtc(onSaleAt, venue.timezone) } : {}),
      holdSeconds: holdMinutes * 60,
      maxTicketsPerUser: limit,
    };
    setBusy(true);
    try {
      const created = await ok(api.POST('/events', { body }));
      navigate(pathTo('manageEvent', { id: created.id }));
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(fieldIssues(err.problem).map((i) => [i.field, i.message])));
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title="New event">New event</PageTitle>
      <ConsoleNav current="newEvent" />
      {query.get('created') ? <Alert tone="success">Venue created. Now schedule an event there.</Alert> : null}
      <form class="console-form" onSubmit={(e) => void submit(e)} noValidate>
        <Alert>{formError}</Alert>
        <fieldset class="card">
          <legend>The event</legend>
          <Field label="Venue" error={errors.venueId}>
            {(p) => (
              <select {...p} value={venueId} onChange={(e) => setVenueId(e.currentTarget.value)}>
                {venues.map((v) => (
                  <option value={v.id}>
                    {v.name}, {v.city}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Event name" error={errors.name}>
            {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Description" error={errors.description}>
            {(p) => <textarea {...p} rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
          </Field>
          <div class="inline-fields">
            <Field label="Category">
              {(p) => (
                <select {...p} value={category} onChange={(e) => setCategory(e.currentTarget.value as Category)}>
                  {CATEGORIES.map((c) => (
                    <option value={c}>{categoryLabel(c)}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Performers" hint="Separate names with commas.">
              {(p) => <input {...p} value={performers} onInput={(e) => setPerformers(e.currentTarget.value)} />}
            </Field>
          </div>
          <div class="inline-fields">
            <Field label="Starts at" error={errors.startsAt} hint={venue ? `Venue time (${venue.timezone})` : undefined}>
              {(p) => <input {...p} type="datetime-local" value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />}
            </Field>
            <Field label="On sale from" error={errors.onSaleAt} hint={venue ? `Venue time (${venue.timezone})` : undefined}>
              {(p) => <input {...p} type="datetime-local" value={onSaleAt} onInput={(e) => setOnSaleAt(e.currentTarget.value)} />}
            </Field>
          </div>
        </fieldset>
        <fieldset class="card">
          <legend>Tickets</legend>
          <div class="inline-fields">
            <Field label="Currency">
              {(p) => (
                <select {...p} value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
                  {CURRENCIES.map((c) => (
                    <option value={c}>{c}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Hold time (minutes)" error={errors.holdMinutes} hint="How long seats stay held while a buyer pays.">
              {(p) => <input {...p} type="number" min={1} max={30} value={holdMinutes} onInput={(e) => setHoldMinutes(Number(e.currentTarget.value))} />}
            </Field>
            <Field label="Ticket limit per buyer" error={errors.limit}>
              {(p) => <input {...p} type="number" min={1} max={50} value={limit} onInput={(e) => setLimit(Number(e.currentTarget.value))} />}
            </Field>
          </div>
          <h3>Prices</h3>
          <div class="price-fields">
            {(venue ? sectionsOf(venue) : []).map((s) => (
              <Field label={`Price for ${s.name} (${currency})`} error={errors[`price.${s.id}`] ?? errors[`sectionPrices.${s.id}`]}>
                {(p) => <input {...p} inputMode="decimal" value={prices[s.id] ?? ''} onInput={(e) => setPrices({ ...prices, [s.id]: e.currentTarget.value })} />}
              </Field>
            ))}
          </div>
        </fieldset>
        <button type="submit" class="button button-large" disabled={busy}>
          {busy ? 'Creating…' : 'Create event'}
        </button>
      </form>
    </>
  );
};

export const EventEditor = () => (
  <OrganizerOnly>
    <Editor />
  </OrganizerOnly>
);
