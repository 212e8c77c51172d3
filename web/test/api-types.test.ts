import { readFile } from 'node:fs/promises';
import t from 'tap';
import { testApp } from '../../test/support/app.js';
import { API_TYPES_FILE, apiTypesFrom } from '../scripts/api-types-source.js';

t.test('the web app’s API types are generated from the server’s current OpenAPI document', async (t) => {
  const { app } = await testApp(t);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const fresh = await apiTypesFrom(doc);
  const committed = await readFile(API_TYPES_FILE, 'utf8');
  t.ok(fresh === committed, 'web/src/api/schema.d.ts is current (if not: npm run web:api-types, then npm run typecheck)');
});
