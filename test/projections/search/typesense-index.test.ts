import { randomBytes } from 'node:crypto';
import t from 'tap';
import { searchProjection, typesenseSearchIndex, outboxDocStore } from '../../../src/projections/search/index.js';
import { freshDatabase } from '../../support/services.js';
import { harness, openPool, searchContract } from './contract.js';

const url = process.env.TYPESENSE_URL;
if (!url) {
  t.comment(
    'skipped: TYPESENSE_URL is not set; the Typesense adapter contract runs against a live Typesense node (TYPESENSE_URL, TYPESENSE_API_KEY)',
  );
} else {
  const databaseUrl = await freshDatabase(t);
  const pool = openPool(t, databaseUrl);
  const index = typesenseSearchIndex({
    url,
    apiKey: process.env.TYPESENSE_API_KEY ?? '',
    collection: `marquee_t_${randomBytes(4).toString('hex')}`,
  });
  await index.ping();
  t.teardown(() => index.dropCollection());
  const store = outboxDocStore(pool, index);
  await searchContract(t, (t) => harness(t, databaseUrl, { index, pool, projection: searchProjection(store) }));
}
