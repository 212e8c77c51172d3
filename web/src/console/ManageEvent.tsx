import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage, fieldIssues } from '../api/problems.js';
import { CATEGORIES, categoryLabel, type Category, type EventDetail, type Sales, type Venue } from '../api/types.js';
import { venue as loadVenue } from '../api/venues.js';
import { Alert, Badge, Field, PageTitle, Spinner } from '../components/ui.js';
import { formatMoney, formatWhen, minorPerMajor, utcToZoned, zonedToUtc } from '../format.js';
import { pathTo } from '../routes.js';
import { parsePrice } from './EventEditor.js';
import { ConsoleNav, OrganizerOnly } from './guard.js';

/** Sales figures, refreshed whenever the event's public seat-map stream says something changed. */
const useLiveSales = (eventId: string): { sales: Sales | undefined; error: string | undefined; live: boolean } => {
  const [sales, setSales] = useState<Sales | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [live, setLive] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refresh = () =>
      ok(api.GET('/events/{id}/sales', { params: { path: { id: eventId } } })).then(
        (s) => !stopped && (setSales(s), setError(undefined)),
        (err) => !stopped && setError(errorMessage(err)),
      );
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void refresh();
      }, 300);
    };
    void refresh();
    const source = new EventSource(`/events/${encodeURIComponent(eventId)}/seats/stream`);
    source.addEventListener('seats', soon);
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    // Revenue moves on payments too, which a seat already held does not show on the map.
    const poll = setInterval(() => void refresh(), 15_000);
    return () => {
      stopped = true;
      source.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    };
  }, [eventId]);
  return { sales, error, live };
};

const SalesPanel = ({ eventId }: { eventId: string }) => {
  const { sales, error, live } = useLiveSales(eventId);
  return (
    <section class="card" aria-labelledby="sales-heading">
      <div class="seat-map-head">
        <h2 id="sales-heading">Sales</h2>
        <span class={`live-dot${live ? ' is-live' : ''}`}>{live ? 'Live' : 'Connecting…'}</span>
      </div>
      <Alert>{error}</Alert>
      {sales ? (
        <dl class="stats" aria-live="polite">
          <div>
            <dt>Sold</dt>
            <dd>{sales.sold.toLocaleString('en-GB')}</dd>
          </div>
          <div>
            <dt>Held now</dt>
            <dd>{sales.held.toLocaleString('en-GB')}</dd>
          </div>
          <div>
            <dt>Available</dt>
            <dd>{sales.available.toLocaleString('en-GB')}</dd>
          </div>
          <div>
            <dt>Revenue</dt>
            <dd>{formatMoney(sales.revenue, sales.currency)}</dd>
          </div>
        </dl>
      ) : (
        <Spinner label="Loading sales" />
      )}
    </section>
  );
};

const DetailsForm = ({ event, zone, onSaved }: { event: EventDetail; zone: string; onSaved: (e: EventDetail) => void }) => {
  const [name, setName] = useState(event.name);
  const [description, setDescription] = useState(event.description);
  const [category, setCategory] = useState(event.category as Category);
  const [performers, setPerformers] = useState(event.performers.map((p) => p.name).join(', '));
  const [startsAt, setStartsAt] = useState(utcToZoned(event.startsAt, zone));
  const [onSaleAt, setOnSaleAt] = useState(utcToZoned(event.onSaleAt, zone));
  const [prices, setPrices] = useState<Record<string, string>>(
    Object.fromEntries(event.sections.map((s) => [s.id, String(s.price / minorPerMajor(event.currency))])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async (ev: Event) => {
    ev.preventDefault();
    const e: Record<string, string> = {};
    const sectionPrices: Record<string, number> = {};
    for (const s of event.sections) {
      const p = parsePrice(prices[s.id] ?? '', event.currency);
      if (p === undefined) e[`price.${s.id}`] = 'Enter a price, such as 45 or 45.50.';
      else sectionPrices[s.id] = p;
    }
    if (!name.trim()) e.name = 'Give the event a name.';
    setErrors(e);
    if (Object.keys(e).length > 0) return setMessage({ tone: 'error', text: 'Please fix the fields marked below.' });
    setBusy(true);
    setMessage(undefined);
    try {
      const saved = await ok(
        api.PATCH('/events/{id}', {
          params: { path: { id: event.id } },
          body: {
            name: name.trim(),
            description,
            category,
            performers: performers
              .split(',')
              .map((p) => p.trim())
              .filter(Boolean),
            startsAt: zonedToUtc(startsAt, zone),
            onSaleAt: zonedToUtc(onSaleAt, zone),
            sectionPrices,
          },
        }),
      );
      onSaved(saved);
      setMessage({ tone: 'success', text: 'Saved.' });
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(fieldIssues(err.problem).map((i) => [i.field, i.message])));
      setMessage({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card console-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <Field label="Event name" error={errors.name}>
        {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="Description">{(p) => <textarea {...p} rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}</Field>
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
        <Field label="Starts at" hint={`Venue time (${zone})`} error={errors.startsAt}>
          {(p) => <input {...p} type="datetime-local" value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />}
        </Field>
        <Field label="On sale from" hint={`Venue time (${zone})`} error={errors.onSaleAt}>
          {(p) => <input {...p} type="datetime-local" value={onSaleAt} onInput={(e) => setOnSaleAt(e.currentTarget.value)} />}
        </Field>
      </div>
      <div class="price-fields">
        {event.sections.map((s) => (
          <Field label={`Price for ${s.name} (${event.currency})`} error={errors[`price.${s.id}`]}>
            {(p) => <input {...p} inputMode="decimal" value={prices[s.id] ?? ''} onInput={(e) => setPrices({ ...prices, [s.id]: e.currentTarget.value })} />}
          </Field>
        ))}
      </div>
      <p class="muted small">
        Hold time {Math.round(event.holdSeconds / 60)} minutes and ticket limit {event.maxTicketsPerUser} per buyer are fixed once the event is scheduled.
      </p>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save details'}
      </button>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </form>
  );
};

const WaitingRoomForm = ({ event, zone, onSaved }: { event: EventDetail; zone: string; onSaved: () => void }) => {
  const room = event.waitingRoom;
  const [enabled, setEnabled] = useState(room.enabled);
  const [opensAt, setOpensAt] = useState(utcToZoned(room.opensAt ?? event.onSaleAt, zone));
  const [perMinute, setPerMinute] = useState(room.admitPerMinute ?? 600);
  const [accessMinutes, setAccessMinutes] = useState(Math.round((room.accessSeconds ?? 600) / 60));
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      await ok(
        api.PUT('/events/{id}/waiting-room', {
          params: { path: { id: event.id } },
          body: { enabled, opensAt: zonedToUtc(opensAt, zone), admitPerMinute: perMinute, accessSeconds: accessMinutes * 60 },
        }),
      );
      setMessage({ tone: 'success', text: enabled ? 'The waiting room is on: buyers queue before they pick seats.' : 'The waiting room is off.' });
      onSaved();
    } catch (err) {
      setMessage({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card console-form" onSubmit={(e) => void save(e)} aria-labelledby="room-heading">
      <h2 id="room-heading">Waiting room</h2>
      <p class="muted small">For a hot on-sale: buyers join a queue (random order for everyone who joins before it opens) and are let in a set number per minute.</p>
      <div class="checkbox">
        <input id="room-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        <label for="room-enabled">Use a waiting room</label>
      </div>
      <div class="inline-fields">
        <Field label="Queue opens at" hint={`Venue time (${zone})`}>
          {(p) => <input {...p} type="datetime-local" value={opensAt} disabled={!enabled} onInput={(e) => setOpensAt(e.currentTarget.value)} />}
        </Field>
        <Field label="Buyers let in per minute">
          {(p) => <input {...p} type="number" min={1} value={perMinute} disabled={!enabled} onInput={(e) => setPerMinute(Number(e.currentTarget.value))} />}
        </Field>
        <Field label="Minutes to pick seats once let in">
          {(p) => <input {...p} type="number" min={1} max={1440} value={accessMinutes} disabled={!enabled} onInput={(e) => setAccessMinutes(Number(e.currentTarget.value))} />}
        </Field>
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save waiting room'}
      </button>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </form>
  );
};

const CancelEvent = ({ event, onCancelled }: { event: EventDetail; onCancelled: (e: EventDetail) => void }) => {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const e = await ok(
        api.POST('/events/{id}/cancel', { params: { path: { id: event.id } }, body: reason.trim() ? { reason: reason.trim() } : {} }),
      );
      dialog.current?.close();
      onCancelled(e);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card danger-zone" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel the event</h2>
      <p class="muted small">Selling stops at once and every confirmed booking is refunded. This cannot be undone.</p>
      <button type="button" class="button button-danger" onClick={() => dialog.current?.showModal()}>
        Cancel event…
      </button>
      <dialog ref={dialog} aria-labelledby="cancel-dialog-heading" class="dialog">
        <h2 id="cancel-dialog-heading">Cancel {event.name}?</h2>
        <p>Buyers are refunded and told. This cannot be undone.</p>
        <Field label="Reason (shown to buyers)">{(p) => <textarea {...p} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
        <Alert>{error}</Alert>
        <div class="actions">
          <button type="button" class="button button-danger" onClick={() => void cancel()} disabled={busy}>
            {busy ? 'Cancelling…' : 'Cancel event'}
          </button>
          <button type="button" class="button button-secondary" onClick={() => dialog.current?.close()}>
            Keep event
          </button>
        </div>
      </dialog>
    </section>
  );
};

const Manage = ({ id }: { id: string }) => {
  const [event, setEvent] = useState<EventDetail | undefined>();
  const [venue, setVenue] = useState<Venue | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = () =>
    ok(api.GET('/events/{id}', { params: { path: { id } } })).then(
      (e) => {
        setEvent(e);
        void loadVenue(e.venue.id).then(setVenue, (err: unknown) => setError(errorMessage(err)));
      },
      (err) => setError(errorMessage(err)),
    );
  useEffect(() => void load(), [id]);
  if (error && !event)
    return (
      <section class="narrow">
        <PageTitle title="Event not found">Event not found</PageTitle>
        <Alert>{error}</Alert>
      </section>
    );
  if (!event || !venue) return <Spinner label="Loading the event" />;
  const cancelled = event.status === 'cancelled';
  return (
    <>
      <div class="page-head">
        <div>
          <p class="eyebrow">
            Manage event {cancelled ? <Badge tone="bad">Cancelled</Badge> : <Badge tone="good">Scheduled</Badge>}
          </p>
          <PageTitle title={`Manage ${event.name}`}>{event.name}</PageTitle>
          <p class="muted">
            {formatWhen(event.startsAt, venue.timezone)} · {venue.name}, {venue.city}
          </p>
        </div>
        <div class="actions">
          <a class="button button-secondary" href={pathTo('event', { id })}>
            Public page
          </a>
          <a class="button" href={pathTo('checkIn', { id })}>
            Check in tickets
          </a>
        </div>
      </div>
      <ConsoleNav current="manage" />
      <div class="manage-grid">
        <SalesPanel eventId={id} />
        {cancelled ? null : <DetailsForm event={event} zone={venue.timezone} onSaved={setEvent} />}
        {cancelled ? null : <WaitingRoomForm event={event} zone={venue.timezone} onSaved={() => void load()} />}
        {cancelled ? <Alert tone="warning">This event was cancelled; its bookings were refunded.</Alert> : <CancelEvent event={event} onCancelled={setEvent} />}
      </div>
    </>
  );
};

export const ManageEvent = ({ id }: { id: string }) => (
  <OrganizerOnly>
    <Manage id={id} />
  </OrganizerOnly>
);
