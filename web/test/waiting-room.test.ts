import t from 'tap';
import { browserSkip, eventually, launchBrowser, newPage, onSaleEvent, registerInBrowser, startServer } from './support/harness.js';

const skip = browserSkip();
if (skip) t.comment(`skipped: ${skip}`);

t.test('with the waiting room on, a buyer queues, watches their place live and is taken to the seat map when admitted', { skip }, async (t) => {
  const server = await startServer(t);
  const { eventId } = await onSaleEvent(server, { name: 'Hot On-sale' });
  const opensAt = new Date(Date.now() + 6000).toISOString();
  const room = await server.call('PUT', `/events/${eventId}/waiting-room`, { enabled: true, opensAt, admitPerMinute: 60, accessSeconds: 600 }, await server.organizerToken());
  t.equal(room.status, 200);

  const browser = await launchBrowser(t);
  const { page } = await newPage(browser);
  await registerInBrowser(page, server.url, 'Queue Buyer', 'queue@example.test');
  await page.goto(`${server.url}/event/${eventId}`);
  await page.getByRole('heading', { name: 'Waiting room' }).waitFor();
  t.equal(await page.getByRole('region', { name: 'Seat map' }).count(), 0, 'no seat map before the buyer is admitted');

  await page.getByRole('button', { name: 'Join the queue' }).click();
  const status = page.getByRole('status').filter({ hasText: /in line|your turn/ });
  await status.waitFor();
  t.match(await status.textContent(), /You are number \d+ in line\. .*Estimated wait/, 'the place reads as position, people ahead and wait');

  // Admission comes over the queue's SSE stream (signed in with ?access_token=); the page then shows the map.
  const map = page.getByRole('region', { name: 'Seat map' });
  await map.waitFor({ timeout: 60_000 });
  await map.getByRole('button', { name: /^A-1-3\b/ }).click();
  await page.getByRole('button', { name: 'Hold seats' }).click();
  await page.getByRole('timer').waitFor();
  t.pass('the admitted buyer holds a seat with the access token the page kept');

  const held = await eventually(async () => {
    const r = await server.call<{ sold: number; held: number }>('GET', `/events/${eventId}/sales`, undefined, await server.organizerToken());
    return r.body.held === 1 ? r.body : undefined;
  }, 'the hold to show in sales');
  t.equal(held.held, 1);
  t.notMatch(server.output(), /access_token=ey/, 'no session token in the server output');
});
