import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';

/**
 * A local HTTP server standing in for Stripe's API (the client's host, port
 * and protocol settings point at it): it records every request as sent and
 * answers like Stripe for the few endpoints Marquee uses, including
 * idempotency-key replays.
 */

export type SeenRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The form-encoded body, decoded: `line_items[0][quantity]` -> "2". */
  readonly form: Readonly<Record<string, string>>;
};

type Session = Record<string, unknown> & { id: string; status: string; payment_status: string };

export type FakeStripe = {
  readonly port: number;
  readonly requests: SeenRequest[];
  readonly sessions: Map<string, Session>;
  /** What the buyer did at Stripe's page. */
  complete(sessionId: string, paid: boolean): void;
};

export const fakeStripe = async (t: Test): Promise<FakeStripe> => {
  const requests: SeenRequest[] = [];
  const sessions = new Map<string, Session>();
  const replies = new Map<string, { status: number; body: unknown; form: string }>();
  let n = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, form });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++n}`, ...headers });
        res.end(JSON.stringify(body));
      };
      const key = req.headers['idempotency-key'];
      const idem = typeof key === 'string' && !key.startsWith('stripe-node-retry-') ? `${req.method} ${url.pathname} ${key}` : undefined;
      if (idem && replies.has(idem)) {
        const r = replies.get(idem)!;
        if (r.form !== JSON.stringify(form)) {
          send(400, {
            error: {
              type: 'idempotency_error',
              message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          });
          return;
        }
        send(r.status, r.body, { 'idempotent-replayed': 'true' });
        return;
      }
      const reply = (status: number, body: unknown) => {
        if (idem) replies.set(idem, { status, body: structuredClone(body), form: JSON.stringify(form) });
        send(status, body);
      };
      const invalid = (message: string) => reply(400, { error: { type: 'invalid_request_error', message } });

      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        const id = `cs_test_${++n}`;
        let total = 0;
        for (let i = 0; form[`line_items[${i}][quantity]`] !== undefined; i++) {
          total += Number(form[`line_items[${i}][quantity]`]) * Number(form[`line_items[${i}][price_data][unit_amount]`]);
        }
        const session: Session = {
          id,
          object: 'checkout.session',
          status: 'open',
          payment_status: 'unpaid',
          mode: form.mode,
          url: `https://checkout.stripe.test/c/pay/${id}`,
          expires_at: Number(form.expires_at),
          amount_total: total,
          currency: form['line_items[0][price_data][currency]'],
          client_reference_id: form.client_reference_id,
          metadata: { bookingId: form['metadata[bookingId]'], eventId: form['metadata[eventId]'] },
          payment_intent: null,
          livemode: false,
        };
        sessions.set(id, session);
        reply(200, session);
        return;
      }
      const m = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(url.pathname);
      if (m) {
        const s = sessions.get(m[1]!);
        if (!s) {
          reply(404, { error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
          return;
        }
        if (req.method === 'GET') {
          send(200, s);
          return;
        }
        if (s.status !== 'open') {
          invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This session has status ${s.status}.`);
          return;
        }
        s.status = 'expired';
        reply(200, s);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v1/checkout/sessions') {
        const pi = url.searchParams.get('payment_intent');
        const data = [...sessions.values()].filter((s) => s.payment_intent === pi);
        send(200, { object: 'list', data, has_more: false, url: '/v1/checkout/sessions' });
        return;
      }
      if (req.method === 'POST' && url.pathname === '/v1/refunds') {
        reply(200, {
          id: `re_test_${++n}`,
          object: 'refund',
          amount: Number(form.amount),
          currency: 'gbp',
          payment_intent: form.payment_intent,
          status: 'succeeded',
          metadata: Object.fromEntries(
            Object.entries(form)
              .filter(([k]) => k.startsWith('metadata['))
              .map(([k, v]) => [k.slice(9, -1), v]),
          ),
        });
        return;
      }
      reply(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname})` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    sessions,
    complete(sessionId, paid) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      s.status = 'complete';
      s.payment_status = paid ? 'paid' : 'unpaid';
      s.payment_intent = `pi_for_${sessionId}`;
    },
  };
};
