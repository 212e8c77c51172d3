import { domainEvent } from '../../commands/event-store/index.js';
import { createTicketing } from '../../commands/ticketing/index.js';
import { findPendingCheckouts } from '../../commands/payments/index.js';
import type { ReconcileResult } from '../../commands/payments/index.js';
import { WEBHOOK_SECRET_NAME, webhookSecretsFrom, wirePayments } from '../../runtime/compose/index.js';
import { loadOrCreateSecret } from '../../runtime/config/index.js';
import { parseArgs, UsageError } from '../program/index.js';
import type { CliCommand, CliContext } from '../program/index.js';

const help = `Usage: marquee reconcile-payments [--event <eventId>]

For every booking stuck in payment_pending (a checkout started, no payment
recorded), asks the payment provider what became of its session and applies
it: a paid session is recorded (the booking is confirmed, or refunded when its
seats are gone), an expired one releases a lapsed hold, and an open session
whose hold lapsed is expired at the provider first. Covers webhooks that never
arrived. Safe to run at any time and repeatedly: Stripe's later deliveries of
the same payments change nothing.

Prints one line per booking looked at (event, booking, session, what the
provider said, what was done) and a summary on stderr.

Options:
  --event <id>   only this event's bookings
  -h, --help     show this help`;

export const run = async (args: readonly string[], ctx: CliContext): Promise<void> => {
  const parsed = parseArgs(args, { event: 'string' });
  if (parsed.help) {
    ctx.stdout.write(`${help}\n`);
    return;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${parsed.positionals[0]}`);
  const only = parsed.options.event;
  if (only === true) throw new UsageError('--event needs an event id');

  const config = ctx.config();
  const log = ctx.log();
  const opened = await ctx.openEventStore(domainEvent);
  const ticketing = createTicketing({ store: opened.store });
  try {
    const secrets = await webhookSecretsFrom(config.STRIPE_WEBHOOK_SECRET, () => loadOrCreateSecret(config.DATA_DIR, WEBHOOK_SECRET_NAME));
    const wiring = wirePayments({
      config,
      webhookSecrets: secrets,
      // Ticket codes are not signed here; any key of the right size will do.
      ticketCodeKey: 'reconcile-payments-does-not-sign-tickets',
      ticketing,
      store: opened.store,
      log,
    });
    const pending = (await findPendingCheckouts(opened.store, ticketing)).filter((p) => only === undefined || p.eventId === only);
    const counts: Record<ReconcileResult['action'] | 'failed', number> = {
      confirmed: 0,
      'refund-requested': 0,
      recorded: 0,
      expired: 0,
      none: 0,
      failed: 0,
    };
    for (const p of pending) {
      try {
        const r = await wiring.payments.reconcileBooking(p.eventId, p.bookingId);
        if (!r) continue;
        counts[r.action]++;
        ctx.stdout.write(`${r.eventId}\t${r.bookingId}\t${r.paymentId}\tprovider=${r.found}\taction=${r.action}\n`);
      } catch (err) {
        counts.failed++;
        ctx.stderr.write(`${p.eventId}\t${p.bookingId}\tfailed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    ctx.stderr.write(
      `reconcile-payments: ${pending.length} booking(s) in payment_pending with the ${wiring.port.provider} provider; ` +
        `${counts.confirmed} confirmed, ${counts['refund-requested']} refund requested, ${counts.recorded} recorded, ` +
        `${counts.expired} expired, ${counts.none} unchanged, ${counts.failed} failed\n`,
    );
    await wiring.close();
    if (counts.failed > 0) throw new Error(`${counts.failed} booking(s) could not be reconciled (see above); run again later`);
  } finally {
    await ticketing.close();
    await opened.close();
  }
};

export const reconcilePaymentsCommand: CliCommand = {
  name: 'reconcile-payments',
  summary: 'apply what the payment provider knows to bookings stuck in payment_pending',
  run,
};
