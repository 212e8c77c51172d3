/** Problem slugs of the HTTP API (docs/api.md) that the domain can raise. */
export type DomainErrorCode =
  | 'invalid-layout'
  | 'invalid-input'
  | 'not-found'
  | 'already-exists'
  | 'seats-unavailable'
  | 'unknown-seats'
  | 'section-seated'
  | 'ticket-limit'
  | 'not-on-sale'
  | 'event-cancelled'
  | 'idempotency-key-reused'
  | 'hold-expired'
  | 'booking-released'
  | 'booking-confirmed'
  | 'booking-refunded'
  | 'invalid-state'
  | 'already-checked-in'
  | 'invalid-code';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
