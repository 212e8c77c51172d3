import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what a full collection kept, as a percentage (0: V8's own choice).
 *
 * Left to itself, V8 grows a busy heap by up to four times its live size and keeps that memory after the
 * burst: an on-sale of a 100,000-seat event left 95 MB of live objects in a 290 MB heap, the process at
 * 540 MB. At 50 % the same fill ran at the same rate (docs/benchmarks.md) at 350 MB. The flag is read at every
 * collection, so setting it before the server starts applies it to the whole process, the projector thread
 * included; `node --heap-growing-percent=N` on the command line does the same.
 */
export const limitHeapGrowth = (percent: number): void => {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${String(percent)}`);
};
