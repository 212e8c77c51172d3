import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ok, serverCapabilities, untyped, type Capabilities } from '../api/client.js';
import { ApiError, errorMessage } from '../api/problems.js';
import { categoryLabel, type Booking, type EventDetail, type Venue } from '../api/types.js';
import { venue as loadVenue } from '../api/venues.js';
import { HoldPanel } from '../components/HoldPanel.js';
import { Alert, Badge, Field, PageTitle, Spinner } from '../components/ui.js';
import { forgetAdmission, storedAdmission, WaitingRoom, type Admission } from '../components/WaitingRoom.js';
import { formatMoney, formatWhen, formatWhenLong, plural } from '../format.js';
import { here } from '../router.js';
import { pathTo } from '../routes.js';
import { SeatMap } from '../seatmap/SeatMap.js';
import { totalAvailable, type SeatCode } from '../seatmap/store.js';
import { useSeatMap } from '../seatmap/useSeatMap.js';
import { useSession } from '../session.js';

const holdKey = (eventId: string) => `marquee.hold.${eventId}`;

const newKey = (): string => crypto.randomUUID();

const BestAvailable = ({
  event,
  disabled,
  onHold,
}: {
  event: EventDetail;
  disabled: boolean;
  onHold: (body: { best: unknown }) => Promise<void>;
}) => {
  const seated = event.sections.filter((s) => s.kind === 'seated');
  const [quantity, setQuantity] = useState(2);
  const [sectionId, setSectionId] = useState('');
  return (
    <form
      class="best-available card"
      onSubmit={(e) => {
        e.preventDefault();
        void onHold({ best: { quantity, ...(sectionId ? { sectionId } : {}) } });
      }}
    >
      <h2>Best available</h2>
      <p class="muted small">Tell us how many; we pick the best seats together.</p>
      <div class="inline-fields">
        <Field label="Tickets">
          {(p) => (
            <input {...p} type="number" min={1} max={event.maxTicketsPerUser} value={quantity} onInput={(e) => setQuantity(Number(e.currentTarget.value) || 1)} />
          )}
        </Field>
        <Field label="Section">
          {(p) => (
            <select {...p} value={sectionId} onChange={(e) => setSectionId(e.currentTarget.value)}>
              <option value="">Any section</option>
              {seated.map((s) => (
                <option value={s.id}>
                  {s.name} ({formatMoney(s.price, event.currency)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" class="button" disabled={disabled}>
          Find seats
        </button>
      </div>
    </form>
  );
};

/** Sold out: join the waitlist (a newer server's feature, shown when its OpenAPI document has it). */
const Waitlist = ({ eventId, max, onJoined }: { eventId: string; max: number; onJoined: (message: string) => void }) => {
  const [quantity, setQuantity] = useState(Math.min(2, max));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      aria-labelledby="waitlist-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        untyped('POST', `/events/${encodeURIComponent(eventId)}/waitlist`, { quantity }).then(
          () => onJoined(`You are on the waitlist for ${plural(quantity, 'ticket')}. If seats free up we hold them for you and tell you.`),
          (err: unknown) => setError(errorMessage(err)),
        ).finally(() => setBusy(false));
      }}
    >
      <h2 id="waitlist-heading">Sold out</h2>
      <p>Join the waitlist: seats that free up go to the waitlist first, in the order people joined.</p>
      <Field label="Tickets">
        {(p) => <input {...p} type="number" min={1} max={max} value={quantity} onInput={(e) => setQuantity(Math.max(1, Math.min(max, Number(e.currentTarget.value) || 1)))} />}
      </Field>
      <button type="submit" class="button" disabled={busy}>
        Join the waitlist
      </button>
      <Alert>{error}</Alert>
    </form>
  );
};

export const EventPage = ({ id }: { id: string }) => {
  const s = useSession();
  const [event, setEvent] = useState<EventDetail | undefined>();
  const [venue, setVenue] = useState<Venue | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [standing, setStanding] = useState<Record<string, number>>({});
  const [booking, setBooking] = useState<Booking | undefined>();
  const [holdError, setHoldError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [holding, setHolding] = useState(false);
  const [admission, setAdmission] = useState<Admission | undefined>(() => storedAdmission(id));
  const [roomNote, setRoomNote] = useState<string | undefined>();
  const [caps, setCaps] = useState<Capabilities | undefined>();

  useEffect(() => {
    ok(api.GET('/events/{id}', { params: { path: { id } } })).then(
      (e) => {
        setEvent(e);
        loadVenue(e.venue.id).then(setVenue, () => undefined);
      },
      (err) => setLoadError(err instanceof ApiError && err.status === 404 ? 'This event does not exist (or the link is mistyped).' : errorMessage(err)),
    );
    void serverCapabilities().then(setCaps);
  }, [id]);

  // A hold made before a reload (or before going to pay and coming back).
  useEffect(() => {
    const held = sessionStorage.getItem(holdKey(id));
    if (!held || !s) return;
    ok(api.GET('/bookings/{id}', { params: { path: { id: held } } })).then(
      (b) => {
        if ((b.status === 'held' || b.status === 'payment_pending') && Date.parse(b.expiresAt) > Date.now()) setBooking(b);
        else sessionStorage.removeItem(holdKey(id));
      },
      () => sessionStorage.removeItem(holdKey(id)),
    );
  }, [id, s?.token]);

  const onChange = (changed: ReadonlyMap<string, SeatCode>) => {
    const gone: string[] = [];
    setSelected((prev) => {
      const next = new Set(prev);
      for (const [seat, code] of changed) if (code !== 'A' && next.delete(seat)) gone.push(seat);
      return gone.length > 0 ? next : prev;
    });
    if (gone.length > 0) setNotice(`${gone.join(', ')} ${gone.length === 1 ? 'was' : 'were'} just taken by someone else and removed from your pick.`);
  };
  const feed = useSeatMap(id, onChange);

  const zone = venue?.timezone ?? 'UTC';
  const sectionNames = useMemo(() => new Map((event?.sections ?? []).map((x) => [x.id, x.name])), [event]);
  const prices = useMemo(() => new Map((event?.sections ?? []).map((x) => [x.id, x.price])), [event]);
  const mine = useMemo(() => new Set(booking?.seats ?? []), [booking]);
  const standingCount = Object.values(standing).reduce((n, q) => n + q, 0);
  const count = selected.size + standingCount;
  const total =
    [...selected].reduce((n, seat) => n + (prices.get(seat.split('-')[0] ?? '') ?? 0), 0) +
    Object.entries(standing).reduce((n, [sec, q]) => n + (prices.get(sec) ?? 0) * q, 0);

  if (loadError)
    return (
      <section class="narrow">
        <PageTitle title="Event not found">Event not found</PageTitle>
        <Alert>{loadError}</Alert>
        <p>
          <a href="/">Find other events</a>
        </p>
      </section>
    );
  if (!event) return <Spinner label="Loading the event" />;

  const max = event.maxTicketsPerUser;
  const needsRoom = event.waitingRoom.enabled && !admission;
  const onSale = Date.parse(event.onSaleAt) <= Date.now();
  const cancelled = event.status === 'cancelled';
  const soldOut = feed.map ? totalAvailable(feed.map) === 0 : event.available === 0;

  const toggle = (seat: string) => {
    setHoldError(undefined);
    setNotice(undefined);
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(seat)) next.delete(seat);
      else if (next.size + standingCount >= max) {
        setHoldError(`You can pick up to ${plural(max, 'ticket')} for this event.`);
        return prev;
      } else next.add(seat);
      return next;
    });
  };

  type NamedHold = { seats: string[]; standing: { sectionId: string; quantity: number }[] };
  const hold = async (body: NamedHold | { best: unknown }) => {
    if (!s) return;
    setHolding(true);
    setHoldError(undefined);
    try {
      const header = { 'idempotency-key': newKey(), ...(admission ? { 'x-access-token': admission.token } : {}) };
      // Best available is a newer server's feature, not in the generated types (see serverCapabilities).
      const b =
        'best' in body
          ? await untyped<Booking>('POST', `/events/${encodeURIComponent(id)}/bookings`, body, header)
          : await ok(api.POST('/events/{id}/bookings', { params: { path: { id }, header }, body }));
      sessionStorage.setItem(holdKey(id), b.id);
      setBooking(b);
      setSelected(new Set());
      setStanding({});
    } catch (err) {
      if (err instanceof ApiError && err.type === 'waiting-room') {
        forgetAdmission(id);
        setAdmission(undefined);
        setRoomNote('Your turn in the waiting room ended before you held seats. Join the queue again.');
      } else if (err instanceof ApiError && err.type === 'seats-unavailable') {
        const gone = new Set(Array.isArray(err.problem.unavailable) ? (err.problem.unavailable as string[]) : []);
        setSelected((prev) => new Set([...prev].filter((x) => !gone.has(x))));
        // The live map may have announced the same seats while the hold was in flight: one message says it.
        setNotice(undefined);
      }
      setHoldError(errorMessage(err));
    } finally {
      setHolding(false);
    }
  };

  const holdPicked = () =>
    hold({
      seats: [...selected],
      standing: Object.entries(standing)
        .filter(([, q]) => q > 0)
        .map(([sectionId, quantity]) => ({ sectionId, quantity })),
    });

  const clearHold = (message: string) => {
    sessionStorage.removeItem(holdKey(id));
    setBooking(undefined);
    setNotice(message);
  };

  const when = formatWhenLong(event.startsAt, zone);
  const priceTable = (
      <section class="prices card" aria-labelledby="prices-heading">
        <h2 id="prices-heading">Prices</h2>
        <table class="price-table">
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Price</th>
              <th scope="col">Places</th>
            </tr>
          </thead>
          <tbody>
            {event.sections.map((x) => (
              <tr>
                <th scope="row">
                  {x.name}
                  {x.kind === 'standing' && !/standing/i.test(x.name) ? <span class="muted"> (standing)</span> : null}
                </th>
                <td>{formatMoney(x.price, event.currency)}</td>
                <td>{x.capacity.toLocaleString('en-GB')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
  );
  return (
    <article class="event-page">
      <header class="event-hero">
        <p class="eyebrow">
          {categoryLabel(event.category)}
          {cancelled ? <Badge tone="bad">Cancelled</Badge> : null}
        </p>
        <PageTitle title={event.name}>{event.name}</PageTitle>
        {event.performers.length > 0 ? (
          <p class="performers">
            {event.performers.map((p, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={pathTo('performer', { id: p.id })}>{p.name}</a>
              </>
            ))}
          </p>
        ) : null}
        <dl class="facts">
          <div>
            <dt>When</dt>
            <dd>
              {when.date}
              <span class="muted"> {venue ? when.zone : ''}</span>
            </dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd>
              {event.venue.name}, {venue ? `${venue.address}, ` : ''}
              {event.venue.city}
            </dd>
          </div>
          <div>
            <dt>Tickets</dt>
            <dd>
              Up to {plural(max, 'ticket')} per person; seats are held for {Math.round(event.holdSeconds / 60)} minutes while you pay.
            </dd>
          </div>
        </dl>
        {event.description ? <p class="description">{event.description}</p> : null}
      </header>


      {cancelled ? (
        <>
          <Alert tone="warning">This event has been cancelled. Bookings are refunded automatically.</Alert>
          {priceTable}
        </>
      ) : !onSale ? (
        <>
          <Alert tone="info">Tickets go on sale {formatWhen(event.onSaleAt, zone)}.</Alert>
          {priceTable}
        </>
      ) : needsRoom && !booking ? (
        <div class="buy-layout">
        <WaitingRoom
          eventId={id}
          opensAt={event.waitingRoom.opensAt}
          timeZone={zone}
          note={roomNote}
          onAdmitted={(a) => {
            setRoomNote(undefined);
            setAdmission(a);
          }}
        />
        <aside class="buy-side">{priceTable}</aside>
        </div>
      ) : (
        <div class="buy-layout">
          <div class="buy-map">
            {feed.error ? <Alert>{feed.error}</Alert> : null}
            {feed.map ? (
              <SeatMap
                map={feed.map}
                currency={event.currency}
                selected={selected}
                mine={mine}
                standing={standing}
                maxTickets={max}
                disabled={booking !== undefined}
                onToggle={toggle}
                onStanding={(sec, q) => {
                  setHoldError(undefined);
                  const others = count - (standing[sec] ?? 0);
                  if (others + q > max) return setHoldError(`You can pick up to ${plural(max, 'ticket')} for this event.`);
                  setStanding({ ...standing, [sec]: q });
                }}
                live={feed.live}
              />
            ) : (
              <Spinner label="Loading the seat map" />
            )}
          </div>
          <aside class="buy-side">
            {booking ? (
              <HoldPanel
                booking={booking}
                sectionNames={sectionNames}
                onReleased={() => clearHold('Your seats were released.')}
                onExpired={() => clearHold('Your hold lapsed and the seats were released. Pick seats again.')}
              />
            ) : (
              <section class="card selection" aria-labelledby="selection-heading">
                <h2 id="selection-heading">Your pick</h2>
                {count === 0 ? (
                  <p class="muted">{soldOut ? 'This event is sold out.' : 'Pick seats on the map.'}</p>
                ) : (
                  <>
                    <p>
                      {[...selected].join(', ')}
                      {standingCount > 0
                        ? `${selected.size > 0 ? ', ' : ''}${Object.entries(standing)
                            .filter(([, q]) => q > 0)
                            .map(([sec, q]) => `${q} standing (${sectionNames.get(sec) ?? sec})`)
                            .join(', ')}`
                        : ''}
                    </p>
                    <p class="total">
                      {plural(count, 'ticket')} · <strong>{formatMoney(total, event.currency)}</strong>
                    </p>
                  </>
                )}
                {s ? (
                  <button type="button" class="button button-large" disabled={count === 0 || holding} onClick={() => void holdPicked()}>
                    {holding ? 'Holding…' : 'Hold seats'}
                  </button>
                ) : (
                  <a class="button button-large" href={`${pathTo('signIn')}?next=${encodeURIComponent(here())}`}>
                    Sign in to hold seats
                  </a>
                )}
                <Alert>{holdError}</Alert>
              </section>
            )}
            {notice ? <Alert tone="info">{notice}</Alert> : null}
            {priceTable}
            {caps?.bestAvailable && !booking && s && !soldOut ? <BestAvailable event={event} disabled={holding} onHold={hold} /> : null}
            {caps?.waitlist && soldOut && s && !booking ? <Waitlist eventId={id} max={max} onJoined={setNotice} /> : null}
          </aside>
        </div>
      )}
    </article>
  );
};
