export { opsRoutes } from './routes.js';
export type { ReadinessCheck } from './routes.js';
