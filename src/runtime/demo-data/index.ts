export { loadDemoData } from './demo-data.js';
