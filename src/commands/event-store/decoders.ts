import { isDomainEventType, type DomainEvent } from '../../domain/events/index.js';
import type { EventDecoder, EventShape } from './port.js';

/** A stored event whose type this version of Marquee does not know (written by a newer one, or not by Marquee). */
export class UnknownEventTypeError extends Error {
  constructor(readonly type: string) {
    super(`the log holds an event of type ${JSON.stringify(type)}, which this version of Marquee does not know`);
    this.name = 'UnknownEventTypeError';
  }
}

/**
 * Stored JSON to a DomainEvent. The type tag is checked; the data is trusted:
 * every event in the log was decided by the domain's deciders and appended
 * through this port (or copied in by `marquee import` from an export of it), so
 * the shape of its data is the shape of its type. Validating every payload
 * again would put a schema check on the hot paths that read the log (a writer
 * loading a 100,000-seat stream, a projector rebuilding) to guard against
 * writes that only a hand edit of the database could make.
 */
export const domainEvent: EventDecoder<DomainEvent> = (type, data) => {
  if (!isDomainEventType(type)) throw new UnknownEventTypeError(type);
  return { type, data } as DomainEvent;
};

/** Every event as stored, untyped: for tools that copy or print streams whatever they hold (export, import, replay). */
export const anyEvent: EventDecoder<EventShape> = (type, data) => ({ type, data });
