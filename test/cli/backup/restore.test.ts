import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SECRET } from '../../commands/payments/helpers.js';
import { testApp } from '../../support/app.js';
import { freshDatabase } from '../../support/services.js';
import { cliEnv, runInProcess } from '../helpers.js';

type Booking = { id: string; status: string; tickets: { id: string; code?: string }[] };

// Both services share JWT_SECRET, as a restore must: ticket codes are signed with a key derived from it.
const env = { JWT_SECRET: `restore-secret-${randomUUID()}`, STRIPE_WEBHOOK_SECRET: SECRET };

t.test(
  'after export, import into an empty database and start, an old buyer signs in, sees the same bookings and a ticket checks in',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'marquee-restore-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const backup = join(dir, 'backup.ndjson');

    const before = await testApp(t, { env });
    const { organizer, eventId } = await before.onSaleEvent();
    const email = `old-buyer-${randomUUID()}@example.com`;
    const registered = await before.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email, password: 'the old password 1', name: 'Old Buyer' },
    });
    t.equal(registered.statusCode, 201);
    const buyer = before.as(registered.json<{ token: string }>().token);
    const held = await buyer({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats: ['A-1-1', 'A-1-2'] } });
    t.equal(held.statusCode, 201);
    const bookingId = held.json<Booking>().id;
    const checkout = await buyer({ method: 'POST', url: `/bookings/${bookingId}/checkout` });
    t.equal(checkout.statusCode, 200);
    const paid = await before.app.inject({
      method: 'POST',
      url: `/pay/${checkout.json<{ paymentId: string }>().paymentId}`,
      payload: 'action=pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    t.equal(paid.statusCode, 200);
    await before.settle();
    const listBefore = (await buyer({ method: 'GET', url: '/me/bookings' })).json<{ items: Booking[]; total: number }>();
    t.equal(listBefore.items[0]?.status, 'confirmed');
    const ticket = listBefore.items[0]?.tickets[0];
    t.match(ticket?.code, /^mq1\./);

    const exported = await runInProcess(['export', '--out', backup], cliEnv(before.runtime.config.DATABASE_URL ?? ''));
    t.equal(exported.code, 0, exported.stderr);
    t.match(exported.stderr, /^exported [2-9]\d* accounts and \d+ events/);
    const text = await readFile(backup, 'utf8');
    t.notMatch(text, /the old password 1/, 'no plain password in the backup');
    t.match(text, /"passwordHash":"scrypt\$/);

    const target = await freshDatabase(t);
    const imported = await runInProcess(['import', backup], cliEnv(target));
    t.equal(imported.code, 0, imported.stderr);
    const again = await runInProcess(['import', backup], cliEnv(target));
    t.equal(again.code, 1, 'a second import into the now non-empty service is refused');

    const after = await testApp(t, { env: { ...env, DATABASE_URL: target } });
    await after.settle();
    const login = await after.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'the old password 1' } });
    t.equal(login.statusCode, 200, 'the old buyer signs in with the old password');
    const restoredBuyer = after.as(login.json<{ token: string }>().token);
    const listAfter = await after.waitFor(async () => {
      const r = (await restoredBuyer({ method: 'GET', url: '/me/bookings' })).json<{ items: Booking[]; total: number }>();
      return r.total === listBefore.total ? r : undefined;
    });
    t.same(
      listAfter.items.map((b) => [b.id, b.status, b.tickets.map((x) => [x.id, x.code])]),
      listBefore.items.map((b) => [b.id, b.status, b.tickets.map((x) => [x.id, x.code])]),
      'the same bookings, tickets and codes',
    );
    const scan = await after.as(after.app.signToken({ id: organizer.user.id, email: organizer.user.email, role: 'organizer' }))({
      method: 'POST',
      url: `/events/${eventId}/check-ins`,
      payload: { code: ticket?.code },
    });
    t.equal(scan.statusCode, 200, scan.body);
    t.match(scan.json(), { ticketId: ticket?.id, bookingId });
  },
);
