import type { WritePressure } from '../../projections/projector/index.js';

/** The share of a window the writers spent in batches from which their appends count as back to back. */
const BUSY_SHARE = 0.5;
const WINDOW_MS = 250;

export type WritePressureMeter = WritePressure & {
  /** One writer batch (decide, durable append, evolve) took `ms`. */
  readonly batch: (ms: number) => void;
  readonly stop: () => void;
};

/**
 * Whether this process's writers are under pressure: in each 250 ms window, did their batches take at least half
 * of it? During an on-sale's burst one append follows another, and that is when the read side should step back
 * (ProjectorDeps.pressure). `onChange` hears each change (the projector thread is told by message).
 */
export const writePressureMeter = (onChange: (busy: boolean) => void = () => undefined): WritePressureMeter => {
  let spent = 0;
  let busy = false;
  const timer = setInterval(() => {
    const now = spent >= BUSY_SHARE * WINDOW_MS;
    spent = 0;
    if (now === busy) return;
    busy = now;
    onChange(busy);
  }, WINDOW_MS);
  timer.unref();
  return {
    batch: (ms) => {
      spent += ms;
    },
    busy: () => busy,
    stop: () => clearInterval(timer),
  };
};
