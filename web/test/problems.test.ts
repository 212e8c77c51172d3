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
