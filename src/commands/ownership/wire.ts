import { DomainError, type DomainErrorCode } from '../../domain/shared/index.js';
import { isConnectionFailure } from '../platform/index.js';
import { OverloadedError, WriterClosedError } from '../stream-writer/index.js';

/**
 * What travels between a process and an event's owner: a command of the
 * Ticketing face by name with its arguments and the time the caller still
 * waits, and the owner's answer. The answer is the outcome without the
 * event's whole state (a hot event's state is megabytes), or the error by
 * kind, rebuilt on the caller as the same class so the API renders the same
 * status, problem type and body the owner would have.
 */

export const FORWARDED_OPS = [
  'scheduleEvent',
  'changeEventDetails',
  'cancelEvent',
  'configureWaitingRoom',
  'hold',
  'release',
  'expire',
  'startCheckout',
  'recordPaymentSucceeded',
  'recordPaymentFailed',
  'recordRefundIssued',
  'checkIn',
  'joinWaitlist',
  'leaveWaitlist',
] as const;
export type ForwardedOp = (typeof FORWARDED_OPS)[number];

export type ForwardRequest = {
  readonly op: ForwardedOp;
  readonly eventId: string;
  readonly args: readonly unknown[];
  /** How long the caller still waits: the owner does not start a command whose caller has given up. */
  readonly budgetMs: number;
};

export type ForwardedOutcome = {
  readonly events: readonly unknown[];
  readonly version: number;
  readonly booking?: unknown;
  readonly eventId?: string;
  /** A waitlist command's entry, and whether it was new. */
  readonly entry?: unknown;
  readonly created?: boolean;
};

export type WireError =
  | {
      readonly kind: 'domain';
      readonly code: DomainErrorCode;
      readonly message: string;
      readonly details: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'overloaded'; readonly stream: string; readonly maxQueue: number }
  /** The receiver does not own the event (any more): the caller routes again. */
  | { readonly kind: 'not-owner' }
  /** The caller's budget was spent before the owner could start the command: it was not run. */
  | { readonly kind: 'expired' }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'internal'; readonly message: string };

export type ForwardReply = { readonly ok: ForwardedOutcome } | { readonly error: WireError };

/** A dependency of the owner, or the owner itself, is out of reach: 503 `unavailable` with Retry-After. */
export class OwnerUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'OwnerUnavailableError';
  }
}

/** The owner failed in a way it reports as a 500; the caller does the same. */
export class OwnerFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnerFailedError';
  }
}

export const toWireError = (err: unknown): WireError => {
  if (err instanceof DomainError) return { kind: 'domain', code: err.code, message: err.message, details: err.details };
  if (err instanceof OverloadedError) return { kind: 'overloaded', stream: err.stream, maxQueue: err.maxQueue };
  if (err instanceof WriterClosedError) return { kind: 'not-owner' };
  if (err instanceof OwnerUnavailableError || isConnectionFailure(err))
    return { kind: 'unavailable', message: err instanceof Error ? err.message : 'unavailable' };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
};

/** The error to throw on the caller; not-owner and expired are the router's business and never reach here. */
export const fromWireError = (e: Exclude<WireError, { kind: 'not-owner' }>): Error => {
  switch (e.kind) {
    case 'domain':
      return new DomainError(e.code, e.message, e.details);
    case 'overloaded':
      return new OverloadedError(e.stream, e.maxQueue);
    case 'expired':
      return new OwnerUnavailableError("the event's writer did not get to the command in time; retry shortly");
    case 'unavailable':
      return new OwnerUnavailableError(`the event's writer cannot reach a service it needs: ${e.message}`, 2);
    case 'internal':
      return new OwnerFailedError(e.message);
  }
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const encode = (value: ForwardRequest | ForwardReply): Uint8Array => encoder.encode(JSON.stringify(value));
export const decodeRequest = (data: Uint8Array): ForwardRequest => JSON.parse(decoder.decode(data)) as ForwardRequest;
export const decodeReply = (data: Uint8Array): ForwardReply => JSON.parse(decoder.decode(data)) as ForwardReply;
