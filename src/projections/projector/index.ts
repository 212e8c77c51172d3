export type { Projection } from './projection.js';
export { prepareProjectorTables, startProjector } from './projector.js';
export type { Projector, WritePressure } from './projector.js';
export { rebuildProjections, selectProjections } from './rebuild.js';
export type { Queryable } from './tables.js';
export { MIN_EVENTS_TO_ANALYZE, shouldAnalyze } from './statistics.js';
