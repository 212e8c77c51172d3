import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import t from 'tap';
import { stripePaymentPort, createPayments } from '../../../src/commands/payments/index.js';
import { createTicketing } from '../../../src/commands/ticketing/index.js';
import { domainEvent, openPgEventStore } from '../../../src/commands/event-store/index.js';
import type { CliContext } from '../../../src/cli/program/index.js';
import { reconcilePaymentsCommand } from '../../../src/cli/operations/index.js';
import { run } from '../../../src/cli/operations/reconcile-payments.js';
import { loadConfig } from '../../../src/runtime/config/index.js';
import { openEventStore, openStoreAndDatabase } from '../../../src/runtime/compose/index.js';
import { freshDatabase } from '../../support/services.js';
import { core, scheduleEvent } from '../../commands/payments/helpers.js';
import { fakeStripe } from '../../commands/payments/fake-stripe.js';

const sink = () => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
};

t.test('reconciling asks Stripe about stuck checkouts: a paid session confirms, a lapsed open one expires', async (t) => {
  const stripe = await fakeStripe(t);
  const c = await core(t, {
    port: () =>
      stripePaymentPort({
        secretKey: 'sk_test_x',
        publicUrl: 'http://x',
        host: '127.0.0.1',
        port: stripe.port,
        protocol: 'http',
        maxNetworkRetries: 0,
      }),
  });
  const paid = await c.hold('r1', ['A-1-1']);
  const sp = await c.payments.checkout(c.eventId, paid, 'r1');
  const open = await c.hold('r2', ['A-1-2']);
  await c.payments.checkout(c.eventId, open, 'r2');
  stripe.complete(sp.paymentId, true);

  const first = await c.payments.reconcileBooking(c.eventId, paid);
  t.match(first, { found: 'paid', action: 'confirmed' });
  t.equal((await c.booking(paid)).phase, 'confirmed');
  t.match(
    await c.payments.reconcileBooking(c.eventId, open),
    { found: 'open', action: 'none' },
    'an open session of a live hold is left alone',
  );
  c.clock.advance(301);
  t.match(await c.payments.reconcileBooking(c.eventId, open), { found: 'expired', action: 'expired' });
  t.equal((await c.booking(open)).phase, 'expired');
  t.equal(await c.payments.reconcileBooking(c.eventId, paid), undefined, 'a booking no longer pending is skipped');
});

t.test('marquee reconcile-payments releases lapsed local checkouts and reports each booking', async (t) => {
  const databaseUrl = await freshDatabase(t);
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-reconcile-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    STRIPE_WEBHOOK_SECRET: 'whsec_reconcile_test',
    LOG_LEVEL: 'silent',
  });

  // Ten minutes ago: a hold, then a checkout that never heard back.
  const store = await openPgEventStore({ decode: domainEvent, connectionString: databaseUrl, poolMax: 2 });
  const past = new Date(Date.now() - 10 * 60_000);
  const ticketing = createTicketing({ store, now: () => past });
  const eventId = await scheduleEvent(ticketing, 300, '2020-01-01T00:00:00.000Z');
  const { localPaymentPort } = await import('../../../src/commands/payments/local.js');
  const port = localPaymentPort({
    publicUrl: 'http://x',
    webhookSecret: 'whsec_reconcile_test',
    deliver: () => async () => undefined,
    booking: async () => undefined,
    now: () => past,
  });
  const payments = createPayments({ ticketing, port, now: () => past });
  const held = await ticketing.hold(eventId, { userId: 'cli-buyer', seats: ['A-1-3'] });
  await payments.checkout(eventId, held.booking.id, 'cli-buyer');
  // Gap-free reading trails a commit while any transaction on the server is open (other test files run in parallel).
  const deadline = Date.now() + 30_000;
  while (!(await store.readAll({ maxCount: 1000 })).some((e) => e.type === 'CheckoutStarted') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await ticketing.close();
  await store.close();

  const out = sink();
  const err = sink();
  const log = pino({ level: 'silent' });
  const ctx: CliContext = {
    stdout: out.stream,
    stderr: err.stream,
    env: {},
    config: () => config,
    log: () => log,
    openEventStore: (decode) => openEventStore(config, log, decode),
    openStoreAndDatabase: (decode) => openStoreAndDatabase(config, log, decode),
  };
  t.equal(reconcilePaymentsCommand.name, 'reconcile-payments');
  await run([], ctx);
  t.match(out.text(), new RegExp(`^${eventId}\\t${held.booking.id}\\tcs_local_\\S+\\tprovider=expired\\taction=expired\\n$`));
  t.match(err.text(), /1 booking\(s\) in payment_pending with the local provider; 0 confirmed, 0 refund requested, 0 recorded, 1 expired/);

  const again = sink();
  await run([], { ...ctx, stdout: again.stream });
  t.equal(again.text(), '', 'a second run finds nothing pending');

  const help = sink();
  await run(['--help'], { ...ctx, stdout: help.stream });
  t.match(help.text(), /Usage: marquee reconcile-payments/);
  await t.rejects(run(['--nope'], ctx), { name: 'UsageError' });
});
