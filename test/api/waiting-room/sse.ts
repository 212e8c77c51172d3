import { request, type IncomingMessage } from 'node:http';
import type { Test } from 'tap';

export type SseMessage = { readonly event: string; readonly data: unknown };

export type SseClient = {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly messages: SseMessage[];
  /** Resolves once `count` messages have arrived, or rejects after `ms`. */
  readonly waitFor: (count: number, ms?: number) => Promise<SseMessage[]>;
  readonly ended: () => boolean;
  readonly body: () => string;
};

/** Opens an SSE stream with a Bearer token and parses what comes; closed when the test ends. */
export const openStream = (t: Test, url: string, token: string): Promise<SseClient> =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      const messages: SseMessage[] = [];
      let buffer = '';
      let raw = '';
      let ended = false;
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) messages.push({ event, data: JSON.parse(data.join('\n')) as unknown });
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('end', () => {
        ended = true;
        for (const w of waiters.splice(0)) w();
      });
      t.teardown(() => req.destroy());
      resolve({
        status: res.statusCode ?? 0,
        contentType: res.headers['content-type'],
        messages,
        ended: () => ended,
        body: () => raw,
        waitFor: (count, ms = 10_000) =>
          new Promise((ok, fail) => {
            const deadline = setTimeout(() => fail(new Error(`only ${messages.length} of ${count} SSE messages within ${ms} ms`)), ms);
            const check = (): void => {
              if (messages.length >= count) {
                clearTimeout(deadline);
                ok(messages.slice(0, count));
              } else if (ended) {
                clearTimeout(deadline);
                fail(new Error(`the stream ended after ${messages.length} of ${count} messages`));
              } else waiters.push(check);
            };
            check();
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
