import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { errorMessage } from '../api/problems.js';
import type { Booking } from '../api/types.js';
import { zoneOfEvent } from '../api/venues.js';
import { placesOf } from '../components/HoldPanel.js';
import { Alert, Badge, PageTitle, Spinner } from '../components/ui.js';
import { formatMoney, formatWhen, plural } from '../format.js';
import { here } from '../router.js';
import { pathTo } from '../routes.js';
import { useSession } from '../session.js';

const PAGE_SIZE = 20;

const TONE: Record<Booking['status'], 'good' | 'warn' | 'bad' | 'neutral'> = {
  confirmed: 'good',
  held: 'warn',
  payment_pending: 'warn',
  released: 'neutral',
  expired: 'neutral',
  refunded: 'neutral',
  cancelled: 'bad',
};

const LABEL: Record<Booking['status'], string> = {
  confirmed: 'Confirmed',
  held: 'Held',
  payment_pending: 'Awaiting payment',
  released: 'Released',
  expired: 'Expired',
  refunded: 'Refunded',
  cancelled: 'Cancelled',
};

/** My tickets: every booking of the buyer, newest first, each linking to its tickets. */
export const TicketsPage = () => {
  const s = useSession();
  const [items, setItems] = useState<Booking[] | undefined>();
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | undefined>();
  const [zones, setZones] = useState<ReadonlyMap<string, string>>(new Map());

  useEffect(() => {
    if (!s) return;
    ok(api.GET('/me/bookings', { params: { query: { page, pageSize: PAGE_SIZE } } })).then(
      async (r) => {
        const found = await Promise.all([...new Set(r.items.map((b) => b.eventId))].map(async (e) => [e, await zoneOfEvent(e)] as const));
        setZones((prev) => new Map([...prev, ...found.filter((x): x is readonly [string, string] => x[1] !== undefined)]));
        setItems((prev) => (page === 1 ? [...r.items] : [...(prev ?? []), ...r.items]));
        setTotal(r.total);
      },
      (err) => setError(errorMessage(err)),
    );
  }, [s?.token, page]);

  if (!s)
    return (
      <section class="narrow">
        <PageTitle title="My tickets">My tickets</PageTitle>
        <p>Sign in to see your bookings and tickets.</p>
        <a class="button" href={`${pathTo('signIn')}?next=${encodeURIComponent(here())}`}>
          Sign in
        </a>
      </section>
    );

  return (
    <section>
      <PageTitle title="My tickets">My tickets</PageTitle>
      <Alert>{error}</Alert>
      {!items && !error ? <Spinner label="Loading your bookings" /> : null}
      {items?.length === 0 ? (
        <div class="empty">
          <p>No bookings yet.</p>
          <a class="button" href="/">
            Find events
          </a>
        </div>
      ) : null}
      {items && items.length > 0 ? (
        <ul class="booking-list">
          {items.map((b) => {
            const name = b.event?.name ?? 'Event';
            return (
              <li class="card booking-row">
                <div>
                  <h2 class="booking-row-title">
                    <a href={pathTo('booking', { id: b.id })}>{name}</a>
                  </h2>
                  <p class="muted small">
                    {b.event ? `${formatWhen(b.event.startsAt, zones.get(b.eventId) ?? 'UTC')} · ${b.event.venueName}` : ''}
                  </p>
                  <p>{placesOf(b).join(', ')}</p>
                </div>
                <div class="booking-row-side">
                  <Badge tone={TONE[b.status]}>{LABEL[b.status]}</Badge>
                  <p>{formatMoney(b.amount, b.currency)}</p>
                  {b.status === 'confirmed' ? <p class="small">{plural(b.tickets.length, 'ticket')}</p> : null}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {items && items.length < total ? (
        <button type="button" class="button button-secondary" onClick={() => setPage(page + 1)}>
          Show older bookings
        </button>
      ) : null}
    </section>
  );
};
