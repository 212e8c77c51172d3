export { DEFAULT_WEB_ROOT, routePattern, webAppPlugin } from './web-app.js';
export type { WebAppOptions } from './web-app.js';
