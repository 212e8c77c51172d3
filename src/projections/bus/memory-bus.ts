import { assertPublishSubject, assertSubscribeSubject, subjectMatches, type Bus, type BusHandler } from './bus.js';
import type { Log } from '../../commands/platform/index.js';

/**
 * The in-process bus of the embedded default. Messages are delivered
 * asynchronously and as a JSON copy, like over the wire, so a subscriber never
 * shares an object with the publisher.
 */
export const createMemoryBus = (deps: { log?: Pick<Log, 'warn'> } = {}): Bus => {
  const subscriptions = new Set<{ pattern: string; handler: BusHandler }>();
  let closed = false;
  return {
    publish: async (subject, message) => {
      assertPublishSubject(subject);
      if (closed) return;
      const text = JSON.stringify(message);
      const targets = [...subscriptions].filter((s) => subjectMatches(s.pattern, subject));
      if (targets.length === 0) return;
      setImmediate(() => {
        for (const s of targets) {
          if (!subscriptions.has(s)) continue;
          try {
            s.handler(JSON.parse(text) as unknown, subject);
          } catch (err) {
            deps.log?.warn({ err, subject }, 'bus subscriber threw');
          }
        }
      });
    },
    subscribe: (pattern, handler) => {
      assertSubscribeSubject(pattern);
      const s = { pattern, handler };
      subscriptions.add(s);
      return () => {
        subscriptions.delete(s);
      };
    },
    ping: async () => {
      if (closed) throw new Error('bus closed');
    },
    close: async () => {
      closed = true;
      subscriptions.clear();
    },
  };
};
