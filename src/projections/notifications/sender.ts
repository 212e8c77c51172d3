import nodemailer from 'nodemailer';
import type pg from 'pg';
import type { Log } from '../../commands/platform/index.js';
import { renderMessage, type Message, type TicketCode } from './messages.js';
import { dueWarnings, type MessageData, type MessageKind } from './outbox.js';

/** Delivers one message; without SMTP_URL the message goes to the log. */
export type Mailer = { readonly send: (to: string, message: Message) => Promise<void>; readonly close: () => void };

export const smtpMailer = (smtpUrl: string, from: string): Mailer => {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    send: async (to, m) => {
      await transport.sendMail({ from, to, subject: m.subject, text: m.text, html: m.html, attachments: [...m.attachments] });
    },
    close: () => {
      transport.close();
    },
  };
};

export const logMailer = (log: Log): Mailer => ({
  send: async (to, m) => {
    log.info({ to, subject: m.subject, text: m.text }, 'email (no SMTP_URL: logged, not sent)');
  },
  close: () => undefined,
});

type DueRow = {
  source_event_id: string;
  kind: MessageKind;
  booking_id: string;
  event_id: string;
  data: MessageData;
  email: string | null;
  phase: string | null;
};

export type Sender = { readonly kick: () => void; readonly sendDue: () => Promise<number>; readonly stop: () => Promise<void> };

/**
 * Sends due outbox rows, then marks them sent: a crash between the two resends
 * that one message once on the next start. Lapse warnings that fell due become
 * outbox rows first; one whose booking is no longer held by the time it is sent
 * is marked skipped instead.
 */
export const startSender = (deps: {
  readonly pool: pg.Pool;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly ticketCode: TicketCode;
  readonly log: Log;
  readonly pollMs?: number;
}): Sender => {
  let stopped = false;
  let running: Promise<number> | undefined;
  const mark = (r: DueRow, sql: string, params: unknown[] = []) =>
    deps.pool.query(`UPDATE notification_outbox SET ${sql} WHERE source_event_id = $1 AND kind = $2 AND booking_id = $3`, [
      r.source_event_id,
      r.kind,
      r.booking_id,
      ...params,
    ]);
  const once = async (): Promise<number> => {
    await dueWarnings(deps.pool);
    const due = await deps.pool.query<DueRow>(
      `SELECT o.source_event_id, o.kind, o.booking_id, o.event_id, o.data, u.email, b.phase
       FROM notification_outbox o LEFT JOIN users u ON u.id::text = o.user_id LEFT JOIN notification_bookings b ON b.booking_id = o.booking_id
       WHERE o.sent_at IS NULL AND o.due_at <= now() AND o.attempts < 10 ORDER BY o.due_at LIMIT 50`,
    );
    let sent = 0;
    for (const r of due.rows) {
      if (stopped) break;
      if ((r.kind === 'hold-lapsing' && r.phase !== 'held') || r.email === null) {
        await mark(r, 'sent_at = now(), skipped = true');
        continue;
      }
      try {
        const message = await renderMessage(r.kind, {
          eventId: r.event_id,
          bookingId: r.booking_id,
          data: r.data,
          bookingUrl: `${deps.publicUrl}/bookings/${r.booking_id}`,
          ticketCode: deps.ticketCode,
        });
        await deps.mailer.send(r.email, message);
        await mark(r, 'sent_at = now(), attempts = attempts + 1');
        sent++;
      } catch (err) {
        deps.log.warn({ err, kind: r.kind, bookingId: r.booking_id }, 'email not sent; will retry');
        await mark(r, 'attempts = attempts + 1, last_error = $4', [(err as Error).message]);
      }
    }
    return sent;
  };
  const sendDue = (): Promise<number> => {
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = (): void => {
    sendDue().catch((err: unknown) => {
      deps.log.warn({ err }, 'email sender failed');
    });
  };
  const timer = setInterval(tick, deps.pollMs ?? 1000);
  timer.unref();
  return {
    kick: tick,
    sendDue,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      deps.mailer.close();
    },
  };
};
