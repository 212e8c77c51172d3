import t from 'tap';
import { formatInZone } from '../../../src/api/payments/index.js';
import { holdSeats, paymentsApp } from './app.js';

t.test('the pay page shows the start in the venue’s time zone with its name and links to the web app’s booking page', async (t) => {
  const app = await paymentsApp(t);
  const buyer = await app.register('Zone Buyer');
  const { eventId } = await app.onSaleEvent({ startsAt: '2031-07-04T18:30:00Z' }, { timezone: 'America/New_York' });
  const booking = await holdSeats(app, buyer, eventId, ['A-1-1']);
  const checkout = (await app.as(buyer.token)({ method: 'POST', url: `/bookings/${booking.id}/checkout` })).json<{ url: string }>();
  const page = await app.as(undefined)({ method: 'GET', url: new URL(checkout.url).pathname });
  t.equal(page.statusCode, 200);
  t.match(page.body, /Friday, 4 July 2031 at 14:30 GMT-4 \(America\/New_York\)/, 'local time, offset and zone name');
  t.notMatch(page.body, /2031-07-04T18:30/, 'no raw UTC timestamp');
  const declined = await app.as(undefined)({
    method: 'POST',
    url: new URL(checkout.url).pathname,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'action=decline',
  });
  t.match(
    declined.body,
    new RegExp(`id="booking-link" href="[^"]*/booking/${booking.id}"`),
    'the link opens the app’s booking page, not the API',
  );
});

t.test('coming back from Stripe lands on the web app’s booking page', async (t) => {
  const app = await paymentsApp(t);
  const id = '6f1c3f1e-2b7a-4c1d-9a55-0a3e8f5b2c11';
  const done = await app.as(undefined)({ method: 'GET', url: `/pay/return?booking=${id}&session_id=cs_test_1` });
  t.equal(done.statusCode, 303);
  t.match(done.headers.location, new RegExp(`/booking/${id}\\?checkout=done$`));
  const cancelled = await app.as(undefined)({ method: 'GET', url: `/pay/return?booking=${id}&cancelled=1` });
  t.match(cancelled.headers.location, new RegExp(`/booking/${id}\\?checkout=cancelled$`));
  const odd = await app.as(undefined)({ method: 'GET', url: '/pay/return?booking=not-a-booking' });
  t.equal(odd.statusCode, 200, 'a malformed reference still gets a page');
});

t.test('a time zone the runtime does not know falls back to UTC, said so', async (t) => {
  t.equal(formatInZone('2031-01-01T12:00:00.000Z', 'Mars/Olympus'), '2031-01-01T12:00:00.000Z (UTC)');
  t.match(formatInZone('2031-01-01T12:00:00.000Z', 'Europe/London'), /12:00 GMT \(Europe\/London\)$/);
});
