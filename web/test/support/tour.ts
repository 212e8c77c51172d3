import type { Browser, Page } from 'playwright-core';
import { eventually, newPage, onSaleEvent, ORGANIZER, registerInBrowser, type Server } from './harness.js';

/** A page of the tour: its name (the screenshot's file) and the page showing it. */
export type Stop = (name: string, page: Page) => Promise<void>;

/**
 * Walks every page of the web app with real state (a buyer who holds, pays and
 * has tickets; a queue; an organizer's console), stopping at each: the
 * accessibility check and the screenshots both take this walk.
 */
export const tour = async (server: Server, browser: Browser, stop: Stop): Promise<void> => {
  const { eventId } = await onSaleEvent(server, {
    name: 'Aurora Live',
    venue: {
      name: 'Riverside Arena',
      sections: [
        { id: 'A', name: 'Block A', kind: 'seated', rows: Array.from({ length: 8 }, (_, i) => ({ label: String.fromCharCode(65 + i), seats: 18 })) },
        { id: 'B', name: 'Block B', kind: 'seated', rows: Array.from({ length: 6 }, (_, i) => ({ label: String.fromCharCode(65 + i), seats: 14 })) },
        { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 400 },
      ],
    },
    event: {
      performers: ['Aurora'],
      description: 'Aurora brings the new album to Manchester, with a full band and strings.',
      startsAt: `${new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10)}T19:30:00Z`,
      sectionPrices: { A: 6500, B: 4500, PIT: 3950 },
    },
  });
  const { eventId: roomEvent } = await onSaleEvent(server, { name: 'Stadium Presale', venue: { name: 'City Ground', city: 'Nottingham', lat: 52.94, lng: -1.13 } });
  const token = await server.organizerToken();
  await server.call('PUT', `/events/${roomEvent}/waiting-room`, { enabled: true, opensAt: new Date(Date.now() + 3_600_000).toISOString(), admitPerMinute: 100, accessSeconds: 600 }, token);
  await eventually(async () => (await server.call<{ total: number }>('GET', '/events/search?q=aurora')).body.total > 0, 'search to index the event');

  const { page, context } = await newPage(browser);
  await page.goto(server.url);
  await page.locator('.event-card').first().waitFor();
  await stop('home', page);
  await page.goto(`${server.url}/signin`);
  await stop('signin', page);
  await registerInBrowser(page, server.url, 'Ada Lovelace', `ada-${Date.now()}@example.test`);
  await page.goto(`${server.url}/register`);
  await stop('register', page);

  await page.goto(`${server.url}/?q=${encodeURIComponent('aurorra')}`);
  await page.getByRole('link', { name: 'Aurora Live' }).first().waitFor();
  await stop('search', page);

  await page.goto(`${server.url}/event/${eventId}`);
  const map = page.getByRole('region', { name: 'Seat map' });
  await map.getByRole('button', { name: /^A-C-9\b/ }).click();
  await map.getByRole('button', { name: /^A-C-10\b/ }).click();
  await stop('event', page);
  await page.getByRole('button', { name: 'Hold seats' }).click();
  await page.getByRole('timer').waitFor();
  await stop('hold', page);

  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.waitForURL('**/pay/**');
  await stop('pay', page);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('link', { name: 'View the booking' }).click();
  await eventually(async () => (await page.getByRole('img', { name: /ticket/ }).count()) === 2, 'the tickets');
  await stop('booking', page);
  await page.goto(`${server.url}/tickets`);
  await page.locator('.booking-row').first().waitFor();
  await stop('tickets', page);

  await page.goto(`${server.url}/event/${roomEvent}`);
  await page.getByRole('button', { name: 'Join the queue' }).click();
  await page.getByRole('status').filter({ hasText: /in line/ }).waitFor();
  await stop('waiting-room', page);
  await page.goto(`${server.url}/no-such-page`);
  await stop('not-found', page);
  await context.close();

  const org = await newPage(browser);
  await org.page.goto(`${server.url}/signin?next=/console`);
  await org.page.getByLabel('Email').fill(ORGANIZER.email);
  await org.page.getByLabel('Password').fill(ORGANIZER.password);
  await org.page.getByRole('button', { name: 'Sign in' }).click();
  await org.page.locator('.data-table tbody tr').first().waitFor();
  await stop('console', org.page);
  await org.page.goto(`${server.url}/console/venues/new`);
  await org.page.getByLabel('Venue name').fill('The Roundhouse');
  await stop('new-venue', org.page);
  await org.page.goto(`${server.url}/console/events/new`);
  await org.page.getByLabel('Event name').waitFor();
  await stop('new-event', org.page);
  await org.page.goto(`${server.url}/console/events/${eventId}`);
  await org.page.locator('.stats').waitFor();
  await stop('manage-event', org.page);
  await org.page.goto(`${server.url}/console/events/${eventId}/check-in`);
  await org.page.getByLabel('Ticket code').fill('not-a-ticket');
  await org.page.getByRole('button', { name: 'Check in', exact: true }).click();
  await org.page.getByText(/Not a valid ticket/).waitFor();
  await stop('check-in', org.page);
  await org.context.close();

  const phone = await newPage(browser, { width: 390, height: 844 });
  await phone.page.goto(server.url);
  await phone.page.locator('.event-card').first().waitFor();
  await stop('mobile-home', phone.page);
  await phone.page.goto(`${server.url}/event/${eventId}`);
  await phone.page.getByRole('region', { name: 'Seat map' }).getByRole('button', { name: /^A-A-1\b/ }).waitFor();
  await stop('mobile-event', phone.page);
  await phone.context.close();
};
