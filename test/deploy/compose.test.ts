import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/runtime/config.js';

type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  volumes?: string[];
};
type Compose = {
  services: Record<string, Service & { stop_grace_period?: string; configs?: { source: string; target: string }[] }>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string }>;
};

const root = new URL('../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as Compose;
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

const isMarquee = (s: Service): boolean => s.build !== undefined;
const marquee = Object.entries(compose.services).filter(([, s]) => isMarquee(s));

const environmentOf = (s: Service): Record<string, string> => {
  const env = s.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((kv) => [kv.split('=')[0] ?? kv, kv.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
};

/** Compose's interpolation: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}, $$. */
const interpolate = (value: string, vars: Record<string, string>): string =>
  value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const v = vars[name ?? ''];
    const unset = v === undefined || (op?.startsWith(':') === true && v === '');
    if (!unset) return v ?? '';
    if (op === ':-' || op === '-') return arg ?? '';
    if (op === ':?' || op === '?') throw new Error(`${name} is required: ${arg}`);
    return '';
  });

const INFRASTRUCTURE = ['eventstore', 'postgres', 'redis', 'typesense', 'nats'] as const;

t.test('every variable a Marquee service sets is one of the configuration schema', async (t) => {
  t.ok(marquee.length > 0, 'compose has Marquee services built from the Dockerfile');
  for (const [name, s] of marquee) {
    for (const key of Object.keys(environmentOf(s))) t.ok(CONFIG_VARIABLES.includes(key), `${name}: ${key} is a configuration variable`);
  }
});

t.test('the required infrastructure services are there, pinned by version, with health checks', async (t) => {
  for (const name of INFRASTRUCTURE) {
    const s = compose.services[name];
    if (!t.ok(s, `service ${name} exists`) || !s) continue;
    const tag = s.image?.split(':')[1];
    t.ok(tag && /\d/.test(tag) && tag !== 'latest', `${name} image ${s.image} is pinned to a version`);
    t.ok(s.healthcheck?.test && !s.healthcheck.disable, `${name} has a health check`);
  }
  t.match(compose.services.eventstore?.image, /^eventstore\/eventstore:|kurrentdb/, 'the log is EventStoreDB / KurrentDB');
  t.match(compose.services.postgres?.image, /^postgres:16/, 'PostgreSQL 16');
  t.match(compose.services.redis?.image, /^redis:7/, 'Redis 7');
  t.ok((compose.services.nats as Service & { command?: string[] }).command?.includes('-js'), 'NATS runs with JetStream');
});

t.test('stateful services keep their data in named volumes', async (t) => {
  for (const name of ['eventstore', 'postgres', 'redis', 'typesense', 'nats']) {
    const mounts = compose.services[name]?.volumes ?? [];
    const named = mounts.map((m) => m.split(':')[0] ?? '').filter((v) => v in (compose.volumes ?? {}));
    t.ok(named.length > 0, `${name} mounts a named volume`);
  }
});

t.test('Marquee runs as two API processes and one projector, each waiting for healthy dependencies', async (t) => {
  const roles = marquee.map(([name, s]) => [name, environmentOf(s).ROLE] as const);
  t.equal(roles.filter(([, r]) => r === 'api').length, 2, 'two api services');
  t.equal(roles.filter(([, r]) => r === 'projector').length, 1, 'one projector');
  t.equal(roles.filter(([, r]) => r !== 'api' && r !== 'projector').length, 0, 'no other roles');
  for (const [name, s] of marquee) {
    const deps = s.depends_on;
    t.ok(deps && !Array.isArray(deps), `${name} declares conditions on its dependencies`);
    if (!deps || Array.isArray(deps)) continue;
    for (const infra of INFRASTRUCTURE) t.equal(deps[infra]?.condition, 'service_healthy', `${name} waits for ${infra} to be healthy`);
    t.ok(s.healthcheck?.test, `${name} has a health check`);
  }
});

t.test('with the secrets of .env given, every Marquee service has a valid production configuration', async (t) => {
  const dotenv = {
    JWT_SECRET: 'j'.repeat(48),
    STRIPE_WEBHOOK_SECRET: 'whsec_test',
    POSTGRES_PASSWORD: 'pw0123456789',
    TYPESENSE_API_KEY: 'ts-key',
  };
  for (const [name, s] of marquee) {
    const env = Object.fromEntries(Object.entries(environmentOf(s)).map(([k, v]) => [k, interpolate(v, dotenv)]));
    const config = loadConfig(env);
    t.equal(config.EVENT_STORE, 'eventstoredb', `${name} uses EventStoreDB`);
    t.equal(config.SEARCH, 'typesense', `${name} uses Typesense`);
    t.ok(config.NATS_URL && config.REDIS_URL && config.DATABASE_URL, `${name} has NATS, Redis and PostgreSQL`);
    t.equal(config.HOST, '0.0.0.0', `${name} listens outside its container`);
    t.equal(config.JWT_SECRET, dotenv.JWT_SECRET, `${name} shares the token key`);
  }
  t.throws(() => interpolate(environmentOf(marquee[0]?.[1] ?? {}).JWT_SECRET ?? '', {}), /JWT_SECRET is required/, 'a missing secret stops compose');
});

t.test('the Dockerfile is multi-stage, installs production dependencies only and runs as a non-root user', async (t) => {
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const froms = lines.filter((l) => /^FROM\s/i.test(l));
  t.ok(froms.length >= 2, 'at least two stages');
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const runtime = lines.slice(lastFrom);
  t.ok(runtime.some((l) => /^RUN\s.*npm ci\b.*--omit=dev/.test(l)), 'the runtime stage runs npm ci --omit=dev');
  t.notOk(runtime.some((l) => /^RUN\s.*npm (ci|install)\b(?!.*--omit=dev)/.test(l)), 'and installs nothing else');
  t.ok(runtime.some((l) => /^COPY\s+--from=\S+\s+\S*dist/.test(l)), 'the runtime stage copies the compiled dist/ from the build stage');
  const user = runtime.filter((l) => /^USER\s/i.test(l)).at(-1);
  t.ok(user && !/^USER\s+(root|0)(:|$)/i.test(user), `runs as a non-root user (${user ?? 'none'})`);
  t.ok(runtime.some((l) => /^HEALTHCHECK\s.*\/health/.test(l)), 'has a health check on /health');
  t.ok(runtime.some((l) => l === 'CMD ["node", "dist/api/main.js"]'), 'starts the compiled server');
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
  t.match(pkg.scripts.build, /tsconfig\.build\.json/, 'npm run build compiles src/ to dist/');
});

t.test('.dockerignore keeps local state and dependencies out of the build context', async (t) => {
  const ignored = readFileSync(new URL('.dockerignore', root), 'utf8').split('\n').map((l) => l.trim());
  for (const entry of ['node_modules', 'data', '.env', '.git']) t.ok(ignored.includes(entry), `${entry} is ignored`);
});

t.test('a Marquee service gets longer to stop than the server takes to drain (15 s grace), so docker stop never kills it mid-shutdown', async (t) => {
  const seconds = (d: string | undefined): number => {
    const m = /^(\d+)s$/.exec(d ?? '');
    return m ? Number(m[1]) : 10; // compose's default
  };
  for (const [name, s] of marquee) {
    t.ok(seconds(s.stop_grace_period) > 15, `${name}: stop_grace_period ${s.stop_grace_period ?? '10s (default)'}`);
    t.equal((s as { init?: boolean }).init, true, `${name}: an init passes the signal on`);
  }
});

t.test('the load balancer routes by /health, which says 503 while a process drains, and retries a refused connection', async (t) => {
  const lb = compose.services.lb;
  const mount = lb?.configs?.find((c) => c.target === '/etc/caddy/Caddyfile');
  t.ok(mount, 'lb mounts a Caddyfile');
  const caddyfile = compose.configs?.[mount?.source ?? '']?.content ?? '';
  const apis = marquee.filter(([, s]) => environmentOf(s).ROLE === 'api').map(([name]) => `${name}:3000`);
  for (const upstream of apis) t.match(caddyfile, upstream, `it balances over ${upstream}`);
  t.match(caddyfile, /health_uri \/health\b/, 'active health checks on /health');
  t.match(caddyfile, /lb_try_duration \d+s/, 'a refused connection is tried on another upstream');
  t.match(caddyfile, /flush_interval -1/, 'SSE is streamed through unbuffered');
});
