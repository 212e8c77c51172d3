export { startHoldSweeper } from './hold-sweeper.js';
