export { WEBHOOK_SECRET_NAME, webhookSecretsFrom, wirePayments } from './routes.js';
