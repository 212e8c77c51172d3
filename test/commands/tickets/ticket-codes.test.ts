import t from 'tap';
import { createTicketCodes } from '../../../src/commands/tickets/index.js';

const codes = createTicketCodes('a-ticket-code-key-for-tests-0123456789');

t.test('a signed code names its event, ticket and place', async (t) => {
  const code = codes.sign('event-1', 'ticket-1', 'A-1-7');
  t.match(code, /^mq1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  t.same(codes.verify(code), { eventId: 'event-1', ticketId: 'ticket-1', place: 'A-1-7' });
  t.same(codes.verify(`  ${code}\n`), { eventId: 'event-1', ticketId: 'ticket-1', place: 'A-1-7' }, 'a scanner adding whitespace is fine');
  t.same(codes.verify(codes.sign('event-1', 'ticket-2')), { eventId: 'event-1', ticketId: 'ticket-2', place: '' });
});

t.test('an altered, forged or malformed code is refused', async (t) => {
  const code = codes.sign('event-1', 'ticket-1', 'A-1-7');
  const [v, payload, mac] = code.split('.') as [string, string, string];
  const otherPayload = Buffer.from(JSON.stringify(['event-2', 'ticket-1', 'A-1-7'])).toString('base64url');
  const other = createTicketCodes('another-key-entirely-0123456789abcdef');
  for (const [what, bad] of [
    ['another payload with the old mac', `${v}.${otherPayload}.${mac}`],
    ['a truncated mac', `${v}.${payload}.${mac.slice(0, -2)}`],
    ['another version', `mq2.${payload}.${mac}`],
    ['signed with another key', other.sign('event-1', 'ticket-1', 'A-1-7')],
    ['not a code', 'hello'],
    ['empty', ''],
    ['too long', 'x'.repeat(5000)],
  ] as const) {
    t.equal(codes.verify(bad), undefined, what);
  }
});

t.test('a short key is refused', async (t) => {
  t.throws(() => createTicketCodes('short'));
});
