/**
 * RFC 9457 problems from the API, turned into sentences a buyer or an
 * organizer can act on. Pure: no DOM, tested under Node.
 */

export type Problem = {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly [extension: string]: unknown;
};

export type FieldIssue = { readonly field: string; readonly message: string };

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What went wrong, as one sentence. */
export const problemMessage = (p: Problem): string => {
  switch (p.type) {
    case 'seats-unavailable': {
      const gone = strings(p.unavailable);
      if (gone.length === 0) return 'No seats that fit are free any more. Try fewer seats or another section.';
      return `Sorry, ${list(gone)} ${gone.length === 1 ? 'was' : 'were'} just taken by someone else. Pick other seats.`;
    }
    case 'unknown-seats':
      return `${list(strings(p.unknown)) || 'Some seats'} ${strings(p.unknown).length === 1 ? 'is' : 'are'} not in this venue's layout.`;
    case 'ticket-limit':
      return `You have reached this event's ticket limit. ${p.detail ?? ''}`.trim();
    case 'not-on-sale':
      return p.detail ? `Tickets are not on sale: ${p.detail}` : 'Tickets for this event are not on sale right now.';
    case 'event-cancelled':
      return 'This event has been cancelled.';
    case 'hold-expired':
      return 'Your hold lapsed before payment and the seats were released. Pick seats again.';
    case 'booking-released':
      return 'You released this hold, so its seats went back on sale. Pick seats again.';
    case 'booking-confirmed':
      return 'This booking is already paid: your tickets are under My tickets.';
    case 'booking-refunded':
      return 'This booking was refunded.';
    case 'section-seated':
      return `${list(strings(p.seated)) || 'That section'} has numbered seats: pick them on the seat map.`;
    case 'waiting-room':
      return 'This on-sale uses a waiting room: join the queue, and you can pick seats once it is your turn.';
    case 'waiting-room-off':
      return 'This event has no waiting room at the moment: you can pick seats straight away.';
    case 'invalid-credentials':
      return 'The email or password is wrong.';
    case 'email-taken':
      return 'An account with this email already exists. Sign in instead.';
    case 'unauthorized':
      return 'Please sign in again: your session has ended.';
    case 'forbidden':
      return p.detail ? `Not allowed: ${p.detail}.` : 'You are not allowed to do that.';
    case 'not-found':
      return p.detail ? `Not found: ${p.detail}.` : 'Not found.';
    case 'already-checked-in':
      return 'Already checked in: this ticket has been scanned before.';
    case 'invalid-code':
      return `Not a valid ticket. ${p.detail ?? ''}`.trim();
    case 'rate-limited': {
      const retry = typeof p.retryAfter === 'number' ? p.retryAfter : undefined;
      return `Too many attempts. Try again${retry ? ` in ${retry} seconds` : ' shortly'}.`;
    }
    case 'unavailable':
    case 'overloaded':
    case 'queue-unavailable':
      return 'Booking is very busy right now. Please try again in a moment.';
    case 'invalid-input': {
      const issues = fieldIssues(p);
      return issues.length > 0 ? `Please check: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.` : (p.detail ?? 'Please check what you entered.');
    }
    default:
      return p.detail ?? p.title ?? 'Something went wrong. Please try again.';
  }
};

/** A 400's zod issues by field (`/layout/sections/0/id` -> `layout.sections.0.id`). */
export const fieldIssues = (p: Problem): FieldIssue[] => {
  if (!Array.isArray(p.issues)) return [];
  return p.issues.flatMap((i: unknown) => {
    if (typeof i !== 'object' || i === null) return [];
    const { path, message } = i as { path?: unknown; message?: unknown };
    const field = typeof path === 'string' ? path.replace(/^\//, '').replace(/\//g, '.') : '';
    return [{ field: field || 'the form', message: typeof message === 'string' ? message : 'is not valid' }];
  });
};

export const isProblem = (v: unknown): v is Problem =>
  typeof v === 'object' && v !== null && typeof (v as Problem).type === 'string' && typeof (v as Problem).status === 'number';

/** What the app throws for an API error answer: the problem and a readable message. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problemMessage(problem));
    this.name = 'ApiError';
  }
  get type(): string {
    return this.problem.type;
  }
  get status(): number {
    return this.problem.status;
  }
}

/** Anything caught, as a sentence. */
export const errorMessage = (err: unknown): string => {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'Cannot reach Marquee. Check your connection and try again.';
  return err instanceof Error ? err.message : 'Something went wrong. Please try again.';
};
