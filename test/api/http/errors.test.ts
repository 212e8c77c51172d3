import t from 'tap';
import { domainErrorStatus } from '../../../src/api/http/errors.js';
import { toProblem, ProblemError } from '../../../src/api/http/index.js';
import { OverloadedError } from '../../../src/commands/stream-writer/stream-writer.js';
import { DomainError, type DomainErrorCode } from '../../../src/domain/shared/index.js';

t.test('domain error codes map to the statuses of API.md', async (t) => {
  const expected: Record<DomainErrorCode, number> = {
    'invalid-layout': 400,
    'invalid-input': 400,
    'unknown-seats': 400,
    'section-seated': 400,
    'invalid-code': 400,
    'not-found': 404,
    'already-exists': 409,
    'seats-unavailable': 409,
    'ticket-limit': 409,
    'not-on-sale': 409,
    'event-cancelled': 409,
    'hold-expired': 409,
    'booking-released': 409,
    'booking-confirmed': 409,
    'booking-refunded': 409,
    'invalid-state': 409,
    'already-checked-in': 409,
    'idempotency-key-reused': 422,
  };
  for (const [code, status] of Object.entries(expected)) t.equal(domainErrorStatus(code as DomainErrorCode), status, code);
});

t.test('a DomainError keeps its slug and carries its details as extension members', async (t) => {
  const p = toProblem(new DomainError('seats-unavailable', 'taken', { unavailable: ['A-1-1'] }));
  t.ok(p instanceof ProblemError);
  t.match(p, { status: 409, type: 'seats-unavailable', detail: 'taken', extra: { unavailable: ['A-1-1'] } });
});

t.test('the writer’s OverloadedError is a 503 with retry-after', async (t) => {
  const p = toProblem(new OverloadedError('event-x', 10));
  t.match(p, { status: 503, type: 'overloaded', headers: { 'retry-after': '1' } });
});

t.test('an unexpected error is not mapped (the handler answers a 500 that leaks nothing)', async (t) => {
  t.equal(toProblem(new Error('connection string postgres://secret@db')), undefined);
  t.equal(toProblem('a string'), undefined);
});
