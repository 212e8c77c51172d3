export { notFound, organizerRoutes } from './routes.js';
export { ticketingPort } from './ticketing-port.js';
export { organizerListingRoutes } from './listing-routes.js';
export { eventDetailFromState } from './views.js';
