import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Waiting-room access tokens: `<payload>.<signature>`, both base64url, where the
 * payload is JSON `{ e: eventId, u: userId, x: expiresAt (ms) }` and the
 * signature is HMAC-SHA256 over a versioned prefix plus the payload. They verify
 * without any lookup, so every API process (and a restarted Redis) agrees on
 * them; signing is deterministic, so any process re-derives the same token for
 * the same admission.
 */

export type AccessGrant = { readonly eventId: string; readonly userId: string; readonly expiresAt: number };

export type TokenRejection = 'malformed' | 'bad-signature' | 'wrong-event' | 'wrong-user' | 'expired';

export type TokenCheck = { readonly ok: true; readonly expiresAt: number } | { readonly ok: false; readonly reason: TokenRejection };

export type AccessTokens = {
  readonly sign: (grant: AccessGrant) => string;
  readonly verify: (token: string, expected: { readonly eventId: string; readonly userId: string; readonly now: number }) => TokenCheck;
};

const DOMAIN = 'marquee-waiting-room-v1.';
const MAX_TOKEN_LENGTH = 4096;
const SIGNATURE_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]+$/;

export const MIN_KEY_BYTES = 16;

export const createAccessTokens = (key: string | Buffer): AccessTokens => {
  const secret = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (secret.length < MIN_KEY_BYTES) throw new Error(`the waiting-room token key must be at least ${MIN_KEY_BYTES} bytes`);
  const mac = (payload: string): Buffer => createHmac('sha256', secret).update(DOMAIN).update(payload).digest();

  const sign = ({ eventId, userId, expiresAt }: AccessGrant): string => {
    if (!Number.isSafeInteger(expiresAt)) throw new Error('expiresAt must be an integer time in milliseconds');
    const payload = Buffer.from(JSON.stringify({ e: eventId, u: userId, x: expiresAt })).toString('base64url');
    return `${payload}.${mac(payload).toString('base64url')}`;
  };

  const verify: AccessTokens['verify'] = (token, expected) => {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    const [payload, signature] = parts;
    if (parts.length !== 2 || !payload || !signature || !B64URL.test(payload) || !B64URL.test(signature))
      return { ok: false, reason: 'malformed' };
    const given = Buffer.from(signature, 'base64url');
    // Canonical encodings only, so one token has one spelling.
    if (given.length !== SIGNATURE_BYTES || given.toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
    if (!timingSafeEqual(given, mac(payload))) return { ok: false, reason: 'bad-signature' };
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
    if (claims.e !== expected.eventId) return { ok: false, reason: 'wrong-event' };
    if (claims.u !== expected.userId) return { ok: false, reason: 'wrong-user' };
    if (claims.x <= expected.now) return { ok: false, reason: 'expired' };
    return { ok: true, expiresAt: claims.x };
  };

  return { sign, verify };
};

type Claims = { readonly e: string; readonly u: string; readonly x: number };

const isClaims = (v: unknown): v is Claims => {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.e === 'string' && typeof c.u === 'string' && typeof c.x === 'number' && Number.isSafeInteger(c.x);
};
