import type { paths } from './schema.js';

/** The API's answers by name, taken from the generated OpenAPI types. */

type Json<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type EventPage = Json<'/events', 'get'>;
export type EventItem = EventPage['items'][number];
export type EventDetail = Json<'/events/{id}', 'get'>;
export type Section = EventDetail['sections'][number];
export type Booking = Json<'/bookings/{id}', 'get'>;
export type Ticket = Booking['tickets'][number];
export type Checkout = Json<'/bookings/{id}/checkout', 'post'>;
export type QueuePlace = Json<'/events/{id}/queue/me', 'get'>;
export type Sales = Json<'/events/{id}/sales', 'get'>;
export type Venue = Json<'/venues/{id}', 'get'>;
export type CheckInResult = Json<'/events/{id}/check-ins', 'post'>;
export type Category = NonNullable<NonNullable<paths['/events']['get']['parameters']['query']>['category']>;
export type VenueBody = paths['/venues']['post']['requestBody'] extends { content: { 'application/json': infer B } } | undefined ? B : never;
export type EventBody = paths['/events']['post']['requestBody'] extends { content: { 'application/json': infer B } } | undefined ? B : never;

export const CATEGORIES: readonly Category[] = ['music', 'theatre', 'comedy', 'sports', 'film', 'family', 'other'];

export const categoryLabel = (c: string): string => c.charAt(0).toUpperCase() + c.slice(1);
