import { useEffect, useRef, useState } from 'preact/hooks';
import { applyDelta, fromSnapshot, type SeatCode, type SeatMapState, type WireDelta, type WireSnapshot } from './store.js';

export type SeatMapFeed = {
  readonly map: SeatMapState | undefined;
  /** false while the stream is reconnecting (the browser resumes it with Last-Event-ID). */
  readonly live: boolean;
  readonly error: string | undefined;
};

/**
 * The live seat map of an event from GET /events/:id/seats/stream: the
 * snapshot, then coalesced deltas. `onChange` hears every seat that changed
 * (to drop a picked seat someone else just took).
 */
export const useSeatMap = (eventId: string, onChange?: (changed: ReadonlyMap<string, SeatCode>) => void): SeatMapFeed => {
  const [map, setMap] = useState<SeatMapState | undefined>();
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  useEffect(() => {
    let current: SeatMapState | undefined;
    const source = new EventSource(`/events/${encodeURIComponent(eventId)}/seats/stream`);
    source.addEventListener('snapshot', (e) => {
      current = fromSnapshot(JSON.parse((e as MessageEvent<string>).data) as WireSnapshot);
      setMap(current);
      setLive(true);
      setError(undefined);
    });
    source.addEventListener('seats', (e) => {
      if (!current) return;
      const { map: next, changed } = applyDelta(current, JSON.parse((e as MessageEvent<string>).data) as WireDelta);
      current = next;
      setMap(next);
      if (changed.size > 0) changeRef.current?.(changed);
    });
    source.onopen = () => setLive(true);
    source.onerror = () => {
      setLive(false);
      if (source.readyState === EventSource.CLOSED) setError('The live seat map is unavailable. Reload the page to try again.');
    };
    return () => source.close();
  }, [eventId]);

  return { map, live, error };
};
