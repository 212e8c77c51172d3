import type { Decider } from '../shared/index.js';
import type { TicketedEventEvent } from './events.js';
import { decideCancel, decideChangeDetails, decideSchedule, decideWaitingRoom } from './catalogue.js';
import { decideCheckout, decideExpire, decideHold, decideRelease } from './holds.js';
import { decideCheckIn, decidePaymentFailed, decidePaymentSucceeded, decideRefundIssued } from './payments.js';
import { evolveTicketedEvent, initialTicketedEventState } from './state.js';
import type { TicketedEventCommand, TicketedEventState } from './types.js';
import { decideJoinWaitlist, decideLeaveWaitlist, withWaitlist } from './waitlist.js';

const decideCommand = (command: TicketedEventCommand, state: TicketedEventState): readonly TicketedEventEvent[] => {
  switch (command.type) {
    case 'ScheduleEvent':
      return decideSchedule(command, state);
    case 'ChangeEventDetails':
      return decideChangeDetails(command, state);
    case 'CancelEvent':
      return decideCancel(command, state);
    case 'ConfigureWaitingRoom':
      return decideWaitingRoom(command, state);
    case 'HoldSeats':
      return decideHold(command, state);
    case 'ReleaseHold':
      return decideRelease(command, state);
    case 'ExpireHold':
      return decideExpire(command, state);
    case 'StartCheckout':
      return decideCheckout(command, state);
    case 'RecordPaymentSucceeded':
      return decidePaymentSucceeded(command, state);
    case 'RecordPaymentFailed':
      return decidePaymentFailed(command, state);
    case 'RecordRefundIssued':
      return decideRefundIssued(command, state);
    case 'CheckInTicket':
      return decideCheckIn(command, state);
    case 'JoinWaitlist':
      return decideJoinWaitlist(command, state);
    case 'LeaveWaitlist':
      return decideLeaveWaitlist(command, state);
    default: {
      const _: never = command;
      return _;
    }
  }
};

const decide = (command: TicketedEventCommand, state: TicketedEventState): readonly TicketedEventEvent[] =>
  withWaitlist(command, state, decideCommand(command, state));

/**
 * The decider of stream `event-<eventId>`: one ticketed event's catalogue
 * entry and its whole inventory. evolve is pure (persistent maps, nothing is
 * mutated), so keeping an older state and deciding against it again is safe.
 */
export const ticketedEvent: Decider<TicketedEventCommand, TicketedEventEvent, TicketedEventState> = {
  initialState: initialTicketedEventState,
  decide,
  evolve: evolveTicketedEvent,
};
