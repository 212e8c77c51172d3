import t from 'tap';
import { ConfigError, loadConfig } from '../../../src/runtime/config/index.js';

t.test('an empty environment gives the embedded defaults', async (t) => {
  const c = loadConfig({});
  t.equal(c.PORT, 3000);
  t.equal(c.HOST, '127.0.0.1');
  t.equal(c.PUBLIC_URL, 'http://127.0.0.1:3000');
  t.equal(c.DATA_DIR, './data');
  t.equal(c.DATABASE_URL, undefined);
  t.equal(c.EVENT_STORE, 'postgres');
  t.equal(c.SEARCH, 'postgres');
  t.equal(c.DEMO_DATA, true);
  t.equal(c.RATE_LIMIT, 120);
  t.equal(c.ROLE, 'all');
  t.equal(c.LOG_LEVEL, 'info');
  t.equal(c.PROJECTOR_THREAD_NICE, 10);
  t.equal(c.HEAP_GROWTH_PERCENT, 50);
  t.equal(c.PROJECTOR_YIELD_MS, 1000);
});

t.test('empty strings count as unset', async (t) => {
  const c = loadConfig({ PORT: '', DATABASE_URL: '', HOST: '' });
  t.equal(c.PORT, 3000);
  t.equal(c.DATABASE_URL, undefined);
  t.equal(c.HOST, '127.0.0.1');
});

t.test('set values are parsed and PUBLIC_URL follows HOST and PORT unless given', async (t) => {
  const c = loadConfig({
    PORT: '8080',
    HOST: '::1',
    DATABASE_URL: 'postgres://u@db:5432/marquee',
    DEMO_DATA: '0',
    RATE_LIMIT: '0',
    EVENT_STORE: 'eventstoredb',
    EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
  });
  t.equal(c.PORT, 8080);
  t.equal(c.PUBLIC_URL, 'http://[::1]:8080');
  t.equal(c.DATABASE_URL, 'postgres://u@db:5432/marquee');
  t.equal(c.DEMO_DATA, false);
  t.equal(c.RATE_LIMIT, 0);
  t.equal(c.EVENT_STORE, 'eventstoredb');
  t.equal(loadConfig({ PUBLIC_URL: 'https://tickets.example.com/' }).PUBLIC_URL, 'https://tickets.example.com', 'no trailing slash');
});

const badValues: readonly [string, Record<string, string>][] = [
  ['PORT', { PORT: 'abc' }],
  ['PORT', { PORT: '70000' }],
  ['PORT', { PORT: '80.5' }],
  ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
  ['DATABASE_URL', { DATABASE_URL: 'nonsense' }],
  ['EVENT_STORE', { EVENT_STORE: 'mysql' }],
  ['EVENTSTORE_URL', { EVENT_STORE: 'eventstoredb' }],
  ['EVENTSTORE_URL', { EVENTSTORE_URL: 'http://localhost:2113' }],
  ['SEARCH', { SEARCH: 'elastic' }],
  ['TYPESENSE_URL', { SEARCH: 'typesense' }],
  ['TYPESENSE_URL', { SEARCH: 'typesense', TYPESENSE_URL: 'http://localhost:8108' }],
  ['NATS_URL', { NATS_URL: 'nats' }],
  ['REDIS_URL', { REDIS_URL: 'localhost' }],
  ['STRIPE_SECRET_KEY', { STRIPE_SECRET_KEY: 'pk_test_123' }],
  ['JWT_SECRET', { JWT_SECRET: 'short' }],
  ['ADMIN_EMAIL', { ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long enough' }],
  ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'short' }],
  ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com' }],
  ['ADMIN_EMAIL', { ADMIN_PASSWORD: 'long enough' }],
  ['DEMO_DATA', { DEMO_DATA: 'yes' }],
  ['RATE_LIMIT', { RATE_LIMIT: '-1' }],
  ['ROLE', { ROLE: 'worker' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ['PROJECTOR_THREAD_NICE', { PROJECTOR_THREAD_NICE: '20' }],
  ['PROJECTOR_THREAD_NICE', { PROJECTOR_THREAD_NICE: '-5' }],
  ['HEAP_GROWTH_PERCENT', { HEAP_GROWTH_PERCENT: '401' }],
  ['PROJECTOR_YIELD_MS', { PROJECTOR_YIELD_MS: '10001' }],
  ['HEAP_GROWTH_PERCENT', { HEAP_GROWTH_PERCENT: '12.5' }],
];

for (const [name, env] of badValues) {
  t.test(`${name}=${JSON.stringify(env)} is a ConfigError whose one line names ${name}`, async (t) => {
    try {
      loadConfig(env);
      t.fail('accepted');
    } catch (e) {
      t.type(e, ConfigError);
      const message = (e as Error).message;
      t.match(message, new RegExp(`^invalid configuration: ${name}\\b`), message);
      t.notMatch(message, /\n/, 'one line');
    }
  });
}
