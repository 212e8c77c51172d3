export { createAccounts } from './accounts.js';
export type { Accounts } from './accounts.js';
export { accountRoutes } from './routes.js';
export { accountRecordSchema, countAccounts, hasAccountsTable, insertAccounts, readAccountPage } from './backup.js';
export type { AccountRecord } from './backup.js';
