/**
 * The change bus: fire-and-forget fan-out of small JSON messages (seat-map
 * deltas). Subjects are dot-separated tokens; subscriptions take NATS wildcards:
 * `*` matches one token, `>` (last) matches one or more.
 * `publish` never fails because the bus is down: adapters buffer or drop with a
 * log, so a command or a projection is never held up by the bus.
 */
export type BusHandler = (message: unknown, subject: string) => void;

export interface Bus {
  publish(subject: string, message: unknown): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(subject: string, handler: BusHandler): () => void;
  /** Throws when the bus cannot be reached (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const TOKEN = /^[^\s.*>]+$/;

/** Throws on an empty token, whitespace or a wildcard in a subject one publishes to. */
export const assertPublishSubject = (subject: string): void => {
  if (!subject.split('.').every((t) => TOKEN.test(t))) throw new Error(`invalid bus subject "${subject}"`);
};

export const assertSubscribeSubject = (subject: string): void => {
  const tokens = subject.split('.');
  const ok = tokens.every((t, i) => TOKEN.test(t) || t === '*' || (t === '>' && i === tokens.length - 1));
  if (!ok) throw new Error(`invalid bus subscription subject "${subject}"`);
};

export const subjectMatches = (pattern: string, subject: string): boolean => {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return p.length === s.length;
};

export const seatMapSubject = (eventId: string): string => `seatmap.${eventId}`;
export const SEATMAP_WILDCARD = 'seatmap.*';
