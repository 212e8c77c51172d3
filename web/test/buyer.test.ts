import t from 'tap';
import { browserSkip, eventually, launchBrowser, newPage, onSaleEvent, registerInBrowser, startServer } from './support/harness.js';

const skip = browserSkip();
if (skip) t.comment(`skipped: ${skip}`);

t.test('a buyer finds an event with a typo, holds two seats, pays and gets two tickets while another browser sees the seats go', { skip }, async (t) => {
  const server = await startServer(t);
  const { eventId } = await onSaleEvent(server, { name: 'Aurora Live', event: { performers: ['Aurora'] } });
  await eventually(async () => {
    const r = await server.call<{ total: number }>('GET', '/events/search?q=aurora');
    return r.body.total > 0;
  }, 'the search index to have the event');

  const browser = await launchBrowser(t);
  const { page } = await newPage(browser);
  await registerInBrowser(page, server.url, 'Ada Buyer', 'ada@example.test');
  t.equal(await page.getByRole('link', { name: 'My tickets' }).count(), 1, 'a signed-in buyer sees My tickets');

  await page.goto(server.url);
  await page.getByRole('searchbox', { name: 'Search events' }).fill('aurorra liev');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: 'Aurora Live' }).click();
  await page.waitForURL(`**/event/${eventId}`);

  const map = page.getByRole('region', { name: 'Seat map' });
  await map.waitFor();
  t.match(await page.locator('.facts').textContent(), /Europe\/London/, 'the start time names the venue time zone');

  // A second buyer watches the same map, not signed in.
  const other = await newPage(browser);
  await other.page.goto(`${server.url}/event/${eventId}`);
  const theirSeat = other.page.getByRole('region', { name: 'Seat map' }).getByRole('button', { name: /^A-1-7\b/ });
  await theirSeat.waitFor();
  t.equal(await theirSeat.isDisabled(), false, 'the seat is free for the second browser at first');

  await map.getByRole('button', { name: /^A-1-7\b/ }).click();
  await map.getByRole('button', { name: /^A-1-8\b/ }).click();
  t.equal(await map.getByRole('button', { name: /^A-1-7\b/ }).getAttribute('aria-pressed'), 'true', 'a picked seat is pressed');
  await page.getByRole('button', { name: 'Hold seats' }).click();

  const timer = page.getByRole('timer');
  await timer.waitFor();
  t.match(await timer.textContent(), /^[45]:\d\d$/, 'the countdown shows the time left on the hold');
  await eventually(async () => /^4:\d\d$/.test((await timer.textContent()) ?? ''), 'the countdown to tick');

  await eventually(async () => theirSeat.isDisabled(), 'the second browser to see A-1-7 taken');
  t.equal(await other.page.getByRole('button', { name: /^A-1-8\b/ }).isDisabled(), true, 'and A-1-8 too, without a reload');
  t.match(await theirSeat.getAttribute('aria-label'), /taken/);

  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.waitForURL('**/pay/**');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('link', { name: 'View the booking' }).click();
  await page.waitForURL('**/booking/**');

  const qr = page.getByRole('img', { name: /ticket/ });
  await eventually(async () => (await qr.count()) === 2, 'two tickets with QR codes');
  const codes = await page.locator('.ticket-code code').allTextContents();
  t.equal(codes.length, 2, 'each ticket shows its code');
  t.not(codes[0], codes[1], 'codes differ');
  t.match(await page.getByRole('status').first().textContent(), /Paid/);

  await page.getByRole('link', { name: 'My tickets', exact: true }).click();
  await page.getByRole('link', { name: 'Aurora Live' }).waitFor();
  t.match(await page.locator('.booking-row').first().textContent(), /A-1-7, A-1-8/);
});

t.test('problems read as sentences next to what caused them', { skip }, async (t) => {
  const server = await startServer(t);
  const { eventId } = await onSaleEvent(server, { name: 'Limit Night', event: { maxTicketsPerUser: 2 } });
  const browser = await launchBrowser(t);
  const { page } = await newPage(browser);

  await page.goto(`${server.url}/signin`);
  await page.getByLabel('Email').fill('nobody@example.test');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  t.match(await page.getByRole('alert').textContent(), /email or password is wrong/, 'a failed sign-in says why');

  await registerInBrowser(page, server.url, 'Bo Buyer', 'bo@example.test');
  await page.goto(`${server.url}/register`);
  await page.getByLabel('Name').fill('Bo Again');
  await page.getByLabel('Email').fill('bo@example.test');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  t.match(await page.locator('.field-error').textContent(), /at least 8 characters/, 'a short password is flagged at its field');

  await page.goto(`${server.url}/event/${eventId}`);
  const map = page.getByRole('region', { name: 'Seat map' });
  for (const seat of ['A-2-1', 'A-2-2', 'A-2-3']) await map.getByRole('button', { name: new RegExp(`^${seat}\\b`) }).click();
  t.match(await page.getByRole('alert').textContent(), /up to 2 tickets/, 'the ticket limit is told before any request');

  // Someone else takes A-2-1 between the pick and the hold.
  const rival = await server.call<{ token: string }>('POST', '/auth/register', { name: 'Rival', email: 'rival@example.test', password: 'rival-password' });
  const taken = await server.call('POST', `/events/${eventId}/bookings`, { seats: ['A-2-1'] }, rival.body.token);
  t.equal(taken.status, 201);
  await page.getByRole('button', { name: 'Hold seats' }).click();
  // Whichever comes first, the live map or the hold's 409, the buyer is told which seat went.
  const told = page.locator('.buy-side .alert').filter({ hasText: /A-2-1 (was|were) just taken by someone else/ });
  await told.waitFor();
  t.equal(await told.count(), 1, 'the taken seat is named next to the hold button');
});
