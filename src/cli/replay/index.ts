export { replayCommand } from './replay.js';
