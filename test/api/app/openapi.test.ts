import { randomUUID } from 'node:crypto';
import type { InjectOptions, RouteOptions } from 'fastify';
import t from 'tap';
import { testApp } from '../../support/app.js';

type Operation = { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown };
type Document = { paths: Record<string, Record<string, Operation>> };

const h = await testApp(t);
const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>();
const customer = await h.user();

const openapiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1');
const methodsOf = (r: RouteOptions): string[] => (Array.isArray(r.method) ? r.method : [r.method]).map(String);
const documented = h.app
  .registeredRoutes()
  .filter((r) => !(r.schema as { hide?: boolean } | undefined)?.hide && !r.url.includes('*'))
  .flatMap((r) =>
    methodsOf(r)
      .filter((m) => m !== 'HEAD')
      .map((method) => ({ route: r, method, path: openapiPath(r.url) })),
  );

t.test('every registered route is in the document with every answer it declares; errors are problem JSON', async (t) => {
  t.ok(documented.length >= 30, `${documented.length} routes`);
  for (const { route, method, path } of documented) {
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!t.ok(op, `${method} ${path} is in the document`) || !op) continue;
    const declared = Object.keys((route.schema as { response?: Record<string, unknown> }).response ?? {});
    for (const code of declared) t.ok(op.responses[code], `${method} ${path} documents ${code}`);
    for (const [code, answer] of Object.entries(op.responses)) {
      if (Number(code) < 400) continue;
      const types = Object.keys(answer.content ?? {});
      // The local pay page answers people in HTML, its own errors too; the app's are problem JSON there as everywhere.
      const ok = types.includes('application/problem+json') || (path.startsWith('/pay/') && types.includes('text/html'));
      t.ok(ok, `${method} ${path} ${code} is application/problem+json`);
      t.notOk(types.includes('application/json'), `${method} ${path} ${code} is not declared application/json`);
    }
    t.ok(op.responses['500'] && op.responses['503'], `${method} ${path} documents 500 and 503`);
  }
});

t.test('the document has no route the server does not serve', async (t) => {
  const served = new Set(documented.map((d) => `${d.method.toLowerCase()} ${d.path}`));
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item)) t.ok(served.has(`${method} ${path}`), `${method} ${path} is served`);
});

t.test('the pay page, seat ids and the seat codes are described', async (t) => {
  t.ok(doc.paths['/pay/{sessionId}']?.get?.responses['200']?.content?.['text/html'], 'the pay page answers HTML');
  t.ok(doc.paths['/pay/{sessionId}']?.post, 'its form post');
  t.ok(doc.paths['/pay/return']?.get?.responses['303'], 'the return redirect');
  const text = JSON.stringify(doc);
  t.match(text, /A available, H held \(by a live hold or a checkout\), S sold/);
  t.match(text, /<section id>-<row label>-<seat number>/);
});

t.test('what the server answers to a stranger and to a customer is declared for that route, with its content type', async (t) => {
  let checked = 0;
  for (const { route, method, path } of documented) {
    if (path.endsWith('/stream') || path === '/openapi.json') continue;
    const url = route.url.replace(/:\w+/g, () => randomUUID());
    const op = doc.paths[path]?.[method.toLowerCase()];
    for (const token of [undefined, customer.token]) {
      const res = await h.as(token)({
        method: method as NonNullable<InjectOptions['method']>,
        url,
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });
      const answer = op?.responses[String(res.statusCode)];
      t.ok(answer, `${method} ${path} (${token ? 'customer' : 'anonymous'}) answered ${res.statusCode}, which is declared`);
      const type = String(res.headers['content-type'] ?? '').split(';')[0] ?? '';
      const types = Object.keys(answer?.content ?? {});
      if (types.length > 0 && res.statusCode !== 304)
        t.ok(types.includes(type), `${method} ${path} ${res.statusCode} is ${type}, declared ${types.join(', ')}`);
      checked += 1;
    }
  }
  t.ok(checked > 50, `${checked} answers checked`);
});
