export { LEDGER_RECORD_TYPE, applyBatchToLedger, isBookingEvent, ledgerStep, ledgerTableSql, toLedgerRow } from './ledger.js';
export type { BookingEvent, LedgerBooking, LedgerEffect } from './ledger.js';
