export { getProduction, listProductions, PRODUCTIONS_PROJECTION, productionsProjection } from './productions.js';
export type { ProductionItem, ProductionQuery, ProductionRef } from './productions.js';
