import t from 'tap';
import { createMemoryBus } from '../../src/projections/memory-bus.js';
import { busContract } from './bus-contract.js';

busContract(t, async () => createMemoryBus());
