import type { MessagePort } from 'node:worker_threads';
import type { Log } from '../../commands/platform/index.js';
import type { Bus } from './bus.js';
import { createMemoryBus } from './memory-bus.js';

/** What a port bus posts for each message; the other thread publishes it on its own bus. */
export type PortBusMessage = { readonly type: 'bus'; readonly subject: string; readonly message: unknown };

export const isPortBusMessage = (m: unknown): m is PortBusMessage =>
  typeof m === 'object' &&
  m !== null &&
  (m as { type?: unknown }).type === 'bus' &&
  typeof (m as { subject?: unknown }).subject === 'string';

/**
 * The bus of a worker thread whose process has no NATS: messages reach this thread's
 * subscribers and are posted to the parent, which publishes them on its in-process bus
 * (where the seat-map hub listens).
 */
export const createPortBus = (port: Pick<MessagePort, 'postMessage'>, deps: { log?: Pick<Log, 'warn'> } = {}): Bus => {
  const local = createMemoryBus(deps);
  return {
    ...local,
    publish: async (subject, message) => {
      await local.publish(subject, message);
      const posted: PortBusMessage = { type: 'bus', subject, message };
      port.postMessage(posted);
    },
  };
};
