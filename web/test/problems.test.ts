import t from 'tap';
import { ApiError, errorMessage, fieldIssues, problemMessage } from '../src/api/problems.js';

const p = (type: string, extra: Record<string, unknown> = {}) => ({ type, title: type, status: 409, ...extra });

t.test('problems from the API become sentences that say what to do', async (t) => {
  t.equal(problemMessage(p('seats-unavailable', { unavailable: ['A-1-7'] })), 'Sorry, A-1-7 was just taken by someone else. Pick other seats.');
  t.equal(problemMessage(p('seats-unavailable', { unavailable: ['A-1-7', 'A-1-8', 'A-1-9'] })), 'Sorry, A-1-7, A-1-8 and A-1-9 were just taken by someone else. Pick other seats.');
  t.match(problemMessage(p('hold-expired')), /hold lapsed/);
  t.match(problemMessage(p('ticket-limit', { detail: 'at most 8 per buyer' })), /ticket limit\. at most 8/);
  t.match(problemMessage(p('waiting-room')), /join the queue/);
  t.match(problemMessage(p('rate-limited', { retryAfter: 7 })), /in 7 seconds/);
  t.equal(problemMessage(p('email-taken')), 'An account with this email already exists. Sign in instead.');
  t.equal(problemMessage(p('something-new', { detail: 'A detail.' })), 'A detail.', 'an unknown problem shows its detail');
});

t.test('a 400 lists its issues by field', async (t) => {
  const bad = p('invalid-input', { status: 400, issues: [{ path: '/layout/sections/0/id', message: 'letters and digits, 1 to 16' }, { path: '', message: 'x' }] });
  t.same(fieldIssues(bad), [
    { field: 'layout.sections.0.id', message: 'letters and digits, 1 to 16' },
    { field: 'the form', message: 'x' },
  ]);
  t.match(problemMessage(bad), /^Please check: layout\.sections\.0\.id letters/);
});

t.test('whatever is caught reads as a sentence', async (t) => {
  t.equal(errorMessage(new ApiError(p('event-cancelled'))), 'This event has been cancelled.');
  t.match(errorMessage(new TypeError('Failed to fetch')), /Cannot reach Marquee/);
  t.equal(errorMessage('??'), 'Something went wrong. Please try again.');
});

t.test('every problem the pages meet has its own sentence', async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['seats-unavailable', { unavailable: [] }, /No seats that fit are free/],
    ['unknown-seats', { unknown: ['Z-9-9'] }, /^Z-9-9 is not in this venue's layout\.$/],
    ['unknown-seats', { unknown: ['Z-9-9', 'Z-9-8'] }, /^Z-9-9 and Z-9-8 are not/],
    ['not-on-sale', {}, /not on sale right now/],
    ['not-on-sale', { detail: 'sales open at 10:00' }, /not on sale: sales open at 10:00/],
    ['waiting-room-off', {}, /pick seats straight away/],
    ['invalid-credentials', {}, /email or password is wrong/],
    ['unauthorized', {}, /sign in again/],
    ['forbidden', {}, /not allowed/],
    ['forbidden', { detail: 'this event belongs to another organizer' }, /^Not allowed: this event belongs/],
    ['not-found', {}, /^Not found\.$/],
    ['not-found', { detail: 'no such booking' }, /^Not found: no such booking\.$/],
    ['already-checked-in', {}, /scanned before/],
    ['invalid-code', { detail: 'This ticket is for another event.' }, /^Not a valid ticket\. This ticket is for another event\.$/],
    ['rate-limited', {}, /Try again shortly/],
    ['overloaded', {}, /very busy/],
    ['queue-unavailable', {}, /very busy/],
    ['invalid-input', { detail: 'the body does not match the schema' }, /^the body does not match/],
    ['invalid-input', {}, /check what you entered/],
  ];
  for (const [type, extra, want] of cases) t.match(problemMessage(p(type, extra)), want, type);
  t.equal(problemMessage({ type: 'x', title: 'Odd', status: 500 }), 'Odd', 'no detail: the title');
});

t.test('an ApiError carries its problem', async (t) => {
  const e = new ApiError(p('hold-expired'));
  t.equal(e.type, 'hold-expired');
  t.equal(e.status, 409);
  t.equal(e.name, 'ApiError');
  t.same(fieldIssues(p('invalid-input', { issues: [null, { path: '/email' }] })), [{ field: 'email', message: 'is not valid' }]);
  t.same(fieldIssues(p('invalid-input')), []);
  t.equal(errorMessage(new Error('plain')), 'plain');
});
