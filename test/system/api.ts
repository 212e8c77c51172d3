/** A client of the HTTP API over real sockets, as buyers and organizers use it, and what the suite checks against. */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import pg from 'pg';
import { ORGANIZER, sleep, waitFor } from './processes.js';

export type Answer = {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  readonly ms: number;
};

/** What a request that never got an answer reports (connection refused or reset, or no answer in time). */
export type NoAnswer = { readonly status: 0; readonly error: string; readonly ms: number };

/** A client gives up after this long: the request timeout a caller would use. */
export const REQUEST_TIMEOUT_MS = 30_000;

export const call = async (
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | undefined; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer | NoAnswer> => {
  const started = Date.now();
  try {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await r.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    return { status: r.status, headers: r.headers, body, ms: Date.now() - started };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { status: 0, error: `${e.name}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, ms: Date.now() - started };
  }
};

/** The answer, or a thrown error naming what was expected and what came. */
export const expectStatus = async (p: Promise<Answer | NoAnswer>, status: number, what: string): Promise<Answer> => {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify('error' in r ? r.error : r.body)}`);
  return r as Answer;
};

export const signIn = async (base: string): Promise<string> => {
  const r = await expectStatus(call(base, 'POST', '/auth/login', { body: ORGANIZER }), 200, 'organizer sign-in');
  return r.body.token as string;
};

export type Buyer = { readonly id: string; readonly token: string };

export const registerBuyers = async (base: string, n: number, tag = randomUUID().slice(0, 8)): Promise<Buyer[]> => {
  const buyers: Buyer[] = [];
  // A few at a time: password hashing is deliberately slow.
  for (let i = 0; i < n; i += 4) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(4, n - i) }, (_, j) =>
        expectStatus(
          call(base, 'POST', '/auth/register', { body: { email: `buyer-${tag}-${i + j}@system.test`, password: 'buyer-password', name: `Buyer ${i + j}` } }),
          201,
          'register',
        ),
      ),
    );
    for (const r of batch) buyers.push({ id: (r.body.user as { id: string }).id, token: r.body.token as string });
  }
  return buyers;
};

export type OnSale = { readonly eventId: string; readonly seats: readonly string[] };

/** A venue of `rows` rows of `perRow` seats and an event on sale now. */
export const createOnSale = async (base: string, token: string, rows = 10, perRow = 40): Promise<OnSale> => {
  const venue = await expectStatus(
    call(base, 'POST', '/venues', {
      token,
      body: {
        name: 'System Hall',
        address: '1 Loopback Way',
        city: 'Localhost',
        country: 'GB',
        location: { lat: 51.5, lng: -0.12 },
        timezone: 'Europe/London',
        layout: { sections: [{ id: 'A', name: 'Stalls', kind: 'seated', rows: Array.from({ length: rows }, (_, i) => ({ label: String(i + 1), seats: perRow })) }] },
      },
    }),
    201,
    'create venue',
  );
  const event = await expectStatus(
    call(base, 'POST', '/events', {
      token,
      body: {
        venueId: venue.body.id,
        name: `System night ${randomUUID().slice(0, 6)}`,
        category: 'music',
        startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        currency: 'GBP',
        sectionPrices: { A: 2500 },
        onSaleAt: new Date(Date.now() - 60_000).toISOString(),
        holdSeconds: 1800,
        maxTicketsPerUser: 50,
      },
    }),
    201,
    'create event',
  );
  const seats = Array.from({ length: rows * perRow }, (_, i) => `A-${Math.floor(i / perRow) + 1}-${(i % perRow) + 1}`);
  return { eventId: event.body.id as string, seats };
};

export type HoldAttempt = {
  readonly buyer: Buyer;
  readonly seats: readonly string[];
  readonly status: number;
  readonly type?: string | undefined;
  readonly retryAfter?: string | null | undefined;
  readonly bookingId?: string | undefined;
  readonly error?: string | undefined;
  readonly at: number;
  readonly ms: number;
  readonly target: string;
};

export type Storm = {
  readonly attempts: HoldAttempt[];
  /** Stops sending; resolves when every request in flight has its answer. */
  stop(): Promise<HoldAttempt[]>;
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * Many buyers holding at once: each of `buyers` loops, holding 1–2 random seats
 * through `target()` (which API process to ask), until stopped.
 */
export const storm = (options: {
  readonly buyers: readonly Buyer[];
  readonly eventId: string;
  readonly seats: readonly string[];
  readonly target: () => string;
  readonly pauseMs?: number;
}): Storm => {
  const attempts: HoldAttempt[] = [];
  let stopped = false;
  const loops = options.buyers.map(async (buyer) => {
    // A 503 may hide a hold that was recorded: like a careful client, retry it with the same Idempotency-Key.
    let retry: { seats: string[]; key: string } | undefined;
    while (!stopped) {
      const seats = retry?.seats ?? [...new Set([pick(options.seats), ...(Math.random() < 0.5 ? [pick(options.seats)] : [])])];
      const key = retry?.key ?? randomUUID();
      const target = options.target();
      const started = Date.now();
      const r = await call(target, 'POST', `/events/${options.eventId}/bookings`, {
        token: buyer.token,
        body: { seats },
        headers: { 'idempotency-key': key },
      });
      retry = r.status === 503 || r.status === 0 ? { seats, key } : undefined;
      attempts.push({
        buyer,
        seats,
        status: r.status,
        at: started,
        ms: r.ms,
        target,
        ...('error' in r
          ? { error: r.error }
          : { type: r.body.type as string | undefined, retryAfter: r.headers.get('retry-after'), bookingId: r.status === 201 ? (r.body.id as string) : undefined }),
      });
      if (r.status === 503) await sleep(200);
      else if (options.pauseMs) await sleep(options.pauseMs);
    }
  });
  return {
    attempts,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return attempts;
    },
  };
};

/** A hold the system decided: held, or refused for a reason of the domain (taken seats, the ticket limit). */
export const decided = (a: HoldAttempt): boolean =>
  a.status === 201 || (a.status === 409 && (a.type === 'seats-unavailable' || a.type === 'ticket-limit'));

export const acknowledged = (attempts: readonly HoldAttempt[]): HoldAttempt[] => attempts.filter((a) => a.status === 201);

/** Counts of `status type` over the attempts, for messages. */
export const tally = (attempts: readonly HoldAttempt[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const a of attempts) {
    const key = a.status === 0 ? `no answer (${a.error})` : `${a.status}${a.type ? ` ${a.type}` : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

/** The seat map as GET /events/:id/seats serves it: seat id → A, H or S. */
export const seatMap = async (base: string, eventId: string): Promise<{ version: number; seats: Map<string, string> }> => {
  const r = await expectStatus(call(base, 'GET', `/events/${eventId}/seats`), 200, 'seat map');
  return { version: r.body.version as number, seats: seatsOf(r.body) };
};

type SeatMapBody = { sections?: { id: string; kind: string; rows?: { label: string; seats: string }[] }[] };

const seatsOf = (body: unknown): Map<string, string> => {
  const seats = new Map<string, string>();
  for (const s of (body as SeatMapBody).sections ?? [])
    for (const row of s.rows ?? []) [...row.seats].forEach((c, i) => seats.set(`${s.id}-${row.label}-${i + 1}`, c));
  return seats;
};

export const notAvailable = (seats: ReadonlyMap<string, string>): Map<string, string> =>
  new Map([...seats].filter(([, c]) => c !== 'A'));

/**
 * The stream's own account of who holds what, folded from the event store
 * table: seat → booking id. Throws if any seat was ever held twice at once.
 */
export const heldInStream = async (databaseUrl: string, eventId: string): Promise<{ seats: Map<string, string>; version: number }> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const r = await client.query<{ type: string; data: { bookingId?: string; seats?: string[] }; version: number }>(
      'SELECT type, data, version FROM event_store.events WHERE stream = $1 ORDER BY version',
      [`event-${eventId}`],
    );
    const seats = new Map<string, string>();
    for (const e of r.rows) {
      if (e.type === 'SeatsHeld')
        for (const seat of e.data.seats ?? []) {
          const holder = seats.get(seat);
          if (holder) throw new Error(`seat ${seat} held by ${e.data.bookingId} while ${holder} holds it`);
          seats.set(seat, e.data.bookingId!);
        }
      if (e.type === 'HoldReleased') for (const seat of e.data.seats ?? []) seats.delete(seat);
    }
    return { seats, version: r.rows.at(-1)?.version ?? -1 };
  } finally {
    await client.end();
  }
};

/** Waits until the seat map served by `base` shows exactly the seats the stream holds. */
export const waitForSeatMapToMatchStream = async (base: string, databaseUrl: string, eventId: string, ms = 90_000): Promise<void> => {
  let last = '';
  await waitFor(
    'the seat map to agree with the stream',
    async () => {
      const [map, stream] = await Promise.all([seatMap(base, eventId), heldInStream(databaseUrl, eventId)]);
      const shown = notAvailable(map.seats);
      const same = shown.size === stream.seats.size && [...stream.seats.keys()].every((s) => shown.get(s) === 'H');
      last = `map v${map.version} shows ${shown.size}, stream v${stream.version} holds ${stream.seats.size}`;
      return same;
    },
    ms,
    250,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}: ${last}`);
  });
};

export type SeatFollower = {
  /** Seat id → status as the stream's messages have it. */
  readonly seats: Map<string, string>;
  version(): number;
  readonly snapshots: () => number;
  readonly reconnects: () => number;
  close(): void;
};

/**
 * An SSE client of GET /events/:id/seats/stream that folds snapshot and deltas,
 * and reconnects with Last-Event-ID whenever the stream ends or fails, as EventSource does.
 */
export const followSeatMap = (base: () => string, eventId: string): SeatFollower => {
  const seats = new Map<string, string>();
  let version = -1;
  let snapshots = 0;
  let reconnects = 0;
  let closed = false;
  let current: ReturnType<typeof httpRequest> | undefined;
  const connectOnce = (): Promise<void> =>
    new Promise((resolve) => {
      const req = httpRequest(
        `${base()}/events/${eventId}/seats/stream`,
        { headers: { accept: 'text/event-stream', ...(version >= 0 ? { 'last-event-id': String(version) } : {}) } },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            res.resume();
            res.on('end', resolve);
            return;
          }
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let cut: number;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              let event = '';
              let data = '';
              for (const line of block.split('\n')) {
                if (line.startsWith('event: ')) event = line.slice(7);
                else if (line.startsWith('data: ')) data += line.slice(6);
              }
              if (!data) continue;
              const body = JSON.parse(data) as { version: number; changes?: Record<string, string> };
              if (event === 'snapshot') {
                snapshots += 1;
                seats.clear();
                for (const [k, v] of seatsOf(body)) seats.set(k, v);
              } else if (event === 'seats') for (const [k, v] of Object.entries(body.changes ?? {})) seats.set(k, v);
              version = body.version;
            }
          });
          res.on('end', resolve);
          res.on('error', () => resolve());
          res.on('close', resolve);
        },
      );
      req.on('error', () => resolve());
      current = req;
      req.end();
    });
  void (async () => {
    while (!closed) {
      await connectOnce();
      if (closed) break;
      reconnects += 1;
      await sleep(250);
    }
  })();
  return {
    seats,
    version: () => version,
    snapshots: () => snapshots,
    reconnects: () => reconnects,
    close() {
      closed = true;
      current?.destroy();
    },
  };
};

/** Waits until the follower's seats show exactly what the stream holds. */
export const waitForFollowerToMatchStream = async (f: SeatFollower, databaseUrl: string, eventId: string, ms = 90_000): Promise<void> => {
  let last = '';
  await waitFor(
    'the SSE seat map to agree with the stream',
    async () => {
      const stream = await heldInStream(databaseUrl, eventId);
      const shown = notAvailable(f.seats);
      last = `SSE v${f.version()} shows ${shown.size} (after ${f.snapshots()} snapshots, ${f.reconnects()} reconnects), stream v${stream.version} holds ${stream.seats.size}`;
      return shown.size === stream.seats.size && [...stream.seats.keys()].every((s) => shown.get(s) === 'H');
    },
    ms,
    250,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}: ${last}`);
  });
};

/** Every hold answered 201 is still there, held, with the same seats, and the stream says the same. */
export const checkAcknowledged = async (
  base: string,
  databaseUrl: string,
  eventId: string,
  attempts: readonly HoldAttempt[],
): Promise<{ checked: number; problems: string[] }> => {
  const problems: string[] = [];
  const stream = await heldInStream(databaseUrl, eventId);
  const ok = acknowledged(attempts);
  for (let i = 0; i < ok.length; i += 16) {
    await Promise.all(
      ok.slice(i, i + 16).map(async (a) => {
        const r = await call(base, 'GET', `/bookings/${a.bookingId}`, { token: a.buyer.token });
        if (r.status !== 200) return void problems.push(`booking ${a.bookingId}: GET answered ${r.status}`);
        const b = (r as Answer).body as { status: string; seats: string[] };
        if (b.status !== 'held') problems.push(`booking ${a.bookingId} is ${b.status}`);
        if ([...b.seats].sort().join() !== [...a.seats].sort().join()) problems.push(`booking ${a.bookingId} has ${b.seats} not ${a.seats}`);
        for (const seat of a.seats)
          if (stream.seats.get(seat) !== a.bookingId) problems.push(`stream gives ${seat} to ${stream.seats.get(seat)}, not ${a.bookingId}`);
      }),
    );
  }
  return { checked: ok.length, problems };
};
