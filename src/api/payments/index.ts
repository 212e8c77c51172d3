export { bookingPagePath, formatInZone, formatMoney, payPage } from './pay-page.js';
export type { LocalPayPort, PayPageOptions } from './pay-page.js';
export { checkInBody, checkInSchema, checkoutSchema, paymentRoutes } from './routes.js';
export type { LocateBooking, PaymentRoutesOptions } from './routes.js';
