import { existsSync } from 'node:fs';
import t from 'tap';
import { holdSeats, paymentsApp } from './app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist (apt-get install chromium to run this test)`;
if (skip) t.comment(`skipped: ${skip}`);

t.test('a buyer presses Pay on the pay page in headless Chromium and the booking is confirmed', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const app = await paymentsApp(t, { listen: true });
  const buyer = await app.register('Browser Buyer');
  const { organizer, eventId } = await app.onSaleEvent();
  const booking = await holdSeats(app, buyer, eventId, ['A-2-4', 'A-2-5']);
  const checkout = (await app.as(buyer.token)({ method: 'POST', url: `/bookings/${booking.id}/checkout` })).json<{
    url: string;
    paymentId: string;
  }>();
  // PUBLIC_URL names the default port; the test server listens on another.
  const payUrl = `${app.url}${new URL(checkout.url).pathname}`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(payUrl);
  t.equal(await page.title(), 'Checkout - Marquee');
  t.equal(await page.locator('#amount').textContent(), '£100.00');
  t.equal(await page.getByRole('button', { name: 'Decline' }).count(), 1);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForSelector('#status[data-status="confirmed"]', { timeout: 15_000 });
  t.equal(await page.title(), 'Payment received - Marquee');
  t.match(await page.locator('#booking-link').getAttribute('href'), new RegExp(`/booking/${booking.id}$`));

  const confirmed = (await app.as(buyer.token)({ method: 'GET', url: `/bookings/${booking.id}` })).json<{
    status: string;
    tickets: { code: string }[];
  }>();
  t.equal(confirmed.status, 'confirmed');
  t.equal(confirmed.tickets.length, 2);
  const scan = await app.as(organizer.token)({
    method: 'POST',
    url: `/events/${eventId}/check-ins`,
    payload: { code: confirmed.tickets[0]!.code },
  });
  t.equal(scan.statusCode, 200);
});
