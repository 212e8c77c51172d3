import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { LocalCheckoutOutcome, LocalSessionRef } from '../../commands/payments/index.js';
import type { Ticketing } from '../../commands/ticketing/index.js';
import { pget } from '../../domain/shared/index.js';
import { bookingStatus, type Booking, type ScheduledState } from '../../domain/ticketed-event/index.js';
import { z } from 'zod';
import { isUuid, problemSchema } from '../http/index.js';

/**
 * The local provider's pay page: the booking and the amount, and two buttons,
 * "Pay" and "Decline". A press becomes a Stripe-format event signed with the
 * webhook secret and goes through the same webhook handler as Stripe's own
 * deliveries; the page then shows what became of the booking. No card fields:
 * this stands in for Stripe's hosted page when no Stripe key is configured.
 */

export type LocalPayPort = {
  parseSession(sessionId: string): LocalSessionRef | undefined;
  press(sessionId: string, outcome: LocalCheckoutOutcome): Promise<unknown>;
};

export type PayPageOptions = {
  readonly port?: LocalPayPort;
  readonly ticketing: Ticketing;
  readonly publicUrl: string;
  readonly now?: () => Date;
};

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const formatMoney = (amount: number, currency: string): string => {
  try {
    const f = new Intl.NumberFormat('en', { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
};

/** A time as the venue's clock shows it, with the zone's name: "Saturday 5 December 2026, 20:00 GMT (Europe/London)". */
export const formatInZone = (iso: string, timeZone: string): string => {
  try {
    const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(iso));
    const zone = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value;
    return `${when}${zone ? ` ${zone}` : ''} (${timeZone})`;
  } catch {
    return `${iso} (UTC)`;
  }
};

/** The web app's page of a booking (web/src/routes.ts: /booking/:id). */
export const bookingPagePath = (bookingId: string): string => `/booking/${encodeURIComponent(bookingId)}`;

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - Marquee</title>
<style>
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f6f7fb;color:#14151f;margin:0;line-height:1.5}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #dfe1ea;border-radius:14px;box-shadow:0 4px 16px rgb(20 21 31/6%)}
h1{margin-top:0;font-size:1.8rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.25rem}dt{font-weight:650;color:#454a5e}dd{margin:0}
button{font:inherit;font-weight:650;font-size:1.05rem;min-height:48px;padding:.5rem 1.6rem;margin-right:.75rem;border-radius:10px;cursor:pointer;border:1px solid #3e2fd1}
button[value=pay]{background:#3e2fd1;color:#fff}button[value=decline]{background:#fff;color:#2b1fa3}
button:focus-visible,a:focus-visible{outline:3px solid #1b5fd9;outline-offset:3px}a{color:#2b1fa3}
#status{font-weight:650}.note{color:#5b6075;font-size:.9rem}code{font-size:.85em;word-break:break-all}</style>
</head><body><main><h1>${esc(title)}</h1>
${body}
</main></body></html>`;

const send = (reply: FastifyReply, status: number, html: string): FastifyReply =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);

const STATUS_TEXT: Record<string, string> = {
  held: 'The payment was declined. The seats stay held until the hold lapses; you may start a new checkout.',
  payment_pending: 'Waiting for payment.',
  confirmed: 'Paid. Your booking is confirmed and your tickets are issued.',
  released: 'This booking was released.',
  expired: 'The hold on these seats lapsed before payment.',
  refunded: 'This booking was refunded.',
  cancelled: 'This booking was cancelled.',
};

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const tags = ['payments'];
const sessionParams = z.object({ sessionId: z.string().describe('the checkout session id the checkout answered as paymentId') });
const pageAnswers = {
  200: html('the booking, the amount and, while the checkout is open, the Pay and Decline buttons'),
  404: html('the link is not a checkout this server knows'),
};

export const payPage =
  (opts: PayPageOptions): FastifyPluginAsync =>
  async (app) => {
    const base = opts.publicUrl.replace(/\/$/, '');
    const now = opts.now ?? (() => new Date());

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const load = async (sessionId: string): Promise<{ s: ScheduledState; b: Booking } | undefined> => {
      const ref = opts.port?.parseSession(sessionId);
      if (!ref) return undefined;
      const { state } = await opts.ticketing.eventState(ref.eventId, { refresh: true });
      if (state.status !== 'scheduled') return undefined;
      const b = pget(state.bookings, ref.bookingId);
      return b ? { s: state, b } : undefined;
    };

    const canPay = (b: Booking, sessionId: string): boolean =>
      b.phase === 'payment_pending' && b.checkout?.paymentId === sessionId && b.expiresAtMs > now().getTime();

    const summary = (s: ScheduledState, b: Booking): string => {
      const places = [...b.seats, ...b.standing.map((r) => `${r.quantity} standing in ${r.sectionId}`)].join(', ');
      return `<dl><dt>Event</dt><dd>${esc(s.event.name)}</dd><dt>When</dt><dd id="starts-at">${esc(formatInZone(s.event.startsAt, s.event.venue.timezone))}</dd>
<dt>Where</dt><dd>${esc(`${s.event.venue.name}, ${s.event.venue.city}`)}</dd>
<dt>Booking</dt><dd><code>${esc(b.id)}</code></dd><dt>Places</dt><dd>${esc(places)}</dd>
<dt>Amount</dt><dd><strong id="amount">${esc(formatMoney(b.amount, b.currency))}</strong></dd></dl>`;
    };

    const statusBlock = (b: Booking): string => {
      const status = bookingStatus(b, now().getTime());
      return `<p id="status" data-status="${esc(status)}">${esc(STATUS_TEXT[status] ?? status)}</p>
<p><a id="booking-link" href="${esc(`${base}${bookingPagePath(b.id)}`)}">View the booking</a></p>`;
    };

    const unknown = (reply: FastifyReply) =>
      send(reply, 404, page('Unknown checkout', '<p>This checkout link is not valid (or its booking is gone).</p>'));

    const pageRoute = {
      schema: { tags, summary: "The local provider's pay page (HTML)", params: sessionParams, response: pageAnswers },
    };
    app.get<{ Params: { sessionId: string } }>('/pay/:sessionId', pageRoute, async (request, reply) => {
      const found = await load(request.params.sessionId);
      if (!found) return unknown(reply);
      const { s, b } = found;
      if (!canPay(b, request.params.sessionId)) return send(reply, 200, page('Checkout', summary(s, b) + statusBlock(b)));
      return send(
        reply,
        200,
        page(
          'Checkout',
          `${summary(s, b)}
<form method="post">
<button type="submit" name="action" value="pay">Pay</button>
<button type="submit" name="action" value="decline">Decline</button>
</form>
<p class="note">Local test payments: no card is charged. The seats are held until ${esc(formatInZone(b.expiresAt, s.event.venue.timezone))}.</p>`,
        ),
      );
    });

    app.post<{ Params: { sessionId: string }; Body: Record<string, string> | undefined }>(
      '/pay/:sessionId',
      {
        schema: {
          tags,
          summary: 'Press Pay or Decline on the local pay page (an HTML form post)',
          consumes: ['application/x-www-form-urlencoded'],
          params: sessionParams,
          body: z
            .object({ action: z.string().optional().describe('pay or decline') })
            .catchall(z.string())
            .optional(),
          response: {
            ...pageAnswers,
            400: {
              description: 'neither Pay nor Decline was pressed (HTML), or the form does not match (problem)',
              content: { 'text/html': { schema: z.string() }, 'application/problem+json': { schema: problemSchema } },
            },
            409: html('the checkout is no longer open'),
            502: html('the payment could not be recorded; nothing was charged'),
          },
        },
      },
      async (request, reply) => {
        const sessionId = request.params.sessionId;
        const action = request.body?.action;
        if (action !== 'pay' && action !== 'decline') {
          return send(reply, 400, page('Checkout', '<p>Press "Pay" or "Decline".</p>'));
        }
        const found = await load(sessionId);
        if (!found || !opts.port) return unknown(reply);
        if (!canPay(found.b, sessionId)) {
          return send(
            reply,
            409,
            page('Checkout', `<p>This checkout is no longer open.</p>${summary(found.s, found.b)}${statusBlock(found.b)}`),
          );
        }
        try {
          await opts.port.press(sessionId, action === 'pay' ? 'paid' : 'declined');
        } catch (err) {
          request.log.warn({ err, sessionId }, 'the local payment could not be recorded');
          return send(reply, 502, page('Checkout', '<p>The payment could not be recorded. Nothing was charged; try again.</p>'));
        }
        const after = (await load(sessionId)) ?? found;
        return send(
          reply,
          200,
          page(action === 'pay' ? 'Payment received' : 'Payment declined', summary(after.s, after.b) + statusBlock(after.b)),
        );
      },
    );

    app.get<{ Querystring: { booking?: string; session_id?: string; cancelled?: string } }>(
      '/pay/return',
      {
        schema: {
          tags,
          summary: "Back from the provider's checkout: to the web app's booking page",
          querystring: z.object({ booking: z.string(), session_id: z.string(), cancelled: z.string() }).partial(),
          response: {
            200: html('thanks (or cancelled) with a link to the booking, when the booking id is not a UUID'),
            303: z.null().describe("to the web app's booking page, `?checkout=done` or `?checkout=cancelled`"),
          },
        },
      },
      async (request, reply) => {
        const booking = request.query.booking ?? '';
        // Back from Stripe: the web app's booking page shows the outcome as the webhook confirms it.
        if (isUuid(booking))
          return reply.redirect(
            `${base}${bookingPagePath(booking)}${request.query.cancelled ? '?checkout=cancelled' : '?checkout=done'}`,
            303,
          );
        const link = `<p><a id="booking-link" href="${esc(`${base}${bookingPagePath(booking)}`)}">View the booking</a></p>`;
        if (request.query.cancelled) return send(reply, 200, page('Checkout cancelled', `<p>No payment was taken.</p>${link}`));
        return send(
          reply,
          200,
          page('Thank you', `<p>Your payment is being confirmed; the booking shows the tickets once it is.</p>${link}`),
        );
      },
    );
  };
