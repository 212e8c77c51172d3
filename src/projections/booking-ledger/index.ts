export { LEDGER_RECORD_TYPE, applyBatchToLedger, ledgerStep, ledgerTableSql, toLedgerRow } from './ledger.js';
export type { LedgerBooking, LedgerEffect } from './ledger.js';
