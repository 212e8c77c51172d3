import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { signedDelivery } from '../../../src/commands/payments/local.js';
import { testApp } from '../../support/app.js';
import type { TestApp, TestUser } from '../../support/app.js';
import { SECRET } from '../../commands/payments/helpers.js';

/** The whole API on real parts, payments wired by the composition root (local provider, webhooks signed with SECRET). */
export const paymentsApp = async (
  t: Test,
  options: { listen?: boolean } = {},
): Promise<TestApp & { deliver: (event: unknown) => Promise<LightMyRequestResponse> }> => {
  const app = await testApp(t, { ...(options.listen ? { listen: true } : {}), env: { STRIPE_WEBHOOK_SECRET: SECRET } });
  // Stopping a projector still in 'starting' hangs the app's teardown (reported to the lead): wait until each is active.
  await app.waitFor(
    async () =>
      app.runtime
        .projector()
        ?.status()
        .every((s) => s.state === 'active') ?? true,
    20_000,
    'the projections to start',
  );
  const deliver = (event: unknown) => {
    const { payload, signature } = signedDelivery(event, SECRET);
    return app.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });
  };
  return { ...app, deliver };
};

export const holdSeats = async (app: TestApp, buyer: TestUser, eventId: string, seats: string[]) => {
  const r = await app.as(buyer.token)({ method: 'POST', url: `/events/${eventId}/bookings`, payload: { seats } });
  if (r.statusCode !== 201) throw new Error(`hold failed: ${r.statusCode} ${r.body}`);
  return r.json<{ id: string; amount: number; currency: string; status: string }>();
};
