/**
 * A stand-in for the projector thread (projector-thread.test.ts): it reports `started`, publishes
 * which start of the thread it is and its young generation's limit, and in its first start dies with exit code 1 shortly after.
 * Loaded by the test runner as a file of its own, outside a worker, it does nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parentPort, resourceLimits } from 'node:worker_threads';

const port = parentPort;
const marker = process.env.FLAKY_MARKER;
if (port) {
  if (!marker) process.exit(1);
  const first = !existsSync(marker);
  if (first) writeFileSync(marker, 'started once');
  port.postMessage({ type: 'started' });
  port.postMessage({ type: 'lag', lag: [{ projection: 'flaky', events: first ? 1 : 2, seconds: 0 }] });
  port.postMessage({ type: 'bus', subject: 'thread.started', message: { first, youngMb: resourceLimits.maxYoungGenerationSizeMb } });
  if (first) setTimeout(() => process.exit(1), 100);
  else
    port.on('message', (m: { type?: string }) => {
      if (m.type === 'stop') port.close();
    });
}
