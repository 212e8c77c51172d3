export { salesProjection } from './sales.js';
