import t from 'tap';
import { DEMO_VENUES, planDemoEvents } from '../../../src/runtime/demo-data/demo-data.js';
import { loadDemoData } from '../../../src/runtime/demo-data/index.js';
import { layoutCapacity } from '../../../src/domain/venue/index.js';
import { testApp } from '../../support/app.js';

t.test(
  'the demo venues: a cinema (~150), a theatre (~1,500), an arena (~20,000 with a pit), a stadium (~60,000), in several cities',
  async (t) => {
    const caps = DEMO_VENUES.map((v) => layoutCapacity(v.layout));
    t.ok(caps.includes(150));
    t.ok(caps.includes(1_500));
    t.ok(caps.includes(20_000));
    t.ok(caps.includes(60_000));
    const arena = DEMO_VENUES.find((v) => layoutCapacity(v.layout) === 20_000)!;
    t.ok(
      arena.layout.sections.some((s) => s.kind === 'standing'),
      'the arena has a standing pit',
    );
    t.ok(new Set(DEMO_VENUES.map((v) => v.details.city)).size >= 4);
  },
);

t.test('about a hundred upcoming events across every category, the same plan every time', async (t) => {
  const now = new Date('2026-11-27T12:00:00Z');
  const plan = planDemoEvents(now);
  t.equal(plan.length, 100);
  t.same(new Set(plan.map((p) => p.category)), new Set(['music', 'theatre', 'comedy', 'sports', 'film', 'family']));
  t.ok(plan.every((p) => Date.parse(p.startsAt) > now.getTime() && Date.parse(p.onSaleAt) < Date.parse(p.startsAt)));
  t.ok(
    plan.some((p) => Date.parse(p.onSaleAt) > now.getTime()),
    'some go on sale later',
  );
  t.same(planDemoEvents(now), plan);
});

t.test('loadDemoData schedules everything through the command path, once', async (t) => {
  const h = await testApp(t);
  const organizer = await h.organizer();
  const first = await loadDemoData(h.runtime.ticketing, { store: h.runtime.store, organizerId: organizer.user.id, events: 100 });
  t.same(first, { venues: DEMO_VENUES.length, events: 100 });
  const streams = await h.runtime.pool.query<{ kind: string; n: string }>(
    `SELECT split_part(stream, '-', 1) AS kind, count(DISTINCT stream)::text AS n FROM event_store.events GROUP BY 1 ORDER BY 1`,
  );
  t.same(
    streams.rows.map((r) => [r.kind, Number(r.n)]),
    [
      ['event', 100],
      ['venue', DEMO_VENUES.length],
    ],
  );
  const again = await loadDemoData(h.runtime.ticketing, { store: h.runtime.store, organizerId: organizer.user.id });
  t.same(again, { venues: 0, events: 0 }, 'a store with venues is left alone');
  const plan = planDemoEvents(new Date());
  const r = await h.app.inject({ method: 'GET', url: `/events/${plan[0]!.eventId}` });
  t.equal(r.statusCode, 200);
  t.match(r.json(), { name: plan[0]!.name, venue: { city: String } });
});
