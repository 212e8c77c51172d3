export { MAX_BATCH, productionRoutes } from './routes.js';
export type { ProductionReads, ProductionRoutesDeps } from './routes.js';
