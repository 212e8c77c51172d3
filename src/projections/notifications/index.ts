export { LAPSE_WARNING_MS, NOTIFICATIONS_PROJECTION, notificationsProjection } from './outbox.js';
export type { MessageData, MessageKind } from './outbox.js';
export { renderMessage } from './messages.js';
export type { Message, TicketCode } from './messages.js';
export { logMailer, smtpMailer, startSender } from './sender.js';
export type { Mailer, Sender } from './sender.js';
