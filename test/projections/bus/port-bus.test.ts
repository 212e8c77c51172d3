import { MessageChannel } from 'node:worker_threads';
import t from 'tap';
import { createPortBus, isPortBusMessage, type PortBusMessage } from '../../../src/projections/bus/index.js';
import { busContract } from './contract.js';

// Within its own thread a port bus is a bus like any other.
busContract(t, async () => {
  const { port1, port2 } = new MessageChannel();
  t.teardown(() => {
    port1.close();
    port2.close();
  });
  return createPortBus(port1);
});

t.test('every message published on a port bus is posted to the other thread, as published', async (t) => {
  const { port1, port2 } = new MessageChannel();
  t.teardown(() => port1.close());
  const bus = createPortBus(port1);
  const posted: PortBusMessage[] = [];
  const arrived = new Promise<void>((resolve) => {
    port2.on('message', (m: unknown) => {
      if (isPortBusMessage(m)) posted.push(m);
      if (posted.length === 2) resolve();
    });
  });
  await bus.publish('seatmap.e1', { eventId: 'e1', version: 3, changes: { 'A-1-1': 'H' }, standing: {} });
  await bus.publish('seatmap.e2', { eventId: 'e2', version: 1, changes: {}, standing: { PIT: 9 } });
  await arrived;
  t.same(posted, [
    { type: 'bus', subject: 'seatmap.e1', message: { eventId: 'e1', version: 3, changes: { 'A-1-1': 'H' }, standing: {} } },
    { type: 'bus', subject: 'seatmap.e2', message: { eventId: 'e2', version: 1, changes: {}, standing: { PIT: 9 } } },
  ]);
  await bus.close();
});

t.test('a port bus refuses the subjects every bus refuses, and posts nothing for them', async (t) => {
  const { port1, port2 } = new MessageChannel();
  t.teardown(() => {
    port1.close();
    port2.close();
  });
  let posted = 0;
  port2.on('message', () => (posted += 1));
  const bus = createPortBus(port1);
  await t.rejects(bus.publish('seatmap.*', {}), /invalid bus subject/);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(posted, 0);
});

t.test('isPortBusMessage tells bus messages from the thread protocol', async (t) => {
  t.ok(isPortBusMessage({ type: 'bus', subject: 'seatmap.e1', message: {} }));
  t.notOk(isPortBusMessage({ type: 'lag', lag: [] }));
  t.notOk(isPortBusMessage({ type: 'bus' }));
  t.notOk(isPortBusMessage(null));
});
