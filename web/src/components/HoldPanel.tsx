import { useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage } from '../api/problems.js';
import type { Booking } from '../api/types.js';
import { formatMoney } from '../format.js';
import { Alert } from './ui.js';
import { Countdown } from './Countdown.js';

export const placesOf = (b: Pick<Booking, 'seats' | 'standing'>, names: ReadonlyMap<string, string> = new Map()): string[] => [
  ...b.seats,
  ...b.standing.map((s) => `${s.quantity} standing (${names.get(s.sectionId) ?? s.sectionId})`),
];

/**
 * A held booking: what is held, the time left (role `timer`), "Checkout" to
 * the payment page (Stripe Checkout, or the local pay page), and a release.
 */
export const HoldPanel = ({
  booking,
  sectionNames,
  onReleased,
  onExpired,
}: {
  booking: Booking;
  sectionNames?: ReadonlyMap<string, string>;
  onReleased: (b: Booking) => void;
  onExpired: () => void;
}) => {
  const [busy, setBusy] = useState<'checkout' | 'release' | undefined>();
  const [error, setError] = useState<string | undefined>();

  const checkout = async () => {
    setBusy('checkout');
    setError(undefined);
    try {
      const c = await ok(api.POST('/bookings/{id}/checkout', { params: { path: { id: booking.id } } }));
      location.assign(c.url);
    } catch (err) {
      setBusy(undefined);
      setError(errorMessage(err));
      if (err instanceof ApiError && err.type === 'hold-expired') onExpired();
    }
  };

  const release = async () => {
    setBusy('release');
    setError(undefined);
    try {
      onReleased(await ok(api.DELETE('/bookings/{id}', { params: { path: { id: booking.id } } })));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(undefined);
    }
  };

  const places = placesOf(booking, sectionNames);
  return (
    <section class="hold-panel card" aria-labelledby="hold-heading">
      <h2 id="hold-heading">Your seats are held</h2>
      <p>
        {places.join(', ')} · <strong>{formatMoney(booking.amount, booking.currency)}</strong>
      </p>
      <Countdown until={booking.expiresAt} onExpire={onExpired} label="Time left to pay" />
      <div class="actions">
        <button type="button" class="button button-large" onClick={() => void checkout()} disabled={busy !== undefined}>
          {busy === 'checkout' ? 'Opening checkout…' : 'Checkout'}
        </button>
        <button type="button" class="button button-secondary" onClick={() => void release()} disabled={busy !== undefined}>
          {busy === 'release' ? 'Releasing…' : 'Release seats'}
        </button>
      </div>
      <Alert>{error}</Alert>
    </section>
  );
};
