export { rebuildCommand } from './rebuild.js';
export { reconcilePaymentsCommand } from './reconcile-payments.js';
