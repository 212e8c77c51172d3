import { z } from 'zod';

/**
 * Zod schemas of the HTTP API (docs/api.md). Request schemas are strict (unknown fields
 * are a 400); response schemas are not, so adding a field never breaks a route.
 */

export const isoTime = z.iso.datetime({ offset: true }).describe('ISO 8601 time');
export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as GBP')
  .describe('ISO 4217 currency');
export const minor = z.number().int().min(0).max(100_000_000).describe('money in minor units');
const code = z.string().regex(/^[A-Za-z0-9]{1,16}$/, 'letters and digits, 1 to 16');

/** A resource id in the path. Not a UUID: 404, since such an id names nothing (see toProblem). */
export const idParams = z.strictObject({ id: z.uuid() });

export const isUuid = (value: string): boolean => z.uuid().safeParse(value).success;

export const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** Response arrays are readonly, so the domain's readonly arrays fit them. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: list(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

export const problemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string().optional() })
  .catchall(z.unknown())
  .describe('RFC 9457 problem details (application/problem+json)');

// ---- accounts

export const role = z.enum(['customer', 'organizer']);
export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role });
export const email = z.email().max(254);
export const registerBody = z.strictObject({
  email,
  password: z.string().min(8).max(200),
  name: z.string().trim().min(1).max(100),
});
export const loginBody = z.strictObject({ email: z.string().min(1).max(254), password: z.string().min(1).max(200) });
export const sessionSchema = z.object({ token: z.string(), user: userSchema });

// ---- venues

export const geoPoint = z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
const seatRow = z.strictObject({ label: code, seats: z.number().int().min(1).max(1000) });
const seatedSection = z.strictObject({
  id: code,
  name: z.string().trim().min(1).max(100),
  kind: z.literal('seated'),
  rows: z.array(seatRow).min(1).max(1000),
});
const standingSection = z.strictObject({
  id: code,
  name: z.string().trim().min(1).max(100),
  kind: z.literal('standing'),
  capacity: z.number().int().min(1).max(1_000_000),
});
export const layoutSchema = z.strictObject({
  sections: z
    .array(z.discriminatedUnion('kind', [seatedSection, standingSection]))
    .min(1)
    .max(500),
});

export const venueBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(300),
  city: z.string().trim().min(1).max(100),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as GB'),
  location: geoPoint,
  timezone: z.string().min(1).max(64),
  layout: layoutSchema,
});

export const venueSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  city: z.string(),
  country: z.string(),
  location: z.object({ lat: z.number(), lng: z.number() }),
  timezone: z.string(),
  layout: z.object({ sections: list(z.unknown()) }).describe('the layout as registered'),
  capacity: z.number().int(),
});

// ---- events

export const category = z.enum(['music', 'theatre', 'comedy', 'sports', 'film', 'family', 'other']);
const performers = z.array(z.string().trim().min(1).max(100)).max(20);

export const eventBody = z.strictObject({
  venueId: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  category,
  performers: performers.default([]),
  production: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('a film or show with many showtimes: events naming it are listed together'),
  startsAt: isoTime,
  currency,
  sectionPrices: z.record(code, minor),
  onSaleAt: isoTime.optional().describe('default: now'),
  holdSeconds: z.number().int().min(60).max(1800).default(300),
  maxTicketsPerUser: z.number().int().min(1).max(50).default(8),
});

export const eventPatchBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000),
    category,
    performers,
    startsAt: isoTime,
    onSaleAt: isoTime,
    sectionPrices: z.record(code, minor),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export const cancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).nullish();

export const eventStatus = z.enum(['scheduled', 'cancelled']);
const performerRef = z.object({ id: z.string(), name: z.string() });
const venueRef = z.object({ id: z.string(), name: z.string(), city: z.string(), location: z.object({ lat: z.number(), lng: z.number() }) });

export const eventItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  performers: list(performerRef),
  startsAt: z.string(),
  venue: venueRef,
  priceFrom: z.number().int().nullable(),
  currency: z.string(),
  available: z.number().int(),
  capacity: z.number().int(),
  status: eventStatus,
  distanceKm: z.number().optional(),
  production: z.object({ id: z.string(), name: z.string() }).optional().describe('the production this is a showtime of'),
});

export const sectionPriceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['seated', 'standing']),
  price: z.number().int(),
  capacity: z.number().int(),
});

export const eventDetailSchema = eventItemSchema.extend({
  description: z.string(),
  sections: list(sectionPriceSchema),
  holdSeconds: z.number().int(),
  maxTicketsPerUser: z.number().int(),
  onSaleAt: z.string(),
  waitingRoom: z.object({
    enabled: z.boolean(),
    opensAt: z.string().optional(),
    admitPerMinute: z.number().int().optional(),
    accessSeconds: z.number().int().optional(),
  }),
});

export const salesSchema = z.object({
  sold: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  revenue: z.number().int(),
  currency: z.string(),
});

// ---- bookings

export const seatId = z
  .string()
  .regex(/^[A-Za-z0-9]{1,16}-[A-Za-z0-9]{1,16}-[1-9][0-9]{0,3}$/, 'a seat id such as A-1-7')
  .describe('a seat: `<section id>-<row label>-<seat number>`, e.g. A-1-7 (ids and labels 1 to 16 letters or digits, numbers 1 to 9999)');
export const bestAvailable = z
  .strictObject({
    quantity: z.number().int().min(1).max(50),
    sectionId: code.optional(),
    maxPrice: minor.optional().describe('only sections priced at most this'),
    together: z.boolean().default(true).describe('one row, consecutive numbers'),
  })
  .describe('the writer picks the best seats that fit: front row first, then nearest the centre, then cheapest');

export const holdBody = z
  .strictObject({
    seats: z.array(seatId).max(50).default([]),
    standing: z
      .array(z.strictObject({ sectionId: code, quantity: z.number().int().min(1).max(50) }))
      .max(20)
      .default([]),
    best: bestAvailable.optional(),
  })
  .refine((b) => b.seats.length + b.standing.length > 0 || b.best !== undefined, 'ask for at least one seat or standing place')
  .refine((b) => b.best === undefined || b.seats.length === 0, 'name seats or ask for the best available, not both')
  .refine((b) => new Set(b.seats).size === b.seats.length, 'a seat is named twice')
  .refine((b) => new Set(b.standing.map((s) => s.sectionId)).size === b.standing.length, 'a standing section is named twice');

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
  'x-access-token': z.string().max(4000).optional(),
});

export const ticketSchema = z.object({
  id: z.string(),
  seat: z.string().optional().describe('the seat id, `<section>-<row>-<number>` (absent for standing)'),
  section: z.string(),
  code: z.string().optional().describe('signed; a scanner verifies it at the door'),
  checkedInAt: z.string().optional(),
});

export const bookingStatus = z.enum(['held', 'payment_pending', 'confirmed', 'released', 'expired', 'refunded', 'cancelled']);
const eventRef = z.object({ name: z.string(), startsAt: z.string(), venueName: z.string() });

export const bookingSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  status: bookingStatus,
  seats: list(z.string().describe('a seat id, `<section>-<row>-<number>`')),
  standing: list(z.object({ sectionId: z.string(), quantity: z.number().int() })),
  amount: z.number().int(),
  currency: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  paymentId: z.string().optional(),
  tickets: list(ticketSchema),
  event: eventRef.optional(),
});

export const myTicketSchema = ticketSchema.extend({
  bookingId: z.string(),
  eventId: z.string(),
  issuedAt: z.string().optional(),
  event: eventRef.optional(),
});

// ---- seat map

export const seatMapSchema = z.object({
  eventId: z.string(),
  version: z.number().int(),
  currency: z.string().optional(),
  sections: list(
    z.union([
      z.object({
        id: z.string(),
        name: z.string().optional(),
        kind: z.literal('seated'),
        price: z.number().int(),
        rows: list(
          z.object({
            label: z.string(),
            seats: z
              .string()
              .regex(/^[AHS]*$/)
              .describe(
                'one letter per seat, seat 1 first: A available, H held (by a live hold or a checkout), S sold. Seat n of row r in section s is s-r-n',
              ),
          }),
        ),
      }),
      z.object({
        id: z.string(),
        name: z.string().optional(),
        kind: z.literal('standing'),
        price: z.number().int(),
        capacity: z.number().int(),
        available: z.number().int(),
      }),
    ]),
  ),
});
