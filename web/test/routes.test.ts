import t from 'tap';
import { layoutErrors, rowLabels } from '../src/console/layout.js';
import { matchRoute, pathTo, ROUTES } from '../src/routes.js';

t.test('paths match the app’s pages with their parameters', async (t) => {
  t.same(matchRoute('/'), { name: 'home', params: {} });
  t.same(matchRoute('/event/3f2a'), { name: 'event', params: { id: '3f2a' } });
  t.same(matchRoute('/console/events/e1/check-in'), { name: 'checkIn', params: { id: 'e1' } });
  t.same(matchRoute('/console/events/new'), { name: 'newEvent', params: {} }, 'a fixed segment wins over a parameter listed after it');
  t.equal(matchRoute('/events/3f2a'), undefined, 'API paths are not pages');
  t.equal(pathTo('booking', { id: 'a b' }), '/booking/a%20b');
});

t.test('no page starts with a segment the API uses', async (t) => {
  const api = ['events', 'bookings', 'venues', 'me', 'auth', 'performers', 'pay', 'webhooks', 'health', 'ready', 'metrics', 'docs', 'openapi.json', 'productions', 'assets'];
  for (const pattern of Object.values(ROUTES)) t.notOk(api.includes(pattern.split('/')[1] ?? ''), pattern);
});

t.test('the layout editor labels rows and catches what the server would refuse', async (t) => {
  t.same(rowLabels('letters', 28).slice(24), ['Y', 'Z', 'AA', 'AB']);
  t.same(rowLabels('numbers', 3), ['1', '2', '3']);
  const errors = layoutErrors([
    { key: 1, id: 'A', name: 'Block A', kind: 'seated', rows: [{ label: '1', seats: 10 }, { label: '1', seats: 5 }], capacity: 0 },
    { key: 2, id: 'A', name: '', kind: 'standing', rows: [], capacity: 0 },
    { key: 3, id: 'bad id', name: 'X', kind: 'seated', rows: [{ label: 'A', seats: 1001 }], capacity: 0 },
  ]);
  t.same(errors, {
    '0.rows': 'Two rows are labelled “1”.',
    '1.id': 'Another section is already “A”.',
    '1.name': 'Give the section a name.',
    '1.capacity': 'A whole number from 1 to 1,000,000.',
    '2.id': 'Use 1 to 16 letters or digits, no spaces.',
    '2.rows': 'Row A: from 1 to 1,000 seats.',
  });
});
