import {
  seatMapChanges,
  seatMapView,
  type SeatMapChanges,
  type SeatMapView,
  type TicketedEventEvent,
  type TicketedEventState,
} from '../../domain/ticketed-event/index.js';
import type { WriterChange } from '../stream-writer/index.js';

/** A change of a live map: the stream's version after it, and what moved. */
export type LiveSeatDelta = SeatMapChanges & { readonly version: number };

/** `ended`: the writer let go of the event (idle, reset, closed); the map must be read elsewhere from now on. */
export type LiveSeatListener = (delta: LiveSeatDelta | 'ended') => void;

export type LiveSeatMap = {
  /** The map at the writer's current version. */
  readonly map: SeatMapView;
  /** Stops listening. */
  close(): void;
};

/**
 * Seat maps straight from the event writers of this process: a map and its changes as each append commits,
 * before any projection has read them. Wired only where one process holds every event's writer (no NATS):
 * where owners can move between processes, the map comes from the read model.
 */
export type LiveSeatMaps = {
  /** Feed of the event writers' changes (createTicketing's `onEventChange`). */
  readonly onEventChange: (eventId: string, change: WriterChange<TicketedEventEvent, TicketedEventState>) => void;
  /**
   * The event's map and a listener on its changes, when this process holds the event's writer at `minVersion`
   * or later; else undefined.
   */
  open(eventId: string, listener: LiveSeatListener, minVersion?: number): LiveSeatMap | undefined;
  /** Told the id of each event whose writer starts (loads or appends for the first time) in this process. */
  onAvailable(listener: (eventId: string) => void): () => void;
};

export const createLiveSeatMaps = (options: { readonly onError?: (err: unknown, eventId: string) => void } = {}): LiveSeatMaps => {
  const current = new Map<string, { state: TicketedEventState; version: number }>();
  const listeners = new Map<string, Set<LiveSeatListener>>();
  const available = new Set<(eventId: string) => void>();

  const end = (eventId: string): void => {
    current.delete(eventId);
    const ls = listeners.get(eventId);
    listeners.delete(eventId);
    for (const l of ls ?? []) l('ended');
  };

  return {
    onEventChange(eventId, change) {
      if (change.kind === 'forgotten') {
        end(eventId);
        return;
      }
      const known = current.has(eventId);
      current.set(eventId, { state: change.state, version: change.version });
      try {
        const ls = listeners.get(eventId);
        if (ls !== undefined && ls.size > 0) {
          const delta = { version: change.version, ...seatMapChanges(change.before, change.state, change.events) };
          for (const l of ls) l(delta);
        }
        if (!known && change.state.status === 'scheduled') for (const l of available) l(eventId);
      } catch (err) {
        // A map that missed a step is wrong from here on: its readers go back to the read model.
        end(eventId);
        options.onError?.(err, eventId);
      }
    },

    open(eventId, listener, minVersion = -1) {
      const at = current.get(eventId);
      const map = at === undefined || at.version < minVersion ? undefined : seatMapView(at.state, at.version);
      if (map === undefined) return undefined;
      let ls = listeners.get(eventId);
      if (!ls) listeners.set(eventId, (ls = new Set()));
      ls.add(listener);
      const own = ls;
      return {
        map,
        close: () => {
          own.delete(listener);
          if (own.size === 0 && listeners.get(eventId) === own) listeners.delete(eventId);
        },
      };
    },

    onAvailable(listener) {
      available.add(listener);
      return () => available.delete(listener);
    },
  };
};
