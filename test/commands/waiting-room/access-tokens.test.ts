import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { createAccessTokens } from '../../../src/commands/waiting-room/index.js';

const KEY = 'token-test-key-0123456789abcdef';
const tokens = createAccessTokens(KEY);
const grant = { eventId: 'e1', userId: 'u1', expiresAt: Date.parse('2027-01-01T10:10:00Z') };
const now = Date.parse('2027-01-01T10:00:00Z');
const expected = { eventId: 'e1', userId: 'u1', now };

t.test('a token verifies for its user and event until it expires', async (t) => {
  const token = tokens.sign(grant);
  t.same(tokens.verify(token, expected), { ok: true, expiresAt: grant.expiresAt });
  t.same(tokens.verify(token, { ...expected, now: grant.expiresAt - 1 }), { ok: true, expiresAt: grant.expiresAt });
  t.equal(tokens.sign(grant), token, 'signing is deterministic, so every process hands out the same token');
  t.ok(createAccessTokens(Buffer.from(KEY)).verify(token, expected).ok, 'the key may be given as bytes');
});

t.test('an expired token is refused', async (t) => {
  const token = tokens.sign(grant);
  t.same(tokens.verify(token, { ...expected, now: grant.expiresAt }), { ok: false, reason: 'expired' });
  t.same(tokens.verify(token, { ...expected, now: grant.expiresAt + 60_000 }), { ok: false, reason: 'expired' });
});

t.test("another user's or another event's token is refused", async (t) => {
  const token = tokens.sign(grant);
  t.same(tokens.verify(token, { ...expected, userId: 'u2' }), { ok: false, reason: 'wrong-user' });
  t.same(tokens.verify(token, { ...expected, eventId: 'e2' }), { ok: false, reason: 'wrong-event' });
});

t.test('a forged token is refused', async (t) => {
  const token = tokens.sign(grant);
  const [payload, signature] = token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const rewritten = Buffer.from(JSON.stringify({ ...claims, u: 'u2' })).toString('base64url');
  t.same(
    tokens.verify(`${rewritten}.${signature}`, { ...expected, userId: 'u2' }),
    { ok: false, reason: 'bad-signature' },
    'claims changed under the signature',
  );
  const later = Buffer.from(JSON.stringify({ ...claims, x: grant.expiresAt + 3_600_000 })).toString('base64url');
  t.same(tokens.verify(`${later}.${signature}`, expected), { ok: false, reason: 'bad-signature' }, 'expiry pushed back');
  const otherKey = createAccessTokens('another-key-0123456789abcdef').sign(grant);
  t.same(tokens.verify(otherKey, expected), { ok: false, reason: 'bad-signature' }, 'signed with another key');
  const plainHmac = `${payload}.${createHmac('sha256', KEY).update(payload).digest('base64url')}`;
  t.same(tokens.verify(plainHmac, expected), { ok: false, reason: 'bad-signature' }, 'an HMAC of the key made for another purpose');
});

t.test('anything that is not a token is refused as malformed', async (t) => {
  const token = tokens.sign(grant);
  const [payload, signature] = token.split('.') as [string, string];
  for (const bad of [
    '',
    '.',
    'abc',
    `${payload}.`,
    `.${signature}`,
    `${token}.x`,
    `${payload}.${signature.slice(0, 20)}`,
    `${payload}.${signature}=`,
    'a'.repeat(10_000),
  ])
    t.same(tokens.verify(bad, expected), { ok: false, reason: 'malformed' }, JSON.stringify(bad.slice(0, 40)));
  const notJson = Buffer.from('not json').toString('base64url');
  const signedGarbage = `${notJson}.${createHmac('sha256', KEY).update('marquee-waiting-room-v1.').update(notJson).digest('base64url')}`;
  t.same(tokens.verify(signedGarbage, expected), { ok: false, reason: 'malformed' }, 'signed but not claims');
});

t.test('changing any character of a token makes it invalid', async (t) => {
  const token = tokens.sign(grant);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
  fc.assert(
    fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...Array.from(alphabet)), (i, ch) => {
      fc.pre(token[i] !== ch);
      return !tokens.verify(token.slice(0, i) + ch + token.slice(i + 1), expected).ok;
    }),
    { numRuns: 500 },
  );
  t.pass('no single-character change verifies');
});

t.test('a short key is refused', async (t) => {
  t.throws(() => createAccessTokens('short'), /at least 16 bytes/);
});
