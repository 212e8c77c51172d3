import QRCode from 'qrcode';
import type { MessageData, MessageKind } from './outbox.js';

export type Message = {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly {
    readonly filename: string;
    readonly content: Buffer;
    readonly cid: string;
    readonly contentType: string;
  }[];
};

/** Signs a ticket's scannable code (the same code GET /bookings/:id shows). */
export type TicketCode = (eventId: string, ticketId: string, place?: string) => string;

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const money = (amount: number, currency: string): string => `${(amount / 100).toFixed(2)} ${currency}`;

const when = (d: MessageData): string => (d.startsAt ? `${d.startsAt.replace('T', ' ').slice(0, 16)} UTC` : '');

const page = (lines: readonly string[], extraHtml = ''): { text: string; html: string } => ({
  text: lines.join('\n'),
  html: `<!doctype html><html><body>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}${extraHtml}</body></html>`,
});

/** The subject and bodies of one outbox row; `bookingUrl` is where the buyer sees the booking. */
export const renderMessage = async (
  kind: MessageKind,
  m: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly data: MessageData;
    readonly bookingUrl: string;
    readonly ticketCode: TicketCode;
  },
): Promise<Message> => {
  const d = m.data;
  const about = `${d.eventName}, ${d.venueName}, ${when(d)}`;
  switch (kind) {
    case 'booking-confirmed': {
      const tickets = d.tickets ?? [];
      const attachments = await Promise.all(
        tickets.map(async (t, i) => ({
          filename: `ticket-${String(i + 1)}.png`,
          cid: `ticket-${t.ticketId}@marquee`,
          contentType: 'image/png',
          content: await QRCode.toBuffer(m.ticketCode(m.eventId, t.ticketId, t.seat ?? t.sectionId), {
            type: 'png',
            margin: 1,
            width: 240,
          }),
        })),
      );
      const place = (t: (typeof tickets)[number]): string => (t.seat ? `seat ${t.seat}` : `standing, ${t.sectionId}`);
      const lines = [
        `Your booking for ${about} is confirmed.`,
        ...tickets.map((t, i) => `Ticket ${String(i + 1)}: ${place(t)} (${t.ticketId})`),
        `Show the QR codes at the door. Your booking: ${m.bookingUrl}`,
      ];
      const qrs = tickets
        .map(
          (t, i) => `<p>${escape(place(t))}<br><img src="cid:${attachments[i]?.cid ?? ''}" alt="QR code of ticket ${String(i + 1)}"></p>`,
        )
        .join('');
      return { subject: `Your tickets for ${d.eventName}`, ...page(lines, qrs), attachments };
    }
    case 'hold-lapsing':
      return {
        subject: `Your hold for ${d.eventName} lapses in a minute`,
        ...page([`The seats you hold for ${about} are released at ${d.expiresAt ?? ''} unless you pay.`, `Pay now: ${m.bookingUrl}`]),
        attachments: [],
      };
    case 'refund-issued':
      return {
        subject: `Refund for ${d.eventName}`,
        ...page([
          `Your payment of ${money(d.amount ?? 0, d.currency ?? '')} for ${about} has been refunded; the booking was not confirmed.`,
          `Booking: ${m.bookingUrl}`,
        ]),
        attachments: [],
      };
    case 'event-cancelled':
      return {
        subject: `Cancelled: ${d.eventName}`,
        ...page([`${about} has been cancelled${d.reason ? `: ${d.reason}` : ''}.`, `Any payment is refunded. Booking: ${m.bookingUrl}`]),
        attachments: [],
      };
    case 'waitlist-offer':
      return {
        subject: `Seats for ${d.eventName} are yours to book`,
        ...page([`Seats came free for ${about} and are held for you until ${d.expiresAt ?? ''}.`, `Pay to keep them: ${m.bookingUrl}`]),
        attachments: [],
      };
    default: {
      const _: never = kind;
      return _;
    }
  }
};
