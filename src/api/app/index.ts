export { DEFAULT_BODY_LIMIT, buildApp, buildOpsApp } from './app.js';
export type { AppConfig, AppDeps, DrainOptions } from './app.js';
