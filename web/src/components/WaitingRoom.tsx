import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage, isProblem, problemMessage } from '../api/problems.js';
import type { QueuePlace } from '../api/types.js';
import { formatWait, formatWhen } from '../format.js';
import { here } from '../router.js';
import { pathTo } from '../routes.js';
import { session, useSession } from '../session.js';
import { Alert, Spinner } from './ui.js';

export type Admission = { readonly token: string; readonly expiresAt: string };

const key = (eventId: string) => `marquee.access.${eventId}`;

/** The waiting room's access token for an event, while it is valid (kept for this tab). */
export const storedAdmission = (eventId: string): Admission | undefined => {
  try {
    const a = JSON.parse(sessionStorage.getItem(key(eventId)) ?? 'null') as Admission | null;
    return a && Date.parse(a.expiresAt) > Date.now() ? a : undefined;
  } catch {
    return undefined;
  }
};

export const forgetAdmission = (eventId: string): void => sessionStorage.removeItem(key(eventId));

const admitted = (eventId: string, p: QueuePlace): Admission | undefined => {
  if (p.state !== 'admitted' || !p.accessToken || !p.accessExpiresAt) return undefined;
  const a = { token: p.accessToken, expiresAt: p.accessExpiresAt };
  sessionStorage.setItem(key(eventId), JSON.stringify(a));
  return a;
};

const placeText = (p: QueuePlace): string =>
  p.state === 'admitted'
    ? 'It is your turn. Taking you to the seat map…'
    : `You are number ${p.position.toLocaleString('en-GB')} in line. ${
        p.ahead === 0 ? 'Nobody is ahead of you.' : `${p.ahead.toLocaleString('en-GB')} ${p.ahead === 1 ? 'person is' : 'people are'} ahead of you.`
      } Estimated wait: ${formatWait(p.etaSeconds)}.`;

/**
 * The virtual waiting room: join, then the place (role `status`) from the
 * queue's SSE stream (signed in through `?access_token=`, which EventSource
 * needs), and `onAdmitted` with the access token when it is this buyer's turn.
 */
export const WaitingRoom = ({
  eventId,
  opensAt,
  timeZone,
  note,
  onAdmitted,
}: {
  eventId: string;
  opensAt: string | undefined;
  timeZone: string;
  note?: string | undefined;
  onAdmitted: (a: Admission) => void;
}) => {
  const s = useSession();
  const [place, setPlace] = useState<QueuePlace | undefined>();
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState<string | undefined>();
  const [joining, setJoining] = useState(false);

  // Already in the queue (a reload)? Then follow the place; else offer to join.
  useEffect(() => {
    if (!s) return setChecking(false);
    ok(api.GET('/events/{id}/queue/me', { params: { path: { id: eventId } } })).then(
      (p) => {
        setChecking(false);
        const a = admitted(eventId, p);
        if (a) onAdmitted(a);
        else setPlace(p);
      },
      (err) => {
        setChecking(false);
        if (!(err instanceof ApiError && err.status === 404)) setError(errorMessage(err));
      },
    );
  }, [eventId, s?.token]);

  const waiting = place?.state === 'waiting';
  useEffect(() => {
    if (!waiting || !session.value) return;
    const token = encodeURIComponent(session.value.token);
    const source = new EventSource(`/events/${encodeURIComponent(eventId)}/queue/stream?access_token=${token}`);
    source.onmessage = (e: MessageEvent<string>) => {
      const p = JSON.parse(e.data) as QueuePlace;
      setError(undefined);
      const a = admitted(eventId, p);
      if (a) {
        source.close();
        setPlace(p);
        onAdmitted(a);
      } else setPlace(p);
    };
    source.addEventListener('problem', (e) => {
      source.close();
      const body: unknown = JSON.parse((e as MessageEvent<string>).data);
      setPlace(undefined);
      setError(isProblem(body) ? problemMessage(body) : 'Your place in the queue was lost. Join again.');
    });
    return () => source.close();
  }, [waiting, eventId]);

  const join = async () => {
    setJoining(true);
    setError(undefined);
    try {
      const p = await ok(api.POST('/events/{id}/queue', { params: { path: { id: eventId } } }));
      const a = admitted(eventId, p);
      if (a) onAdmitted(a);
      else setPlace(p);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setJoining(false);
    }
  };

  const opening = opensAt && Date.parse(opensAt) > Date.now() ? formatWhen(opensAt, timeZone) : undefined;
  return (
    <section class="waiting-room card" aria-labelledby="waiting-room-heading">
      <h2 id="waiting-room-heading">Waiting room</h2>
      <p>
        Lots of people want tickets for this event, so buyers take turns. {opening ? `The queue opens ${opening}; everyone who joins before then gets a random place. ` : ''}
        Keep this page open: it moves on by itself when it is your turn.
      </p>
      {note ? <Alert tone="warning">{note}</Alert> : null}
      {checking ? <Spinner label="Checking your place" /> : null}
      {place ? (
        <div class="queue-place">
          <p role="status" class="queue-status">
            {placeText(place)}
          </p>
        </div>
      ) : !checking ? (
        s ? (
          <button type="button" class="button button-large" onClick={() => void join()} disabled={joining}>
            {joining ? 'Joining…' : 'Join the queue'}
          </button>
        ) : (
          <p>
            <a class="button" href={`${pathTo('signIn')}?next=${encodeURIComponent(here())}`}>
              Sign in to join the queue
            </a>
          </p>
        )
      ) : null}
      <Alert>{error}</Alert>
    </section>
  );
};
