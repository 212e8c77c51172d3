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

/**
 * A refusal: the answer to a command that must not happen (a seat already held, a limit reached), not a fault.
 * It carries no stack trace: an on-sale refuses thousands of holds a second, and capturing a stack costs more
 * than deciding the command.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'DomainError';
  }
}
