export { parseNear, searchRoutes } from './routes.js';
export type { SearchProductions } from './routes.js';
