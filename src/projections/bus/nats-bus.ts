import { Events, connect, type NatsConnection } from 'nats';
import { assertPublishSubject, assertSubscribeSubject, type Bus } from './bus.js';
import type { Log } from '../../commands/platform/index.js';

export type NatsBusOptions = {
  readonly url: string;
  readonly log: Pick<Log, 'info' | 'warn'>;
  readonly name?: string;
  /** Messages kept while NATS is unreachable, sent when it returns; the oldest are dropped beyond this. */
  readonly maxBuffered?: number;
  readonly reconnectTimeWaitMs?: number;
  readonly pingTimeoutMs?: number;
};

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });

/**
 * The NATS adapter. A configured but unreachable server fails here, at start.
 * Once connected, losing the server never fails `publish`: messages are kept
 * (bounded) while the client reconnects and sent in order when it is back.
 */
export const connectNatsBus = async (options: NatsBusOptions): Promise<Bus> => {
  const { url, log } = options;
  const maxBuffered = options.maxBuffered ?? 10_000;
  const pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url,
      name: options.name ?? 'marquee',
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectTimeWaitMs ?? 1_000,
      ignoreClusterUpdates: true,
      timeout: 5_000,
    });
  } catch (err) {
    throw new Error(`NATS_URL ${url} is unreachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let connected = true;
  let closing = false;
  const pending: { subject: string; data: Uint8Array }[] = [];
  let dropped = 0;

  const send = (subject: string, data: Uint8Array): boolean => {
    try {
      nc.publish(subject, data);
      return true;
    } catch (err) {
      log.warn({ err, subject }, 'NATS publish failed; keeping the message until NATS is back');
      return false;
    }
  };
  const keep = (subject: string, data: Uint8Array): void => {
    pending.push({ subject, data });
    if (pending.length > maxBuffered) {
      pending.shift();
      if (dropped++ % 1000 === 0) log.warn({ dropped, maxBuffered }, 'NATS unreachable: dropping the oldest buffered bus messages');
    }
  };
  const flushPending = (): void => {
    while (connected && pending.length > 0) {
      const next = pending[0];
      if (!next || !send(next.subject, next.data)) return;
      pending.shift();
    }
    if (pending.length === 0 && dropped > 0) {
      log.warn({ dropped }, 'NATS back: some seat-map messages were dropped while it was down');
      dropped = 0;
    }
  };

  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) {
        connected = false;
        if (!closing) log.warn({ url }, 'NATS connection lost; buffering bus messages and reconnecting');
      } else if (s.type === Events.Reconnect) {
        connected = true;
        log.info({ url, buffered: pending.length }, 'NATS connection restored');
        flushPending();
      }
    }
  })().catch((err: unknown) => log.warn({ err }, 'NATS status watcher ended'));

  return {
    publish: async (subject, message) => {
      assertPublishSubject(subject);
      if (closing) return;
      const data = encoder.encode(JSON.stringify(message));
      if (connected && pending.length === 0 && send(subject, data)) return;
      keep(subject, data);
      flushPending();
    },
    subscribe: (pattern, handler) => {
      assertSubscribeSubject(pattern);
      const sub = nc.subscribe(pattern, {
        callback: (err, msg) => {
          if (err) {
            log.warn({ err, pattern }, 'NATS subscription error');
            return;
          }
          let message: unknown;
          try {
            message = JSON.parse(decoder.decode(msg.data)) as unknown;
          } catch (e) {
            log.warn({ err: e, subject: msg.subject }, 'ignoring a bus message that is not JSON');
            return;
          }
          try {
            handler(message, msg.subject);
          } catch (e) {
            log.warn({ err: e, subject: msg.subject }, 'bus subscriber threw');
          }
        },
      });
      return () => {
        if (!nc.isClosed()) sub.unsubscribe();
      };
    },
    ping: async () => {
      if (nc.isClosed()) throw new Error('NATS connection closed');
      if (!connected) throw new Error(`NATS at ${url} is unreachable (reconnecting)`);
      await withTimeout(nc.flush(), pingTimeoutMs, 'NATS ping');
    },
    close: async () => {
      if (closing) return;
      closing = true;
      if (connected) await withTimeout(nc.flush(), pingTimeoutMs, 'NATS flush').catch(() => undefined);
      await nc.close();
    },
  };
};
