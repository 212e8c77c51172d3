import t from 'tap';
import { createTicketCodes } from '../../../src/commands/tickets/index.js';
import { bookingResponse } from '../../../src/api/bookings/routes.js';
import type { ApiBooking } from '../../../src/api/http/index.js';

const codes = createTicketCodes('a key of at least sixteen bytes');
const ticketCode = (eventId: string, ticketId: string, place?: string) => codes.sign(eventId, ticketId, place);

const booking: ApiBooking = {
  id: 'b1',
  eventId: 'e1',
  userId: 'u1',
  status: 'confirmed',
  seats: ['A-1-7'],
  standing: [{ sectionId: 'FLOOR', quantity: 1 }],
  amount: 9000,
  currency: 'GBP',
  expiresAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  tickets: [
    { id: 't-seat', section: 'A', seat: 'A-1-7' },
    { id: 't-standing', section: 'FLOOR' },
  ],
};

t.test('a ticket code names the seat, or the section of a standing place', async (t) => {
  const answer = bookingResponse(booking, ticketCode);
  const [seated, standing] = answer.tickets.map((x) => ('code' in x && typeof x.code === 'string' ? codes.verify(x.code) : undefined));
  t.same(seated, { eventId: 'e1', ticketId: 't-seat', place: 'A-1-7' });
  t.same(standing, { eventId: 'e1', ticketId: 't-standing', place: 'FLOOR' });
});

t.test('without a signer tickets carry no code', async (t) => {
  const answer = bookingResponse(booking);
  t.notOk(answer.tickets.some((x) => 'code' in x));
});
