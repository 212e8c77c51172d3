export { getProduction, listProductions, PRODUCTIONS_PROJECTION, productionsOfEvents, productionsProjection } from './productions.js';
export type { ProductionItem, ProductionQuery, ProductionRef } from './productions.js';
