import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { OwnerUnavailableError } from '../../commands/ownership/index.js';
import { isConnectionFailure } from '../../commands/platform/index.js';
import { OverloadedError, WriterClosedError } from '../../commands/stream-writer/index.js';
import { DomainError, type DomainErrorCode } from '../../domain/shared/index.js';
import { noRouteProblem } from './methods.js';
import { ProblemError } from './problem.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A restarted PostgreSQL takes a few seconds to accept connections again. */
const UNAVAILABLE_RETRY_SECONDS = 2;

export type ProblemBody = {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
};

const TITLES: Record<DomainErrorCode, string> = {
  'invalid-layout': 'Invalid layout',
  'invalid-input': 'Invalid input',
  'not-found': 'Not found',
  'already-exists': 'Already exists',
  'seats-unavailable': 'Seats unavailable',
  'unknown-seats': 'Unknown seats',
  'section-seated': 'Section is seated',
  'ticket-limit': 'Ticket limit reached',
  'not-on-sale': 'Not on sale',
  'event-cancelled': 'Event cancelled',
  'idempotency-key-reused': 'Idempotency key reused',
  'hold-expired': 'Hold expired',
  'booking-released': 'Booking released',
  'booking-confirmed': 'Booking already paid',
  'booking-refunded': 'Booking refunded',
  'invalid-state': 'Invalid state',
  'already-checked-in': 'Already checked in',
  'invalid-code': 'Invalid code',
};

export const domainErrorStatus = (code: DomainErrorCode): number => {
  switch (code) {
    case 'invalid-layout':
    case 'invalid-input':
    case 'unknown-seats':
    case 'section-seated':
    case 'invalid-code':
      return 400;
    case 'not-found':
      return 404;
    case 'already-exists':
    case 'seats-unavailable':
    case 'ticket-limit':
    case 'not-on-sale':
    case 'event-cancelled':
    case 'hold-expired':
    case 'booking-released':
    case 'booking-confirmed':
    case 'booking-refunded':
    case 'invalid-state':
    case 'already-checked-in':
      return 409;
    case 'idempotency-key-reused':
      return 422;
    default: {
      const _: never = code;
      return 500;
    }
  }
};

export const fromDomainError = (err: DomainError): ProblemError =>
  new ProblemError(domainErrorStatus(err.code), err.code, TITLES[err.code], err.message, err.details);

export const sendProblem = (reply: FastifyReply, p: ProblemError): FastifyReply => {
  for (const [k, v] of Object.entries(p.headers)) reply.header(k, v);
  const body: ProblemBody = {
    ...p.extra,
    type: p.type,
    title: p.title,
    status: p.status,
    ...(p.detail !== undefined ? { detail: p.detail } : {}),
  };
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
};

/** Maps whatever a route throws to a ProblemError; undefined for an unexpected error (a 500). */
export const toProblem = (err: unknown, request?: FastifyRequest): ProblemError | undefined => {
  if (typeof err !== 'object' || err === null) return undefined;
  if (err instanceof ProblemError) return err;
  if (err instanceof DomainError) return fromDomainError(err);
  if (isConnectionFailure(err)) {
    return new ProblemError(
      503,
      'unavailable',
      'Unavailable',
      'a service this request needs is unreachable; retry shortly',
      {},
      {
        'retry-after': String(UNAVAILABLE_RETRY_SECONDS),
      },
    );
  }
  if (err instanceof OwnerUnavailableError) {
    return new ProblemError(503, 'unavailable', 'Unavailable', err.message, {}, { 'retry-after': String(err.retryAfterSeconds) });
  }
  if (err instanceof WriterClosedError) {
    return new ProblemError(503, 'unavailable', 'Unavailable', 'the server is shutting down; retry shortly', {}, { 'retry-after': '1' });
  }
  if (err instanceof OverloadedError) {
    const retry = String(Math.max(1, Math.ceil(err.retryAfterSeconds ?? 1)));
    return new ProblemError(
      503,
      'overloaded',
      'Overloaded',
      'too many commands are queued for this event; retry shortly',
      {},
      { 'retry-after': retry },
    );
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({ path: v.instancePath, code: v.keyword, message: v.message }));
    const where = err.validationContext ?? 'body';
    // A path id that is not a UUID names nothing this server issued.
    if (where === 'params') return new ProblemError(404, 'not-found', 'Not found', 'no such resource');
    return new ProblemError(400, 'invalid-input', 'Invalid input', `the ${where} does not match the schema`, { issues });
  }
  if (isResponseSerializationError(err)) return undefined;
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new ProblemError(413, 'body-too-large', 'Body too large', 'the request body is larger than this server accepts');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
        // JSON sent as text/plain and a body without a type are one mistake: both are 415.
        const sent = request?.headers['content-type'];
        const detail = sent
          ? `send the body as application/json, not ${sent}`
          : 'send the body as application/json (the request has no Content-Type)';
        return new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', detail, { accepted: ['application/json'] });
      }
      default:
        if (fe.validation || fe.code?.startsWith('FST_ERR_CTP') || fe.statusCode === 400)
          return new ProblemError(400, 'invalid-input', 'Invalid input', fe.message ?? 'the request is malformed');
        return new ProblemError(fe.statusCode, fe.statusCode === 404 ? 'not-found' : 'error', fe.message ?? 'Error', fe.message);
    }
  }
  return undefined;
};

/** After a 413, bodies up to this size are read to their end and dropped, so their connection stays usable. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * fastify answers a body over the limit with `connection: close`, unread. A client
 * that then reuses the connection (or has already written its next request on it)
 * fails with EPIPE or a reset instead of getting its own answer. A body of a
 * declared, bounded length is cheaper to skip: Node discards the rest of it after
 * the answer and reads the next request. Larger or unsized bodies still close.
 */
const keepConnectionAfterOversizedBody = (request: FastifyRequest, reply: FastifyReply): void => {
  const length = Number(request.headers['content-length']);
  if (!Number.isSafeInteger(length) || length > DRAIN_LIMIT_BYTES) return;
  reply.removeHeader('connection');
  request.raw.resume();
};

/** ONE error handler for the app: everything leaves as RFC 9457 problem JSON, internals never leak. */
export const installProblemHandlers = (app: FastifyInstance): void => {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const p = toProblem(err, request);
    if (p?.type === 'body-too-large') keepConnectionAfterOversizedBody(request, reply);
    if (p) {
      // A dependency that is away is an outage, one line per request: its stack says nothing new.
      if (p.type === 'unavailable' && err instanceof Error) request.log.warn({ reason: err.message }, p.title);
      else if (p.status >= 500) request.log.warn({ err }, p.title);
      return sendProblem(reply, p);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, new ProblemError(500, 'internal', 'Internal error', `something went wrong; quote request id ${request.id}`));
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, noRouteProblem(app, request)));
};
