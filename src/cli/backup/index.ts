export { formatPosition, serializeEvent, writeChunk } from './event-lines.js';
export { exportCommand } from './export.js';
export { importCommand } from './import.js';
