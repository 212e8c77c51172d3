import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BookingOutcome, EventOutcome, Ticketing, WaitlistOutcome } from '../ticketing/index.js';
import type { Log } from '../platform/index.js';
import type { Forwarding } from './nats-forwarding.js';
import type { Leases } from './pg-leases.js';
import {
  OwnerUnavailableError,
  fromWireError,
  toWireError,
  type ForwardReply,
  type ForwardRequest,
  type ForwardedOp,
  type ForwardedOutcome,
} from './wire.js';

/**
 * One owner per event's writer across the processes: the process holding an
 * event's lease runs its commands in its own writer (one in-memory state, one
 * batch per append); every other process forwards them to it and answers with
 * the owner's outcome or error. An event with no owner is taken by the first
 * process that has a command for it. Expected-version appends stay the final
 * guard: whatever the leases do, two writers can only ever make one of them
 * reload and decide again, never sell a seat twice.
 */

export type OwnershipEvent =
  /** This process became an event's owner. */
  | 'acquired'
  /** A command of this process went to the owner elsewhere. */
  | 'forwarded'
  /** A command from another process ran here, as the owner. */
  | 'served'
  | 'handed-over'
  /** The lease session broke: ownership dropped without a hand-over. */
  | 'lost'
  /** Run here without owning: no NATS, or a lease holder that serves nobody for longer than `orphanMs`. */
  | 'unowned';

export type OwnershipOptions = {
  readonly local: Ticketing;
  readonly leases: Leases;
  readonly forwarding: Forwarding;
  readonly log: Pick<Log, 'info' | 'warn'>;
  /** The longest a command waits for an owner (takeover included) before 503 `unavailable`. */
  readonly deadlineMs?: number;
  /** One forwarding attempt of a command with an idempotency key; past it the command is sent again (safe: same key). */
  readonly attemptMs?: number;
  /** A lease held by a process that serves nobody (it lost NATS) this long: write here, guarded by expected version. */
  readonly orphanMs?: number;
  /** Pause between routing attempts while an owner changes. */
  readonly retryMs?: number;
  readonly newId?: () => string;
  readonly onEvent?: (event: OwnershipEvent) => void;
};

export type OwnedTicketing = Ticketing & {
  /** Events this process owns now. */
  owned(): readonly string[];
  /** Stops serving every owned event, lets its commands finish, gives the leases up (SIGTERM does this before exit). */
  handOver(): Promise<void>;
  /** The lease session broke and took these leases with it: stop serving them at once. */
  lost(eventIds: readonly string[]): void;
};

export const DEFAULT_DEADLINE_MS = 5_000;
export const DEFAULT_ATTEMPT_MS = 2_000;
export const DEFAULT_ORPHAN_MS = 1_500;
export const DEFAULT_RETRY_MS = 20;

type Served = { readonly stop: () => Promise<void>; readonly running: Set<Promise<unknown>> };

/** JSON turns an absent trailing argument into null; the Ticketing face wants undefined. */
const arg = (args: readonly unknown[], i: number): never => (args[i] ?? undefined) as never;

/** The command on a Ticketing, by name (the owner's side of a forwarded command). */
const runOp = (t: Ticketing, op: ForwardedOp, eventId: string, a: readonly unknown[]): Promise<EventOutcome | BookingOutcome> => {
  switch (op) {
    case 'scheduleEvent':
      return t.scheduleEvent(arg(a, 0), arg(a, 1));
    case 'changeEventDetails':
      return t.changeEventDetails(eventId, arg(a, 0), arg(a, 1));
    case 'cancelEvent':
      return t.cancelEvent(eventId, arg(a, 0), arg(a, 1));
    case 'configureWaitingRoom':
      return t.configureWaitingRoom(eventId, arg(a, 0), arg(a, 1));
    case 'hold':
      return t.hold(eventId, arg(a, 0), arg(a, 1));
    case 'release':
      return t.release(eventId, arg(a, 0), arg(a, 1), arg(a, 2));
    case 'expire': {
      const at: string | undefined = arg(a, 1);
      return t.expire(eventId, arg(a, 0), at === undefined ? undefined : new Date(at), arg(a, 2));
    }
    case 'startCheckout':
      return t.startCheckout(eventId, arg(a, 0), arg(a, 1));
    case 'recordPaymentSucceeded':
      return t.recordPaymentSucceeded(eventId, arg(a, 0), arg(a, 1));
    case 'recordPaymentFailed':
      return t.recordPaymentFailed(eventId, arg(a, 0), arg(a, 1));
    case 'recordRefundIssued':
      return t.recordRefundIssued(eventId, arg(a, 0), arg(a, 1));
    case 'checkIn':
      return t.checkIn(eventId, arg(a, 0), arg(a, 1));
    case 'joinWaitlist':
      return t.joinWaitlist(eventId, arg(a, 0), arg(a, 1));
    case 'leaveWaitlist':
      return t.leaveWaitlist(eventId, arg(a, 0), arg(a, 1));
  }
};

/** What the owner sends back: never the state, which the caller rebuilds from the stream if it needs it. */
const compact = (r: EventOutcome | BookingOutcome | WaitlistOutcome, eventId: string): ForwardedOutcome => ({
  events: r.events,
  version: r.version,
  ...('booking' in r ? { booking: r.booking } : {}),
  ...('eventId' in r ? { eventId } : {}),
  ...('entry' in r ? { entry: r.entry, created: r.created } : {}),
});

export const createOwnedTicketing = (options: OwnershipOptions): OwnedTicketing => {
  const { local, leases, forwarding, log } = options;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const attemptMs = options.attemptMs ?? DEFAULT_ATTEMPT_MS;
  const orphanMs = options.orphanMs ?? DEFAULT_ORPHAN_MS;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const newId = options.newId ?? randomUUID;
  const emit = options.onEvent ?? (() => undefined);

  const served = new Map<string, Served>();
  /** Events whose lease another process holds, as last seen: skip the lock query until that owner stops answering. */
  const elsewhere = new Set<string>();
  const acquiring = new Map<string, Promise<boolean>>();
  let handingOver = false;

  const ownsNow = (eventId: string): boolean => !handingOver && served.has(eventId) && leases.holds(eventId);

  const track = <T>(eventId: string, p: Promise<T>): Promise<T> => {
    const s = served.get(eventId);
    if (!s) return p;
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    s.running.add(settled);
    void settled.then(() => s.running.delete(settled));
    return p;
  };

  const serve = async (request: ForwardRequest): Promise<ForwardReply> => {
    const { eventId, op, args } = request;
    if (!ownsNow(eventId)) return { error: { kind: 'not-owner' } };
    if (!(request.budgetMs > 0)) return { error: { kind: 'expired' } };
    emit('served');
    try {
      return { ok: compact(await track(eventId, runOp(local, op, eventId, args)), eventId) };
    } catch (err) {
      return { error: toWireError(err) };
    }
  };

  const acquire = (eventId: string): Promise<boolean> => {
    const running = acquiring.get(eventId);
    if (running) return running;
    const p = (async () => {
      try {
        if (!(await leases.tryAcquire(eventId))) return false;
        if (handingOver) {
          await leases.release(eventId);
          return false;
        }
        if (!served.has(eventId)) {
          served.set(eventId, { ...forwarding.serve(eventId, serve), running: new Set() });
          elsewhere.delete(eventId);
          emit('acquired');
          log.info({ eventId }, "owning the event's writer");
        }
        return true;
      } finally {
        acquiring.delete(eventId);
      }
    })();
    acquiring.set(eventId, p);
    return p;
  };

  /** Where a command runs: here when this process owns the event or can take it, else at the owner. */
  const route = async <T>(
    op: ForwardedOp,
    eventId: string,
    args: readonly unknown[],
    retrySafe: boolean,
    here: () => Promise<T>,
    fromOwner: (o: ForwardedOutcome) => Promise<T> | T,
  ): Promise<T> => {
    const deadline = Date.now() + deadlineMs;
    let orphanSince: number | undefined;
    for (;;) {
      if (ownsNow(eventId)) return track(eventId, here());
      if (!forwarding.connected()) {
        // No way to reach an owner: write here; a second writer costs reloads, never a seat sold twice.
        emit('unowned');
        return here();
      }
      if (!elsewhere.has(eventId) && !handingOver) {
        if (await acquire(eventId)) continue;
        elsewhere.add(eventId);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new OwnerUnavailableError("no process could take the event's writer in time; retry shortly");
      const reply = await forwarding.request({ op, eventId, args, budgetMs: left }, retrySafe ? Math.min(left, attemptMs) : left);
      if (reply === 'no-responders') {
        // The lease holder serves nobody: it is handing over, just died, or lost NATS. Try to take over.
        elsewhere.delete(eventId);
        orphanSince ??= Date.now();
        if (Date.now() - orphanSince >= orphanMs) {
          emit('unowned');
          return here();
        }
        await sleep(retryMs);
        continue;
      }
      if (reply === 'timeout') {
        if (retrySafe) continue;
        throw new OwnerUnavailableError(
          "the event's writer did not answer in time, so the command may or may not be recorded; retry shortly",
        );
      }
      if ('ok' in reply) {
        emit('forwarded');
        return fromOwner(reply.ok);
      }
      if (reply.error.kind === 'not-owner') {
        elsewhere.delete(eventId);
        await sleep(retryMs);
        continue;
      }
      emit('forwarded');
      throw fromWireError(reply.error);
    }
  };

  const booking = (o: ForwardedOutcome): BookingOutcome =>
    ({ events: o.events, version: o.version, booking: o.booking }) as unknown as BookingOutcome;

  /** An event command's outcome carries the state: read from the stream, it includes the owner's append. */
  const withState =
    (eventId: string) =>
    async (o: ForwardedOutcome): Promise<EventOutcome> => {
      const { state } = await local.eventState(eventId, { refresh: true });
      return { events: o.events as EventOutcome['events'], version: o.version, state };
    };

  const waitlist =
    (eventId: string) =>
    async (o: ForwardedOutcome): Promise<WaitlistOutcome> => ({
      ...(await withState(eventId)(o)),
      entry: o.entry as WaitlistOutcome['entry'],
      created: o.created ?? false,
    });

  const onBooking = (op: ForwardedOp, eventId: string, args: readonly unknown[], here: () => Promise<BookingOutcome>, retrySafe = false) =>
    route(op, eventId, args, retrySafe, here, booking);
  const onEvent = (op: ForwardedOp, eventId: string, args: readonly unknown[], here: () => Promise<EventOutcome>) =>
    route(op, eventId, args, false, here, withState(eventId));

  const handOver = async (): Promise<void> => {
    handingOver = true;
    const events = [...served.entries()];
    served.clear();
    await Promise.all(
      events.map(async ([eventId, s]) => {
        await s.stop();
        await Promise.all([...s.running]);
        await leases.release(eventId).catch((err: unknown) => log.warn({ err, eventId }, 'releasing a writer lease failed'));
        emit('handed-over');
      }),
    );
    if (events.length > 0) log.info({ events: events.length }, 'handed every owned writer over');
  };

  return {
    registerVenue: (input, ctx) => local.registerVenue(input, ctx),
    updateVenue: (venueId, changes, ctx) => local.updateVenue(venueId, changes, ctx),
    getVenue: (venueId) => local.getVenue(venueId),

    scheduleEvent(input, ctx) {
      const fixed = { ...input, eventId: input.eventId ?? newId() };
      return route(
        'scheduleEvent',
        fixed.eventId,
        [fixed, ctx],
        false,
        () => local.scheduleEvent(fixed, ctx),
        async (o) => ({ ...(await withState(fixed.eventId)(o)), eventId: fixed.eventId }),
      );
    },
    changeEventDetails: (eventId, changes, ctx) =>
      onEvent('changeEventDetails', eventId, [changes, ctx], () => local.changeEventDetails(eventId, changes, ctx)),
    cancelEvent: (eventId, reason, ctx) => onEvent('cancelEvent', eventId, [reason, ctx], () => local.cancelEvent(eventId, reason, ctx)),
    configureWaitingRoom: (eventId, input, ctx) =>
      onEvent('configureWaitingRoom', eventId, [input, ctx], () => local.configureWaitingRoom(eventId, input, ctx)),
    checkIn: (eventId, ticketId, ctx) => onEvent('checkIn', eventId, [ticketId, ctx], () => local.checkIn(eventId, ticketId, ctx)),

    hold: (eventId, input, ctx) =>
      onBooking('hold', eventId, [input, ctx], () => local.hold(eventId, input, ctx), input.idempotencyKey !== undefined),
    release: (eventId, bookingId, userId, ctx) =>
      onBooking('release', eventId, [bookingId, userId, ctx], () => local.release(eventId, bookingId, userId, ctx)),
    expire: (eventId, bookingId, now, ctx) =>
      onBooking('expire', eventId, [bookingId, now?.toISOString(), ctx], () => local.expire(eventId, bookingId, now, ctx)),
    startCheckout: (eventId, input, ctx) =>
      onBooking('startCheckout', eventId, [input, ctx], () => local.startCheckout(eventId, input, ctx)),
    // Payment events carry the provider's event id, which the decider deduplicates on: sending one twice is safe.
    recordPaymentSucceeded: (eventId, input, ctx) =>
      onBooking('recordPaymentSucceeded', eventId, [input, ctx], () => local.recordPaymentSucceeded(eventId, input, ctx), true),
    recordPaymentFailed: (eventId, input, ctx) =>
      onBooking('recordPaymentFailed', eventId, [input, ctx], () => local.recordPaymentFailed(eventId, input, ctx), true),
    recordRefundIssued: (eventId, input, ctx) =>
      onBooking('recordRefundIssued', eventId, [input, ctx], () => local.recordRefundIssued(eventId, input, ctx), true),

    // Joining twice is the same entry: safe to send again.
    joinWaitlist: (eventId, input, ctx) =>
      route('joinWaitlist', eventId, [input, ctx], true, () => local.joinWaitlist(eventId, input, ctx), waitlist(eventId)),
    leaveWaitlist: (eventId, userId, ctx) =>
      route('leaveWaitlist', eventId, [userId, ctx], false, () => local.leaveWaitlist(eventId, userId, ctx), waitlist(eventId)),

    getBooking: (eventId, bookingId) => local.getBooking(eventId, bookingId),
    eventState: (eventId, stateOptions) => local.eventState(eventId, stateOptions),

    owned: () => [...served.keys()].filter((id) => leases.holds(id)),

    handOver,
    lost(eventIds) {
      for (const eventId of eventIds) {
        const s = served.get(eventId);
        if (!s) continue;
        served.delete(eventId);
        void s.stop();
        emit('lost');
      }
      elsewhere.clear();
    },

    async close() {
      await handOver();
      await local.close();
    },
  };
};
