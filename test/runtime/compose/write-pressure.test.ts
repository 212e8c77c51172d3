import t from 'tap';
import { writePressureMeter } from '../../../src/runtime/compose/write-pressure.js';

const windowPassed = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

t.test('writers that spend half of a window in batches are busy; a quiet window ends it', async (t) => {
  const heard: boolean[] = [];
  const meter = writePressureMeter((busy) => heard.push(busy));
  t.teardown(() => meter.stop());
  t.equal(meter.busy(), false, 'not busy before any batch');
  // Batches adding up to a whole window, as back-to-back appends do.
  for (let i = 0; i < 25; i++) meter.batch(10);
  await windowPassed();
  t.equal(meter.busy(), true);
  await windowPassed();
  t.equal(meter.busy(), false, 'a window without batches');
  t.same(heard, [true, false], 'each change heard once');
});

t.test('a few short batches are no pressure', async (t) => {
  const meter = writePressureMeter();
  t.teardown(() => meter.stop());
  meter.batch(5);
  meter.batch(5);
  await windowPassed();
  t.equal(meter.busy(), false);
});
