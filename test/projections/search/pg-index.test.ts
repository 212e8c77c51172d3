import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { RecordedEvent } from '../../../src/commands/event-store/index.js';
import { pgSearchIndex, searchProjection } from '../../../src/projections/search/index.js';
import { freshDatabase } from '../../support/services.js';
import { harness, openPool, searchContract, type Harness } from './contract.js';
import { scheduled } from './fixtures.js';

const url = await freshDatabase(t);
const pool = openPool(t, url);
const index = pgSearchIndex(pool);

let shared: Harness | undefined;
await searchContract(t, async (t) => (shared = await harness(t, url, { index, pool, projection: searchProjection(index.store) })));

// Typesense drops words from the right until something matches; this index drops only words
// that resemble nothing indexed, so every known word must match.
t.test('every word that is indexed must match', async (t) => {
  t.same((await shared?.search({ q: 'hamlet manchester' }))?.items, []);
  t.same(
    (await shared?.search({ q: 'hamlet denmark' }))?.items.map((i) => i.id),
    ['hamlet'],
  );
});

t.test('a hot on-sale batch writes each document once, however many holds it carries', async (t) => {
  const h = shared;
  if (!h) return t.fail('no harness');
  const [scheduledEvent] = await h.append('hot', [
    scheduled('hot', 'wembley', { name: 'Hot Ticket', performers: ['Hot Act'], category: 'music', startsAt: '2031-02-01T19:00:00Z' }),
  ]);
  const base = scheduledEvent?.position ?? { commit: 0n, prepare: 0n };
  const holds: RecordedEvent[] = Array.from({ length: 60 }, (_, i) => ({
    id: randomUUID(),
    stream: 'event-hot',
    version: i + 1,
    position: { commit: base.commit + 1n, prepare: base.prepare + BigInt(i + 1) },
    type: 'SeatsHeld',
    data: {
      eventId: 'hot',
      bookingId: `hot-${i}`,
      userId: `u${i}`,
      seats: [],
      standing: [{ sectionId: 'PIT', quantity: 1 }],
      amount: 4500,
      currency: 'GBP',
      heldAt: '2029-05-01T10:00:00Z',
      expiresAt: '2029-05-01T10:05:00Z',
    },
    metadata: {},
    recordedAt: new Date(),
  }));
  const db = await pool.connect();
  try {
    // The backend's pending counters may still hold earlier transactions' writes: compare before and after.
    const writes = async () =>
      Number(
        (
          await db.query<{ writes: string }>(
            `SELECT n_tup_ins + n_tup_upd AS writes FROM pg_stat_xact_user_tables WHERE relname = 'search_events'`,
          )
        ).rows[0]?.writes ?? 0,
      );
    await db.query('BEGIN');
    const before = await writes();
    await searchProjection(index.store).apply(db, holds);
    t.equal((await writes()) - before, 1, 'one write for sixty holds');
    await db.query('COMMIT');
  } finally {
    db.release();
  }
  t.match((await h.search({ q: 'hot ticket' })).items[0], { available: 50, capacity: 110 });
});
