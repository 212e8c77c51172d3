export { createAccounts } from './accounts.js';
export type { Accounts } from './accounts.js';
export { accountRoutes } from './routes.js';
