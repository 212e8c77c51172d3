export { buildApp } from './app.js';
export type { Admission, AppDeps } from './app.js';
