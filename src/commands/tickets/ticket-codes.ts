import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A ticket's scannable code: `mq1.<payload>.<mac>`, where the payload names
 * event, ticket and place (seat id, or section for a standing place) and the
 * mac is an HMAC-SHA256 (128 bits kept) under a server key. A scanner needs
 * only the code; the check-in command then records it once.
 */

export type TicketClaim = { readonly eventId: string; readonly ticketId: string; readonly place: string };

export type TicketCodes = {
  /** Matches the API's TicketCode `(eventId, ticketId) => string`; pass the seat (or section) too when known. */
  sign(eventId: string, ticketId: string, place?: string): string;
  /** The claim of a code this key signed, or undefined for anything else (forged, altered, malformed). */
  verify(code: string): TicketClaim | undefined;
};

const VERSION = 'mq1';
const MAX_CODE = 1000;

export const createTicketCodes = (key: string | Buffer): TicketCodes => {
  if (key.length < 16) throw new Error('the ticket code key must be at least 16 bytes');
  const derived = createHmac('sha256', key).update('marquee ticket codes v1').digest();
  const mac = (payload: string): Buffer => createHmac('sha256', derived).update(`${VERSION}.${payload}`).digest().subarray(0, 16);

  return {
    sign(eventId, ticketId, place = '') {
      const payload = Buffer.from(JSON.stringify([eventId, ticketId, place]), 'utf8').toString('base64url');
      return `${VERSION}.${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(code) {
      if (typeof code !== 'string' || code.length > MAX_CODE) return undefined;
      const parts = code.trim().split('.');
      if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
      const [, payload, given] = parts as [string, string, string];
      const expected = mac(payload);
      const got = Buffer.from(given, 'base64url');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
      try {
        const claim: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        if (!Array.isArray(claim) || claim.length !== 3 || !claim.every((x) => typeof x === 'string')) return undefined;
        const [eventId, ticketId, place] = claim as [string, string, string];
        return eventId && ticketId ? { eventId, ticketId, place } : undefined;
      } catch {
        return undefined;
      }
    },
  };
};
