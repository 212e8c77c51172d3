import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage } from '../api/problems.js';
import type { EventDetail } from '../api/types.js';
import { Alert, Field, PageTitle } from '../components/ui.js';
import { pathTo } from '../routes.js';
import { ConsoleNav, OrganizerOnly } from './guard.js';

type Scan = { readonly at: number; readonly tone: 'success' | 'warning' | 'error'; readonly text: string };

type Detector = { detect: (source: CanvasImageSource) => Promise<{ rawValue: string }[]> };
type DetectorClass = new (opts: { formats: string[] }) => Detector;

const detectorClass = (): DetectorClass | undefined => (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;

/** Scans QR codes from the device camera with the browser's BarcodeDetector, one code at a time. */
const Camera = ({ onCode }: { onCode: (code: string) => void }) => {
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const Barcode = detectorClass();

  useEffect(() => {
    if (!on || !Barcode) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    let last = '';
    const detector = new Barcode({ formats: ['qr_code'] });
    const loop = async () => {
      while (!stopped) {
        const v = video.current;
        if (v && v.readyState >= 2) {
          const codes = await detector.detect(v).catch(() => []);
          const code = codes[0]?.rawValue;
          if (code && code !== last) {
            last = code;
            onCode(code);
            setTimeout(() => (last = ''), 3000);
          }
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play();
        }
        void loop();
      })
      .catch(() => {
        setError('The camera is not available (blocked, or in use). Type the code instead.');
        setOn(false);
      });
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on]);

  if (!Barcode)
    return (
      <p class="camera muted small">This browser cannot read QR codes from the camera. Type or paste the code, or use a scanner that types it.</p>
    );
  return (
    <div class="camera">
      <button type="button" class="button button-secondary" aria-pressed={on} onClick={() => setOn(!on)}>
        {on ? 'Stop camera' : 'Scan with camera'}
      </button>
      {on ? <video ref={video} class="camera-view" muted playsInline aria-label="Camera view" /> : null}
      <Alert>{error}</Alert>
    </div>
  );
};

const Desk = ({ id }: { id: string }) => {
  const [event, setEvent] = useState<EventDetail | undefined>();
  const [code, setCode] = useState('');
  const [scans, setScans] = useState<Scan[]>([]);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void ok(api.GET('/events/{id}', { params: { path: { id } } })).then(setEvent, () => undefined);
  }, [id]);

  const checkIn = async (raw: string) => {
    const value = raw.trim();
    if (!value) return;
    setBusy(true);
    try {
      const r = await ok(api.POST('/events/{id}/check-ins', { params: { path: { id } }, body: { code: value } }));
      const section = event?.sections.find((s) => s.id === r.section)?.name ?? r.section;
      setScans((s) => [{ at: Date.now(), tone: 'success' as const, text: `Checked in: ${r.seat ? `seat ${r.seat}` : 'standing'} (${section}).` }, ...s].slice(0, 20));
      setCode('');
    } catch (err) {
      const tone = err instanceof ApiError && err.type === 'already-checked-in' ? 'warning' : 'error';
      setScans((s) => [{ at: Date.now(), tone, text: errorMessage(err) } as Scan, ...s].slice(0, 20));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const latest = scans[0];
  return (
    <>
      <PageTitle title="Check in tickets">Check in tickets</PageTitle>
      <p class="muted">
        {event ? event.name : ''} · <a href={pathTo('manageEvent', { id })}>Back to the event</a>
      </p>
      <ConsoleNav current="checkIn" />
      <div class="checkin-grid">
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            void checkIn(code);
          }}
        >
          <Field label="Ticket code" hint="Type, paste or scan the code printed under the ticket's QR code.">
            {(p) => <input {...p} ref={input} value={code} autoComplete="off" spellcheck={false} onInput={(e) => setCode(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="button button-large" disabled={busy || !code.trim()}>
            Check in
          </button>
          <Camera onCode={(c) => void checkIn(c)} />
        </form>
        <section class="card" aria-labelledby="scans-heading">
          <h2 id="scans-heading">Last scans</h2>
          {latest ? (
            <div class={`scan-result scan-${latest.tone}`}>
              <Alert tone={latest.tone}>{latest.text}</Alert>
            </div>
          ) : (
            <p class="muted">No tickets scanned yet.</p>
          )}
          <ul class="scan-list">
            {scans.slice(1).map((s) => (
              <li class={`scan-${s.tone}`}>
                <time>{new Date(s.at).toLocaleTimeString('en-GB')}</time> {s.text}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
};

export const CheckIn = ({ id }: { id: string }) => (
  <OrganizerOnly>
    <Desk id={id} />
  </OrganizerOnly>
);
