import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import t, { type Test } from 'tap';
import { createAccounts } from '../../../src/api/accounts/index.js';
import { notificationsProjection, smtpMailer, startSender } from '../../../src/projections/notifications/index.js';
import { rebuildProjections, startProjector } from '../../../src/projections/projector/index.js';
import { appendEvent, cancelledEvent, caughtUp, confirmed, givenEvent, held, openEnv, refundIssued, silentLog } from '../helpers.js';

type Received = { to: string; raw: string };

/** A real SMTP server on loopback that keeps every message it accepts. */
const smtpOnLoopback = async (t: Test): Promise<{ url: string; received: Received[] }> => {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${String((server.server.address() as AddressInfo).port)}`, received };
};

/**
 * A database and event store, a real SMTP server, a buyer with an account, the notifications
 * projection under a running projector, and a sender that sends only when the test asks.
 */
const givenMail = async (
  t: Test,
  buyerAccount: { email: string; name: string },
  options: { from?: string; ticketCode?: (eventId: string, ticketId: string) => string } = {},
) => {
  const env = await openEnv(t);
  const smtp = await smtpOnLoopback(t);
  const accounts = createAccounts(env.pool);
  await accounts.setup();
  const buyer = await accounts.register({ ...buyerAccount, password: 'correct horse' });
  const projections = [notificationsProjection()];
  const projector = await startProjector({ store: env.store, pool: env.pool, projections, log: silentLog, lockRetryMs: 200 });
  t.teardown(() => projector.stop());
  const sender = startSender({
    pool: env.pool,
    mailer: smtpMailer(smtp.url, options.from ?? 'box@example.com'),
    publicUrl: 'http://marquee.test',
    ticketCode: options.ticketCode ?? (() => 'x'),
    log: silentLog,
    pollMs: 60_000,
  });
  t.teardown(() => sender.stop());
  return { env, smtp, buyer, projections, projector, sender };
};

t.test('buyers get confirmation with QR codes and cancellation mail; a resend after a crash is one, a rebuild sends nothing', async (t) => {
  const { env, smtp, buyer, projections, projector, sender } = await givenMail(
    t,
    { email: 'ada@example.com', name: 'Ada' },
    { from: 'Marquee <box@example.com>', ticketCode: (eventId, ticketId) => `code:${eventId}:${ticketId}` },
  );

  const { eventId } = await givenEvent(env.store);
  const bookingId = randomUUID();
  // The hold lapses far in the future: its warning is not yet due, and never sent once the booking is confirmed.
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  await appendEvent(env.store, eventId, [
    held(eventId, bookingId, { userId: buyer.id, seats: ['A-1-1', 'A-1-2'], expiresAt }),
    confirmed(
      eventId,
      bookingId,
      [
        { seat: 'A-1-1', sectionId: 'A' },
        { seat: 'A-1-2', sectionId: 'A' },
      ],
      buyer.id,
    ),
  ]);
  await caughtUp(projector, env.store, projections);
  t.equal(await sender.sendDue(), 1, 'only the confirmation is due');
  t.equal(smtp.received.length, 1);
  const confirmation = smtp.received[0]!;
  t.equal(confirmation.to, 'ada@example.com');
  t.match(confirmation.raw, /Subject: Your tickets for Aurora Live/);
  t.match(confirmation.raw, /Content-Type: text\/plain/);
  t.match(confirmation.raw, /Content-Type: text\/html/);
  t.equal(confirmation.raw.match(/Content-Type: image\/png/g)?.length, 2, 'one QR image per ticket');
  t.match(confirmation.raw, /Content-ID: <ticket-/);
  t.match(confirmation.raw, /cid:ticket-/);

  await appendEvent(env.store, eventId, [cancelledEvent(eventId)]);
  await caughtUp(projector, env.store, projections);
  t.equal(await sender.sendDue(), 1);
  t.match(smtp.received[1]?.raw, /Subject: Cancelled: Aurora Live/);

  // A crash after sending and before marking: the row is unmarked, so the next run sends it once more, and only once.
  await env.pool.query("UPDATE notification_outbox SET sent_at = NULL WHERE kind = 'event-cancelled'");
  t.equal(await sender.sendDue(), 1);
  t.equal(await sender.sendDue(), 0);
  t.equal(smtp.received.length, 3);

  const count = async () => (await env.pool.query<{ n: string }>('SELECT count(*) AS n FROM notification_outbox')).rows[0]?.n;
  const before = await count();
  await projector.stop();
  await rebuildProjections({ store: env.store, pool: env.pool, projections, names: 'all', log: silentLog });
  t.equal(await count(), before, 'a rebuild inserts no new outbox rows');
  t.equal(await sender.sendDue(), 0);
  t.equal(smtp.received.length, 3, 'a rebuild sends nothing again');
  const warnings = await env.pool.query("SELECT 1 FROM notification_outbox WHERE kind = 'hold-lapsing'");
  t.equal(warnings.rowCount, 0, 'a confirmed booking is never warned of a lapse');
  const pending = await env.pool.query('SELECT warn_at FROM notification_bookings WHERE booking_id = $1', [bookingId]);
  t.same(pending.rows, [{ warn_at: null }], 'nor after a rebuild');
});

t.test('a hold about to lapse unpaid gets one warning; a released one gets none', async (t) => {
  const { env, smtp, buyer, projections, projector, sender } = await givenMail(t, { email: 'bo@example.com', name: 'Bo' });
  const { eventId } = await givenEvent(env.store);
  const soon = new Date(Date.now() + 30_000).toISOString();
  const [kept, released] = [randomUUID(), randomUUID()];
  await appendEvent(env.store, eventId, [
    held(eventId, kept, { userId: buyer.id, seats: ['A-1-1'], expiresAt: soon }),
    held(eventId, released, { userId: buyer.id, seats: ['A-1-2'], expiresAt: soon }),
    {
      type: 'HoldReleased',
      data: { eventId, bookingId: released, reason: 'cancelled', seats: ['A-1-2'], standing: [], releasedAt: new Date().toISOString() },
    },
  ]);
  await caughtUp(projector, env.store, projections);
  const outbox = async () =>
    (await env.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM notification_outbox WHERE kind = 'hold-lapsing'")).rows[0]?.n;
  t.equal(await outbox(), 0, 'a warning is no outbox row before it falls due');
  t.equal(await sender.sendDue(), 1);
  t.equal(await sender.sendDue(), 0);
  t.equal(smtp.received.length, 1);
  t.match(smtp.received[0]?.raw, /Subject: Your hold for Aurora Live lapses in a minute/);
  t.match(smtp.received[0]?.raw, new RegExp(kept));
  t.equal(await outbox(), 1, 'the warning sent is on record');
  const sent = await env.pool.query<{ data: { expiresAt: string; eventName: string }; due: boolean }>(
    "SELECT data, due_at = $1::timestamptz - interval '1 minute' AS due FROM notification_outbox WHERE kind = 'hold-lapsing'",
    [soon],
  );
  t.match(sent.rows, [{ data: { expiresAt: soon, eventName: 'Aurora Live' }, due: true }], 'with the expiry, due a minute before it');

  await projector.stop();
  await rebuildProjections({ store: env.store, pool: env.pool, projections, names: 'all', log: silentLog });
  t.equal(await sender.sendDue(), 0);
  t.equal(smtp.received.length, 1, 'a rebuild warns no one twice');
});

t.test('a lapse warning found after its hold lapsed is recorded as skipped, not sent', async (t) => {
  const { env, smtp, buyer, projections, projector, sender } = await givenMail(t, { email: 'di@example.com', name: 'Di' });
  const { eventId } = await givenEvent(env.store);
  const bookingId = randomUUID();
  // The sender was down through the warning and the expiry; the sweeper has not recorded the release yet.
  const lapsed = new Date(Date.now() - 5_000).toISOString();
  await appendEvent(env.store, eventId, [held(eventId, bookingId, { userId: buyer.id, seats: ['A-1-1'], expiresAt: lapsed })]);
  await caughtUp(projector, env.store, projections);
  t.equal(await sender.sendDue(), 0);
  t.equal(smtp.received.length, 0);
  const rows = await env.pool.query<{ skipped: boolean; sent: boolean }>(
    "SELECT skipped, sent_at IS NOT NULL AS sent FROM notification_outbox WHERE kind = 'hold-lapsing' AND booking_id = $1",
    [bookingId],
  );
  t.same(rows.rows, [{ skipped: true, sent: true }]);
});

t.test('a refunded late payment and a waitlist offer each reach the buyer', async (t) => {
  const { env, smtp, buyer, projections, projector, sender } = await givenMail(t, { email: 'cy@example.com', name: 'Cy' });
  const { eventId } = await givenEvent(env.store);
  const [refunded, offered] = [randomUUID(), randomUUID()];
  const later = new Date(Date.now() + 3_600_000).toISOString();
  await appendEvent(env.store, eventId, [
    held(eventId, refunded, { userId: buyer.id, seats: ['A-1-1'], expiresAt: later }),
    {
      type: 'HoldReleased',
      data: { eventId, bookingId: refunded, reason: 'expired', seats: ['A-1-1'], standing: [], releasedAt: new Date().toISOString() },
    },
    refundIssued(eventId, refunded, 6500),
    held(eventId, offered, { userId: buyer.id, seats: ['A-1-2'], expiresAt: later }),
    {
      type: 'WaitlistOffered',
      data: {
        eventId,
        entryId: randomUUID(),
        userId: buyer.id,
        bookingId: offered,
        seats: ['A-1-2'],
        standing: [],
        offeredAt: new Date().toISOString(),
        expiresAt: later,
      },
    },
  ]);
  await caughtUp(projector, env.store, projections);
  t.equal(await sender.sendDue(), 2);
  const subjects = smtp.received.map((m) => /Subject: ([^\r\n]*)/.exec(m.raw)?.[1]);
  t.same(subjects.sort(), ['Refund for Aurora Live', 'Seats for Aurora Live are yours to book']);
  t.match(smtp.received.find((m) => m.raw.includes('Subject: Refund'))?.raw, /65\.00 GBP/);
});
