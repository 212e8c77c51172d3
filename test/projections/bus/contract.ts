import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { Bus } from '../../../src/projections/bus/index.js';

type Received = { message: unknown; subject: string };

/** Collects what a subscription receives; `until(n)` waits for n messages (or fails after a generous timeout). */
export const collect = (bus: Bus, pattern: string) => {
  const received: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const unsubscribe = bus.subscribe(pattern, (message, subject) => {
    received.push({ message, subject });
    for (const w of waiters.filter((x) => received.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const until = (n: number, timeoutMs = 10_000): Promise<Received[]> =>
    new Promise((resolve, reject) => {
      if (received.length >= n) {
        resolve(received);
        return;
      }
      const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${n} messages on ${pattern}`)), timeoutMs);
      waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve(received);
        },
      });
    });
  return { received, until, unsubscribe };
};

export const settle = (ms = 200): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The behaviour every Bus adapter shares. `open` gives a fresh bus; the suite closes it. */
export const busContract = (t: Test, open: () => Promise<Bus>): void => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const fresh = async (tt: Test): Promise<Bus> => {
    const bus = await open();
    tt.teardown(() => bus.close());
    return bus;
  };

  t.test('a subscriber receives a published message as a JSON copy with its subject', async (t) => {
    const bus = await fresh(t);
    const sub = collect(bus, `${prefix}.seatmap.e1`);
    const message = { eventId: 'e1', version: 3, changes: { 'A-1-1': 'H' }, standing: { PIT: 10 } };
    await bus.publish(`${prefix}.seatmap.e1`, message);
    const [got] = await sub.until(1);
    t.same(got, { message, subject: `${prefix}.seatmap.e1` });
    t.not(got?.message, message, 'not the same object');
  });

  t.test('a * wildcard matches exactly one token', async (t) => {
    const bus = await fresh(t);
    const sub = collect(bus, `${prefix}.seatmap.*`);
    await bus.publish(`${prefix}.seatmap.e1.extra`, { n: 0 });
    await bus.publish(`${prefix}.other.e1`, { n: 0 });
    await bus.publish(`${prefix}.seatmap.e1`, { n: 1 });
    await bus.publish(`${prefix}.seatmap.e2`, { n: 2 });
    const got = await sub.until(2);
    await settle();
    t.same(
      got.map((r) => r.subject),
      [`${prefix}.seatmap.e1`, `${prefix}.seatmap.e2`],
    );
  });

  t.test('a > wildcard matches the rest of the subject', async (t) => {
    const bus = await fresh(t);
    const sub = collect(bus, `${prefix}.a.>`);
    await bus.publish(`${prefix}.a`, { n: 0 });
    await bus.publish(`${prefix}.a.b`, { n: 1 });
    await bus.publish(`${prefix}.a.b.c`, { n: 2 });
    const got = await sub.until(2);
    await settle();
    t.same(
      got.map((r) => r.message),
      [{ n: 1 }, { n: 2 }],
    );
  });

  t.test('messages from one publisher arrive in order', async (t) => {
    const bus = await fresh(t);
    const sub = collect(bus, `${prefix}.order`);
    for (let i = 0; i < 200; i++) await bus.publish(`${prefix}.order`, { i });
    const got = await sub.until(200);
    t.same(
      got.map((r) => (r.message as { i: number }).i),
      Array.from({ length: 200 }, (_, i) => i),
    );
  });

  t.test('every matching subscription gets its own copy', async (t) => {
    const bus = await fresh(t);
    const a = collect(bus, `${prefix}.fan.*`);
    const b = collect(bus, `${prefix}.fan.x`);
    await bus.publish(`${prefix}.fan.x`, { hello: 'world' });
    t.same((await a.until(1))[0]?.message, { hello: 'world' });
    t.same((await b.until(1))[0]?.message, { hello: 'world' });
  });

  t.test('after unsubscribing nothing more is delivered', async (t) => {
    const bus = await fresh(t);
    const sub = collect(bus, `${prefix}.unsub`);
    await bus.publish(`${prefix}.unsub`, { n: 1 });
    await sub.until(1);
    sub.unsubscribe();
    await bus.publish(`${prefix}.unsub`, { n: 2 });
    await settle(300);
    t.equal(sub.received.length, 1);
  });

  t.test('a subscriber that throws does not stop the others', async (t) => {
    const bus = await fresh(t);
    bus.subscribe(`${prefix}.throws`, () => {
      throw new Error('subscriber bug');
    });
    const sub = collect(bus, `${prefix}.throws`);
    await bus.publish(`${prefix}.throws`, { n: 1 });
    await bus.publish(`${prefix}.throws`, { n: 2 });
    t.equal((await sub.until(2)).length, 2);
  });

  t.test('subjects with empty tokens, spaces or wildcards are refused for publishing', async (t) => {
    const bus = await fresh(t);
    for (const bad of ['', 'a..b', 'a b', 'a.*', 'a.>', '.a'])
      await t.rejects(bus.publish(bad, {}), /invalid bus subject/, JSON.stringify(bad));
    t.throws(() => bus.subscribe('a.>.b', () => undefined), /invalid bus subscription subject/);
  });

  t.test('ping answers while the bus is up', async (t) => {
    const bus = await fresh(t);
    await t.resolves(bus.ping());
  });

  t.test('publishing after close neither throws nor delivers', async (t) => {
    const bus = await open();
    await bus.close();
    await t.resolves(bus.publish(`${prefix}.closed`, { n: 1 }));
  });
};
