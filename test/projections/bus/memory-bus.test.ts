import t from 'tap';
import { createMemoryBus } from '../../../src/projections/bus/index.js';
import { busContract } from './contract.js';

busContract(t, async () => createMemoryBus());
