import t from 'tap';
import { createTicketing } from '../../src/commands/ticketing/index.js';
import { connectNatsBus } from '../../src/projections/bus/index.js';
import { startProjector } from '../../src/projections/projector/index.js';
import { readModelProjections } from '../../src/runtime/compose/index.js';
import { getSeatMap, type SeatMapChange } from '../../src/projections/seat-map/index.js';
import { natsUrlOrSkip } from '../support/services.js';
import { caughtUp, LAYOUT, openEnv, recordingLog, silentLog, waitFor } from '../projections/helpers.js';
import { tcpProxy } from './tcp-proxy.js';

const natsUrl = natsUrlOrSkip(t);
if (natsUrl) {
  t.test('while NATS is unreachable commands and projections go on, and seat-map messages flow again when it returns', async (t) => {
    const target = new URL(natsUrl);
    const proxy = await tcpProxy({ host: target.hostname, port: Number(target.port || 4222) });
    t.teardown(() => proxy.stop());
    const { log, lines } = recordingLog();
    const bus = await connectNatsBus({ url: `nats://127.0.0.1:${proxy.port()}`, log, reconnectTimeWaitMs: 100, pingTimeoutMs: 500 });
    t.teardown(() => bus.close());
    const watcher = await connectNatsBus({ url: natsUrl, log: silentLog });
    t.teardown(() => watcher.close());

    const env = await openEnv(t);
    const ticketing = createTicketing({ store: env.store });
    t.teardown(() => ticketing.close());
    const projections = readModelProjections({ bus, log });
    const projector = await startProjector({ store: env.store, pool: env.pool, projections, log });
    t.teardown(() => projector.stop());
    const venue = await ticketing.registerVenue({
      registeredBy: 'org-1',
      details: {
        name: 'Hall',
        address: '1 St',
        city: 'York',
        country: 'GB',
        location: { lat: 53.96, lng: -1.08 },
        timezone: 'Europe/London',
      },
      layout: LAYOUT,
    });
    const { eventId } = await ticketing.scheduleEvent({
      venueId: venue.venueId,
      organizerId: 'org-1',
      name: 'Outage Night',
      description: '',
      category: 'music',
      performers: [],
      startsAt: '2027-06-01T19:00:00.000Z',
      onSaleAt: '2026-01-01T00:00:00.000Z',
      currency: 'GBP',
      sectionPrices: { A: 1000, PIT: 500 },
    });
    const seen: SeatMapChange[] = [];
    watcher.subscribe(`seatmap.${eventId}`, (m) => seen.push(m as SeatMapChange));
    const changed = (seat: string) => async () => seen.some((m) => m.changes[seat] === 'H');
    await new Promise((r) => setTimeout(r, 200));

    await ticketing.hold(eventId, { userId: 'u1', seats: ['A-1-1'] });
    await waitFor('the first seat-map message', changed('A-1-1'));

    await proxy.stop();
    await waitFor('the bus to notice', async () =>
      bus.ping().then(
        () => false,
        () => true,
      ),
    );
    const during = await ticketing.hold(eventId, { userId: 'u2', seats: ['A-1-2'] });
    t.equal(during.booking.status, 'held', 'a command succeeds while NATS is down');
    await caughtUp(projector, env.store, projections);
    const a = (await getSeatMap(env.pool, eventId))?.sections.find((s) => s.id === 'A');
    t.equal(a?.kind === 'seated' ? a.rows[0]?.seats : undefined, 'HHAA', 'the read model is still projected');
    t.ok(
      projector.status().every((s) => s.state === 'active' && s.deadLetters === 0),
      'no projection failed',
    );
    await new Promise((r) => setTimeout(r, 300));
    t.notOk(
      seen.some((m) => m.changes['A-1-2']),
      'nothing reached subscribers during the outage',
    );

    await proxy.start();
    await waitFor('the message kept during the outage', changed('A-1-2'));
    await ticketing.hold(eventId, { userId: 'u3', seats: ['A-1-3'] });
    await waitFor('a message after NATS returned', changed('A-1-3'));
    t.ok(
      lines.some((l) => /NATS connection lost/.test(l.msg)),
      'the outage is logged',
    );
    t.ok(
      lines.some((l) => /NATS connection restored/.test(l.msg)),
      'and the recovery',
    );
    const versions = seen.map((m) => m.version);
    t.same(
      versions,
      [...versions].sort((x, y) => x - y),
      'messages arrive in version order',
    );
  });
}
