export { loadDemoData } from './demo-data.js';
export { loadDemoShowcase, SHOWCASE_PRODUCTION, SHOWCASE_SOLD_OUT } from './showcase.js';
