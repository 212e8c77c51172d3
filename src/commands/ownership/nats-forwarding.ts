import { ErrorCode, Events, connect, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { Log } from '../platform/index.js';
import { decodeReply, decodeRequest, encode, type ForwardReply, type ForwardRequest } from './wire.js';

/**
 * Request-reply to a subject per event: the owner subscribes to
 * `marquee.writer.<eventId>` in one queue group, so each command reaches one
 * subscriber even while an old and a new owner overlap, and a command for an
 * event nobody serves is answered "no responders" by the NATS server at once,
 * which is how a caller learns that the event needs an owner.
 */
export type Forwarding = {
  /** Serves an owned event's subject until the returned stop() (which lets the messages already delivered finish). */
  serve(eventId: string, handle: (request: ForwardRequest) => Promise<ForwardReply>): { stop(): Promise<void> };
  request(request: ForwardRequest, timeoutMs: number): Promise<ForwardReply | 'no-responders' | 'timeout'>;
  /** False while the client reconnects: nothing can be forwarded then. */
  connected(): boolean;
  close(): Promise<void>;
};

export const writerSubject = (eventId: string): string => `marquee.writer.${eventId}`;

const QUEUE_GROUP = 'owner';

export const connectNatsForwarding = async (options: {
  readonly url: string;
  readonly log: Pick<Log, 'warn' | 'info'>;
}): Promise<Forwarding> => {
  const { log } = options;
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: options.url, name: 'marquee-writer-forwarding', maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  } catch (err) {
    throw new Error(`cannot reach NATS at NATS_URL: ${(err as Error).message}`, { cause: err });
  }
  let up = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) up = false;
      else if (s.type === Events.Reconnect) up = true;
    }
  })().catch(() => undefined);

  return {
    serve(eventId, handle) {
      const inFlight = new Set<Promise<void>>();
      const respond = async (msg: Msg): Promise<void> => {
        let reply: ForwardReply;
        try {
          reply = await handle(decodeRequest(msg.data));
        } catch (err) {
          reply = { error: { kind: 'internal', message: (err as Error).message } };
        }
        // The caller may be gone, or the connection away: its own timeout answers it then.
        if (!msg.respond(encode(reply))) log.warn({ eventId }, 'forwarded command answered with no way back to the caller');
      };
      const sub: Subscription = nc.subscribe(writerSubject(eventId), {
        queue: QUEUE_GROUP,
        callback: (err, msg) => {
          if (err) return;
          const p = respond(msg).finally(() => inFlight.delete(p));
          inFlight.add(p);
        },
      });
      return {
        async stop() {
          if (!sub.isClosed()) await sub.drain().catch(() => sub.unsubscribe());
          await Promise.all([...inFlight]);
        },
      };
    },

    async request(request, timeoutMs) {
      try {
        const msg = await nc.request(writerSubject(request.eventId), encode(request), { timeout: Math.max(1, Math.round(timeoutMs)) });
        return decodeReply(msg.data);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === ErrorCode.NoResponders) return 'no-responders';
        if (code === ErrorCode.Timeout) return 'timeout';
        throw err;
      }
    },

    connected: () => up && !nc.isClosed(),

    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
};
