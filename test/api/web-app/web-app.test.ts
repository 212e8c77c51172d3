import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { routePattern } from '../../../src/api/web-app/index.js';
import { testApp } from '../../support/app.js';

/** A stand-in for web/dist: what the server serves does not depend on the app's build here. */
const builtApp = async (t: Test): Promise<string> => {
  const root = await mkdtemp(join(tmpdir(), 'marquee-webroot-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><html lang="en"><title>Marquee</title><div id="app"></div></html>');
  await writeFile(join(root, 'routes.json'), JSON.stringify(['/', '/event/:id', '/booking/:id', '/tickets', '/console/events/:id']));
  await writeFile(join(root, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
};

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

t.test('a browser asking for a page of the app gets its HTML with security headers', async (t) => {
  const webRoot = await builtApp(t);
  const { app } = await testApp(t, { deps: (d) => ({ ...d, webRoot }) });
  for (const url of ['/', '/event/3f2a', '/booking/b1', '/tickets', '/console/events/e1', '/event/3f2a?from=search']) {
    const r = await app.inject({ method: 'GET', url, headers: HTML });
    t.equal(r.statusCode, 200, `${url} is a page`);
    t.match(r.headers['content-type'], /^text\/html/);
    t.match(r.body, /<div id="app">/);
    t.match(r.headers['content-security-policy'], /default-src 'self'/);
    t.equal(r.headers['cache-control'], 'no-cache');
  }
});

t.test('a page the app does not have is its HTML with a 404, never a JSON 404', async (t) => {
  const webRoot = await builtApp(t);
  const { app } = await testApp(t, { deps: (d) => ({ ...d, webRoot }) });
  const r = await app.inject({ method: 'GET', url: '/no/such/page', headers: HTML });
  t.equal(r.statusCode, 404);
  t.match(r.headers['content-type'], /^text\/html/);
  t.match(r.body, /<div id="app">/);
});

t.test('API paths keep their JSON answers, and unknown API paths get problem JSON, whatever the client accepts', async (t) => {
  const webRoot = await builtApp(t);
  const { app } = await testApp(t, { deps: (d) => ({ ...d, webRoot }) });
  const health = await app.inject({ method: 'GET', url: '/health', headers: HTML });
  t.same(health.json(), { status: 'ok' });
  for (const url of ['/events/00000000-0000-4000-8000-000000000000/nothing', '/bookings/x/y', '/me/nothing', '/auth']) {
    const r = await app.inject({ method: 'GET', url, headers: HTML });
    t.equal(r.statusCode, 404, url);
    t.equal(r.headers['content-type'], 'application/problem+json', `${url} is problem JSON`);
    t.equal(r.json().type, 'not-found');
  }
  const curl = await app.inject({ method: 'GET', url: '/no/such/page', headers: { accept: '*/*' } });
  t.equal(curl.headers['content-type'], 'application/problem+json', 'a client that does not ask for HTML gets problem JSON');
  t.equal(curl.json().detail, 'no route GET /no/such/page');
  const post = await app.inject({ method: 'POST', url: '/event/x', headers: HTML, payload: {} });
  t.equal(post.headers['content-type'], 'application/problem+json', 'only GET and HEAD serve pages');
});

t.test('assets are served once-cached, gzipped when asked, and revalidated by ETag', async (t) => {
  const webRoot = await builtApp(t);
  const { app } = await testApp(t, { deps: (d) => ({ ...d, webRoot }) });
  const r = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
  t.equal(r.statusCode, 200);
  t.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
  t.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(r.headers['content-encoding'], 'gzip');
  t.match(gunzipSync(r.rawPayload).toString(), /^console\.log/);
  const again = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'if-none-match': String(r.headers.etag) } });
  t.equal(again.statusCode, 304);
  const plain = await app.inject({ method: 'GET', url: '/favicon.svg' });
  t.equal(plain.headers['content-type'], 'image/svg+xml');
  const missing = await app.inject({ method: 'GET', url: '/assets/gone.js', headers: HTML });
  t.equal(missing.statusCode, 404);
  t.equal(missing.headers['content-type'], 'application/problem+json', 'a missing asset is not the app');
});

t.test('without a build the pages say how to build it and the API answers as usual', async (t) => {
  const empty = await mkdtemp(join(tmpdir(), 'marquee-nobuild-'));
  t.teardown(() => rm(empty, { recursive: true, force: true }));
  const { app } = await testApp(t, { deps: (d) => ({ ...d, webRoot: empty }) });
  const r = await app.inject({ method: 'GET', url: '/', headers: HTML });
  t.equal(r.statusCode, 503);
  t.match(r.body, /npm run build:web/);
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
});

t.test('page patterns match one path segment per parameter', async (t) => {
  t.ok(routePattern('/event/:id').test('/event/abc'));
  t.ok(routePattern('/event/:id').test('/event/abc/'));
  t.notOk(routePattern('/event/:id').test('/event/abc/def'));
  t.notOk(routePattern('/event/:id').test('/event/'));
  t.ok(routePattern('/').test('/'));
  t.notOk(routePattern('/tickets').test('/ticketsx'));
});
