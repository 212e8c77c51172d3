import t from 'tap';
import { createMemoryWaitingRoom } from '../../../src/commands/waiting-room/index.js';
import { queueContract } from './contract.js';

t.test('the in-process queue passes the waiting-room contract', async (t) => {
  queueContract(t, async (_t, source) => {
    // In-process, losing the store is a restart of the process: a new, empty queue.
    return { queue: createMemoryWaitingRoom(source), lose: async () => createMemoryWaitingRoom(source) };
  });
});
