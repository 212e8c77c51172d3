import { createHmac } from 'node:crypto';
import t from 'tap';
import { testApp } from '../../support/app.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

t.test('accounts', async (t) => {
  const h = await testApp(t);
  const { app } = h;

  t.test('register answers 201 with a token and a customer user', async (t) => {
    const r = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'ada@example.com', password: 'difference engine', name: 'Ada' },
    });
    t.equal(r.statusCode, 201);
    const body = r.json();
    t.match(body, { token: String, user: { id: String, email: 'ada@example.com', name: 'Ada', role: 'customer' } });
    const me = await h.as(body.token)({ method: 'GET', url: '/me' });
    t.equal(me.statusCode, 200);
    t.same(me.json(), body.user);
  });

  t.test('registering a taken email (any case) is 409 email-taken', async (t) => {
    const r = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'ADA@example.com', password: 'another password', name: 'Ada 2' },
    });
    t.equal(r.statusCode, 409);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.match(r.json(), { type: 'email-taken', status: 409, title: String });
  });

  t.test('login with the right password answers a token; a wrong one is 401 invalid-credentials', async (t) => {
    const ok = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'ada@example.com', password: 'difference engine' },
    });
    t.equal(ok.statusCode, 200);
    t.match(ok.json(), { token: String, user: { email: 'ada@example.com' } });
    const bad = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'ada@example.com', password: 'wrong password' } });
    t.equal(bad.statusCode, 401);
    t.equal(bad.json().type, 'invalid-credentials');
    const unknown = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'nobody@example.com', password: 'whatever1' },
    });
    t.equal(unknown.statusCode, 401);
    t.equal(unknown.json().type, 'invalid-credentials');
  });

  t.test('a short password, a bad email or an unknown field is 400 invalid-input listing the issues', async (t) => {
    for (const payload of [
      { email: 'x@example.com', password: 'short', name: 'X' },
      { email: 'not-an-email', password: 'long enough', name: 'X' },
      { email: 'y@example.com', password: 'long enough', name: 'Y', role: 'organizer' },
    ]) {
      const r = await app.inject({ method: 'POST', url: '/auth/register', payload });
      t.equal(r.statusCode, 400, JSON.stringify(payload));
      t.equal(r.headers['content-type'], 'application/problem+json');
      const body = r.json();
      t.equal(body.type, 'invalid-input');
      t.ok(Array.isArray(body.issues) && body.issues.length > 0, 'issues listed');
    }
  });

  t.test('GET /me without a token, or with a tampered, expired or alg-none token, is 401 unauthorized', async (t) => {
    const { token, user } = await h.user();
    t.equal((await h.as(token)({ method: 'GET', url: '/me' })).statusCode, 200);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forgedRole = `${header}.${b64({ ...claims, role: 'organizer' })}.${signature}`;
    const wrongKey = (() => {
      const head = b64({ alg: 'HS256', typ: 'JWT' });
      const body = b64(claims);
      return `${head}.${body}.${createHmac('sha256', 'not the secret').update(`${head}.${body}`).digest('base64url')}`;
    })();
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'organizer' })}.`;
    const expired = app.jwt.sign({ sub: user.id, email: user.email, role: 'customer' }, { expiresIn: 1 });
    t.equal((await h.as(expired)({ method: 'GET', url: '/me' })).statusCode, 200, 'accepted (and remembered) while valid');
    await new Promise((r) => setTimeout(r, 1100));
    const cases: Record<string, string | undefined> = { none: undefined, forgedRole, wrongKey, algNone, expired, garbage: 'abc' };
    for (const [name, tok] of Object.entries(cases)) {
      const r = await h.as(tok)({ method: 'GET', url: '/me' });
      t.equal(r.statusCode, 401, name);
      t.equal(r.json().type, 'unauthorized', name);
    }
  });

  t.test('tokens expire after 12 hours', async (t) => {
    const { token } = await h.user();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    t.equal(claims.exp - claims.iat, 12 * 3600);
  });
});
