import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage } from '../api/problems.js';
import type { Booking, EventDetail } from '../api/types.js';
import { venue as loadVenue } from '../api/venues.js';
import { HoldPanel, placesOf } from '../components/HoldPanel.js';
import { TicketCard } from '../components/TicketCard.js';
import { Alert, Badge, PageTitle, Spinner } from '../components/ui.js';
import { formatMoney, formatWhenLong } from '../format.js';
import { here, useLocation } from '../router.js';
import { pathTo } from '../routes.js';
import { useSession } from '../session.js';

const STATUS: Record<Booking['status'], { label: string; tone: 'good' | 'warn' | 'bad' | 'neutral'; text: string }> = {
  held: { label: 'Held', tone: 'warn', text: 'Your seats are held. Pay before the time runs out to get your tickets.' },
  payment_pending: { label: 'Awaiting payment', tone: 'warn', text: 'Waiting for your payment to be confirmed…' },
  confirmed: { label: 'Confirmed', tone: 'good', text: 'Paid. Show these tickets at the door, on your phone or printed.' },
  released: { label: 'Released', tone: 'neutral', text: 'You released these seats. Nothing was charged.' },
  expired: { label: 'Expired', tone: 'neutral', text: 'The hold lapsed before payment. Nothing was charged.' },
  refunded: { label: 'Refunded', tone: 'neutral', text: 'This booking was refunded.' },
  cancelled: { label: 'Cancelled', tone: 'bad', text: 'The event was cancelled and this booking refunded.' },
};

export const BookingPage = ({ id }: { id: string }) => {
  const s = useSession();
  const { query } = useLocation();
  const [booking, setBooking] = useState<Booking | undefined>();
  const [event, setEvent] = useState<EventDetail | undefined>();
  const [zone, setZone] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const returned = query.get('checkout');

  const load = () =>
    ok(api.GET('/bookings/{id}', { params: { path: { id } } })).then(
      (b) => {
        setBooking(b);
        return b;
      },
      (err: unknown) => {
        setError(err instanceof ApiError && err.status === 404 ? 'No booking of yours has this number.' : errorMessage(err));
        return undefined;
      },
    );

  useEffect(() => {
    if (!s) return;
    void load().then((b) => {
      if (!b) return;
      ok(api.GET('/events/{id}', { params: { path: { id: b.eventId } } })).then((e) => {
        setEvent(e);
        loadVenue(e.venue.id).then((v) => setZone(v.timezone), () => undefined);
      }, () => undefined);
    });
  }, [id, s?.token]);

  // Back from paying: the webhook confirms in a moment. Look again until the booking settles.
  const settling = booking?.status === 'payment_pending' || (returned === 'done' && booking?.status === 'held');
  useEffect(() => {
    if (!settling) return;
    const t = setInterval(() => void load(), 1500);
    return () => clearInterval(t);
  }, [settling]);

  if (!s)
    return (
      <section class="narrow">
        <PageTitle title="Your booking">Your booking</PageTitle>
        <p>Sign in to see this booking and its tickets.</p>
        <a class="button" href={`${pathTo('signIn')}?next=${encodeURIComponent(here())}`}>
          Sign in
        </a>
      </section>
    );
  if (error)
    return (
      <section class="narrow">
        <PageTitle title="Booking not found">Booking not found</PageTitle>
        <Alert>{error}</Alert>
        <a href={pathTo('tickets')}>All my tickets</a>
      </section>
    );
  if (!booking) return <Spinner label="Loading your booking" />;

  const status = STATUS[booking.status];
  const names = new Map((event?.sections ?? []).map((x) => [x.id, x.name]));
  const title = booking.event?.name ?? event?.name ?? 'Your booking';
  const startsAt = booking.event?.startsAt ?? event?.startsAt;
  const when = startsAt && zone ? formatWhenLong(startsAt, zone) : undefined;
  return (
    <article class="booking-page">
      <p class="eyebrow">
        Booking <Badge tone={status.tone}>{status.label}</Badge>
      </p>
      <PageTitle title={booking.status === 'confirmed' ? `Tickets for ${title}` : title}>{title}</PageTitle>
      <dl class="facts">
        {when ? (
          <div>
            <dt>When</dt>
            <dd>
              {when.date} <span class="muted">{when.zone}</span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Where</dt>
          <dd>{booking.event?.venueName ?? event?.venue.name ?? ''}</dd>
        </div>
        <div>
          <dt>Places</dt>
          <dd>{placesOf(booking, names).join(', ')}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{formatMoney(booking.amount, booking.currency)}</dd>
        </div>
        <div>
          <dt>Reference</dt>
          <dd>
            <code>{booking.id}</code>
          </dd>
        </div>
      </dl>
      {returned === 'cancelled' && booking.status === 'held' ? <Alert tone="info">Checkout was cancelled: no payment was taken.</Alert> : null}
      <p role="status" class="status-line">
        {settling ? 'Confirming your payment…' : status.text}
      </p>
      {booking.status === 'held' && !settling ? (
        <HoldPanel
          booking={booking}
          sectionNames={names}
          onReleased={(b) => setBooking(b)}
          onExpired={() => void load()}
        />
      ) : null}
      {booking.status === 'confirmed' ? (
        <section aria-labelledby="tickets-heading">
          <div class="results-head">
            <h2 id="tickets-heading">Your tickets</h2>
            <button type="button" class="button button-secondary" onClick={() => print()}>
              Print tickets
            </button>
          </div>
          <ul class="tickets">
            {booking.tickets.map((t) => (
              <TicketCard key={t.id} ticket={t} sectionName={names.get(t.section) ?? t.section} eventName={title} />
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href={pathTo('event', { id: booking.eventId })}>Event page</a> · <a href={pathTo('tickets')}>All my tickets</a>
      </p>
    </article>
  );
};
