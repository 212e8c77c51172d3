import t from 'tap';
import { browserSkip, eventually, launchBrowser, newPage, ORGANIZER, startServer } from './support/harness.js';

const skip = browserSkip();
if (skip) t.comment(`skipped: ${skip}`);

type Booking = { id: string; status: string; tickets: { code: string; seat?: string }[] };

t.test('an organizer creates a venue and an event from the console, watches sales live and checks a ticket in', { skip }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const { page } = await newPage(browser);

  await page.goto(`${server.url}/signin?next=/console`);
  await page.getByLabel('Email').fill(ORGANIZER.email);
  await page.getByLabel('Password').fill(ORGANIZER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Organizer console' }).waitFor();

  await page.getByRole('link', { name: 'New venue' }).first().click();
  await page.getByLabel('Venue name').fill('Console Hall');
  await page.getByLabel('Address').fill('5 Deansgate');
  await page.getByLabel('City').fill('Manchester');
  await page.getByLabel('Latitude').fill('53.4808');
  await page.getByLabel('Longitude').fill('-2.2426');
  await page.getByLabel('Time zone').selectOption('Europe/London');
  await page.getByLabel('Section id').fill('STALLS');
  await page.getByLabel('Section name').fill('Stalls');
  await page.getByLabel('Rows', { exact: true }).fill('3');
  await page.getByLabel('Seats per row').fill('8');
  await page.getByRole('button', { name: 'Add a standing section' }).click();
  t.match(await page.locator('.console-form').textContent(), /524 places/, 'the editor adds up the capacity');
  await page.getByRole('button', { name: 'Create venue' }).click();

  await page.getByRole('heading', { name: 'New event' }).waitFor();
  t.equal(await page.getByLabel('Venue').inputValue() !== '', true, 'the new venue is chosen');
  await page.getByLabel('Event name').fill('Console Premiere');
  await page.getByLabel('Category').selectOption('theatre');
  await page.getByLabel('Starts at').fill('2031-06-05T19:30');
  await page.getByLabel('Hold time (minutes)').fill('10');
  await page.getByLabel('Ticket limit per buyer').fill('4');
  await page.getByLabel('Price for Stalls (GBP)').fill('42.50');
  await page.getByRole('button', { name: 'Create event' }).click();
  t.match(await page.getByRole('alert').first().textContent(), /fix the fields/, 'a missing price is caught');
  t.match(await page.locator('.field-invalid').textContent(), /Price for Standing/, 'next to the missing price');
  await page.getByLabel('Price for Standing (GBP)').fill('30');
  await page.getByRole('button', { name: 'Create event' }).click();

  await page.getByRole('heading', { name: 'Console Premiere' }).waitFor();
  const eventId = page.url().split('/').pop()!;
  const event = await server.call<{ startsAt: string; holdSeconds: number; maxTicketsPerUser: number; sections: { id: string; price: number }[] }>('GET', `/events/${eventId}`);
  t.equal(event.body.startsAt, '2031-06-05T18:30:00.000Z', 'the start time was entered in the venue’s time zone (BST)');
  t.equal(event.body.holdSeconds, 600);
  t.equal(event.body.maxTicketsPerUser, 4);
  t.same(event.body.sections.map((s) => s.price), [4250, 3000]);

  const sold = page.locator('.stats div').filter({ hasText: 'Held now' }).locator('dd');
  await eventually(async () => (await sold.textContent()) === '0', 'sales to load');

  // A buyer holds and pays through the API; the console's figures follow without a reload.
  const buyer = await server.call<{ token: string }>('POST', '/auth/register', { name: 'Door Buyer', email: 'door@example.test', password: 'door-password' });
  const hold = await server.call<Booking>('POST', `/events/${eventId}/bookings`, { seats: ['STALLS-A-1', 'STALLS-A-2'] }, buyer.body.token);
  t.equal(hold.status, 201);
  await eventually(async () => (await sold.textContent()) === '2', 'the console to show the hold live');
  const checkout = await server.call<{ url: string }>('POST', `/bookings/${hold.body.id}/checkout`, undefined, buyer.body.token);
  const paid = await fetch(checkout.body.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pay' });
  t.equal(paid.status, 200);
  const revenue = page.locator('.stats div').filter({ hasText: 'Revenue' }).locator('dd');
  await eventually(async () => (await revenue.textContent()) === '£85.00', 'revenue to follow the payment');

  const booking = await eventually(async () => {
    const r = await server.call<Booking>('GET', `/bookings/${hold.body.id}`, undefined, buyer.body.token);
    return r.body.status === 'confirmed' ? r.body : undefined;
  }, 'the booking to be confirmed');

  await page.getByRole('link', { name: 'Check in tickets' }).click();
  await page.getByLabel('Ticket code').fill(booking.tickets[0]!.code);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await page.getByText(/Checked in: seat STALLS-A-/).waitFor();
  await page.getByLabel('Ticket code').fill(booking.tickets[0]!.code);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await page.getByText(/Already checked in/).waitFor();
  await page.getByLabel('Ticket code').fill('not-a-ticket');
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await page.getByText(/Not a valid ticket/).waitFor();
  t.pass('typed codes check in once, then say already checked in, and forged codes are refused');

  await page.getByRole('link', { name: 'Back to the event' }).click();
  await page.getByLabel('Use a waiting room').check();
  await page.getByLabel('Buyers let in per minute').fill('120');
  await page.getByRole('button', { name: 'Save waiting room' }).click();
  await page.getByText('The waiting room is on').waitFor();
  // GET /events/:id reads the catalogue, which trails a write by a moment.
  const room = await eventually(async () => {
    const r = await server.call<{ waitingRoom: { enabled: boolean; admitPerMinute?: number } }>('GET', `/events/${eventId}`);
    return r.body.waitingRoom.enabled ? r.body.waitingRoom : undefined;
  }, 'the waiting room to be on');
  t.equal(room.admitPerMinute, 120);

  await page.getByRole('button', { name: 'Cancel event…' }).click();
  await page.getByRole('dialog').getByLabel('Reason (shown to buyers)').fill('The lead is unwell');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel event' }).click();
  await page.getByText('This event was cancelled').waitFor();
  await eventually(async () => (await server.call<{ status: string }>('GET', `/events/${eventId}`)).body.status === 'cancelled', 'the event to read as cancelled');
  t.pass('the event is cancelled');

  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('link', { name: 'Console Premiere' }).waitFor();
  t.match(await page.locator('.venue-list').textContent(), /Console Hall/, 'the overview lists the organizer’s venue');
});
