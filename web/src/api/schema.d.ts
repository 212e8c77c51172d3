/**
 * Generated from the server's OpenAPI document by `npm run web:api-types`; do not edit.
 * web/test/api-types.test.ts fails when this file and the server disagree.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every dependency answers (503 otherwise) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready";
                            checks: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a customer account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        password: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "customer" | "organizer";
                            };
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "customer" | "organizer";
                            };
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "customer" | "organizer";
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/venues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a venue and its seating layout */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        address: string;
                        city: string;
                        country: string;
                        location: {
                            lat: number;
                            lng: number;
                        };
                        timezone: string;
                        layout: {
                            sections: ({
                                id: string;
                                name: string;
                                /** @enum {string} */
                                kind: "seated";
                                rows: {
                                    label: string;
                                    seats: number;
                                }[];
                            } | {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                kind: "standing";
                                capacity: number;
                            })[];
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            address: string;
                            city: string;
                            country: string;
                            location: {
                                lat: number;
                                lng: number;
                            };
                            timezone: string;
                            /** @description the layout as registered */
                            layout: {
                                readonly sections: unknown[];
                            };
                            capacity: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description forbidden: not an organizer, or not this organizer’s */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/venues/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A venue */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            address: string;
                            city: string;
                            country: string;
                            location: {
                                lat: number;
                                lng: number;
                            };
                            timezone: string;
                            /** @description the layout as registered */
                            layout: {
                                readonly sections: unknown[];
                            };
                            capacity: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Browse upcoming events: near a place (by distance, then start time) or by start time */
        get: {
            parameters: {
                query?: {
                    /** @description "<lat>,<lng>": sort by distance and keep events within radiusKm */
                    near?: string;
                    /** @description with near; default 50 */
                    radiusKm?: number;
                    /** @description events starting at or after; default now */
                    from?: string;
                    /** @description events starting before */
                    to?: string;
                    category?: "music" | "theatre" | "comedy" | "sports" | "film" | "family" | "other";
                    /** @description a performer id */
                    performer?: string;
                    /** @description a venue id */
                    venue?: string;
                    /** @description a production id: only its showtimes */
                    production?: string;
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                name: string;
                                category: string;
                                readonly performers: {
                                    id: string;
                                    name: string;
                                }[];
                                startsAt: string;
                                venue: {
                                    id: string;
                                    name: string;
                                    city: string;
                                    location: {
                                        lat: number;
                                        lng: number;
                                    };
                                };
                                priceFrom: number | null;
                                currency: string;
                                available: number;
                                capacity: number;
                                /** @enum {string} */
                                status: "scheduled" | "cancelled";
                                distanceKm?: number;
                                /** @description the production this is a showtime of */
                                production?: {
                                    id: string;
                                    name: string;
                                };
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Schedule an event at a venue */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        venueId: string;
                        name: string;
                        /** @default  */
                        description?: string;
                        /** @enum {string} */
                        category: "music" | "theatre" | "comedy" | "sports" | "film" | "family" | "other";
                        /** @default [] */
                        performers?: string[];
                        /** @description a film or show with many showtimes: events naming it are listed together */
                        production?: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        startsAt: string;
                        /** @description ISO 4217 currency */
                        currency: string;
                        sectionPrices: {
                            [key: string]: number;
                        };
                        /**
                         * Format: date-time
                         * @description default: now
                         */
                        onSaleAt?: string;
                        /** @default 300 */
                        holdSeconds?: number;
                        /** @default 8 */
                        maxTicketsPerUser?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            category: string;
                            readonly performers: {
                                id: string;
                                name: string;
                            }[];
                            startsAt: string;
                            venue: {
                                id: string;
                                name: string;
                                city: string;
                                location: {
                                    lat: number;
                                    lng: number;
                                };
                            };
                            priceFrom: number | null;
                            currency: string;
                            available: number;
                            capacity: number;
                            /** @enum {string} */
                            status: "scheduled" | "cancelled";
                            distanceKm?: number;
                            /** @description the production this is a showtime of */
                            production?: {
                                id: string;
                                name: string;
                            };
                            description: string;
                            readonly sections: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                kind: "seated" | "standing";
                                price: number;
                                capacity: number;
                            }[];
                            holdSeconds: number;
                            maxTicketsPerUser: number;
                            onSaleAt: string;
                            waitingRoom: {
                                enabled: boolean;
                                opensAt?: string;
                                admitPerMinute?: number;
                                accessSeconds?: number;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description forbidden: not an organizer, or not this organizer’s */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An event with its sections and prices */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            category: string;
                            readonly performers: {
                                id: string;
                                name: string;
                            }[];
                            startsAt: string;
                            venue: {
                                id: string;
                                name: string;
                                city: string;
                                location: {
                                    lat: number;
                                    lng: number;
                                };
                            };
                            priceFrom: number | null;
                            currency: string;
                            available: number;
                            capacity: number;
                            /** @enum {string} */
                            status: "scheduled" | "cancelled";
                            distanceKm?: number;
                            /** @description the production this is a showtime of */
                            production?: {
                                id: string;
                                name: string;
                            };
                            description: string;
                            readonly sections: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                kind: "seated" | "standing";
                                price: number;
                                capacity: number;
                            }[];
                            holdSeconds: number;
                            maxTicketsPerUser: number;
                            onSaleAt: string;
                            waitingRoom: {
                                enabled: boolean;
                                opensAt?: string;
                                admitPerMinute?: number;
                                accessSeconds?: number;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change an event’s details */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string;
                        /** @enum {string} */
                        category?: "music" | "theatre" | "comedy" | "sports" | "film" | "family" | "other";
                        performers?: string[];
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        startsAt?: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        onSaleAt?: string;
                        sectionPrices?: {
                            [key: string]: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            category: string;
                            readonly performers: {
                                id: string;
                                name: string;
                            }[];
                            startsAt: string;
                            venue: {
                                id: string;
                                name: string;
                                city: string;
                                location: {
                                    lat: number;
                                    lng: number;
                                };
                            };
                            priceFrom: number | null;
                            currency: string;
                            available: number;
                            capacity: number;
                            /** @enum {string} */
                            status: "scheduled" | "cancelled";
                            distanceKm?: number;
                            /** @description the production this is a showtime of */
                            production?: {
                                id: string;
                                name: string;
                            };
                            description: string;
                            readonly sections: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                kind: "seated" | "standing";
                                price: number;
                                capacity: number;
                            }[];
                            holdSeconds: number;
                            maxTicketsPerUser: number;
                            onSaleAt: string;
                            waitingRoom: {
                                enabled: boolean;
                                opensAt?: string;
                                admitPerMinute?: number;
                                accessSeconds?: number;
                            };
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/events/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an event (confirmed bookings are refunded) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            category: string;
                            readonly performers: {
                                id: string;
                                name: string;
                            }[];
                            startsAt: string;
                            venue: {
                                id: string;
                                name: string;
                                city: string;
                                location: {
                                    lat: number;
                                    lng: number;
                                };
                            };
                            priceFrom: number | null;
                            currency: string;
                            available: number;
                            capacity: number;
                            /** @enum {string} */
                            status: "scheduled" | "cancelled";
                            distanceKm?: number;
                            /** @description the production this is a showtime of */
                            production?: {
                                id: string;
                                name: string;
                            };
                            description: string;
                            readonly sections: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                kind: "seated" | "standing";
                                price: number;
                                capacity: number;
                            }[];
                            holdSeconds: number;
                            maxTicketsPerUser: number;
                            onSaleAt: string;
                            waitingRoom: {
                                enabled: boolean;
                                opensAt?: string;
                                admitPerMinute?: number;
                                accessSeconds?: number;
                            };
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sales figures of an event */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sold: number;
                            held: number;
                            available: number;
                            revenue: number;
                            currency: string;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My events (organizer): upcoming soonest first, then past ones */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                name: string;
                                category: string;
                                readonly performers: {
                                    id: string;
                                    name: string;
                                }[];
                                startsAt: string;
                                venue: {
                                    id: string;
                                    name: string;
                                    city: string;
                                    location: {
                                        lat: number;
                                        lng: number;
                                    };
                                };
                                priceFrom: number | null;
                                currency: string;
                                available: number;
                                capacity: number;
                                /** @enum {string} */
                                status: "scheduled" | "cancelled";
                                distanceKm?: number;
                                /** @description the production this is a showtime of */
                                production?: {
                                    id: string;
                                    name: string;
                                };
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/venues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My venues (organizer), by name */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                name: string;
                                address: string;
                                city: string;
                                country: string;
                                location: {
                                    lat: number;
                                    lng: number;
                                };
                                timezone: string;
                                /** @description the layout as registered */
                                layout: {
                                    readonly sections: unknown[];
                                };
                                capacity: number;
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hold seats (all or nothing) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                    "x-access-token"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default [] */
                        seats?: string[];
                        /** @default [] */
                        standing?: {
                            sectionId: string;
                            quantity: number;
                        }[];
                        /** @description the writer picks the best seats that fit: front row first, then nearest the centre, then cheapest */
                        best?: {
                            quantity: number;
                            sectionId?: string;
                            /** @description only sections priced at most this */
                            maxPrice?: number;
                            /**
                             * @description one row, consecutive numbers
                             * @default true
                             */
                            together?: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            eventId: string;
                            /** @enum {string} */
                            status: "held" | "payment_pending" | "confirmed" | "released" | "expired" | "refunded" | "cancelled";
                            readonly seats: string[];
                            readonly standing: {
                                sectionId: string;
                                quantity: number;
                            }[];
                            amount: number;
                            currency: string;
                            expiresAt: string;
                            createdAt: string;
                            paymentId?: string;
                            readonly tickets: {
                                id: string;
                                /** @description the seat id, `<section>-<row>-<number>` (absent for standing) */
                                seat?: string;
                                section: string;
                                /** @description signed; a scanner verifies it at the door */
                                code?: string;
                                checkedInAt?: string;
                            }[];
                            event?: {
                                name: string;
                                startsAt: string;
                                venueName: string;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of my bookings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            eventId: string;
                            /** @enum {string} */
                            status: "held" | "payment_pending" | "confirmed" | "released" | "expired" | "refunded" | "cancelled";
                            readonly seats: string[];
                            readonly standing: {
                                sectionId: string;
                                quantity: number;
                            }[];
                            amount: number;
                            currency: string;
                            expiresAt: string;
                            createdAt: string;
                            paymentId?: string;
                            readonly tickets: {
                                id: string;
                                /** @description the seat id, `<section>-<row>-<number>` (absent for standing) */
                                seat?: string;
                                section: string;
                                /** @description signed; a scanner verifies it at the door */
                                code?: string;
                                checkedInAt?: string;
                            }[];
                            event?: {
                                name: string;
                                startsAt: string;
                                venueName: string;
                            };
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Release a hold */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            eventId: string;
                            /** @enum {string} */
                            status: "held" | "payment_pending" | "confirmed" | "released" | "expired" | "refunded" | "cancelled";
                            readonly seats: string[];
                            readonly standing: {
                                sectionId: string;
                                quantity: number;
                            }[];
                            amount: number;
                            currency: string;
                            expiresAt: string;
                            createdAt: string;
                            paymentId?: string;
                            readonly tickets: {
                                id: string;
                                /** @description the seat id, `<section>-<row>-<number>` (absent for standing) */
                                seat?: string;
                                section: string;
                                /** @description signed; a scanner verifies it at the door */
                                code?: string;
                                checkedInAt?: string;
                            }[];
                            event?: {
                                name: string;
                                startsAt: string;
                                venueName: string;
                            };
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My bookings, newest first */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                eventId: string;
                                /** @enum {string} */
                                status: "held" | "payment_pending" | "confirmed" | "released" | "expired" | "refunded" | "cancelled";
                                readonly seats: string[];
                                readonly standing: {
                                    sectionId: string;
                                    quantity: number;
                                }[];
                                amount: number;
                                currency: string;
                                expiresAt: string;
                                createdAt: string;
                                paymentId?: string;
                                readonly tickets: {
                                    id: string;
                                    /** @description the seat id, `<section>-<row>-<number>` (absent for standing) */
                                    seat?: string;
                                    section: string;
                                    /** @description signed; a scanner verifies it at the door */
                                    code?: string;
                                    checkedInAt?: string;
                                }[];
                                event?: {
                                    name: string;
                                    startsAt: string;
                                    venueName: string;
                                };
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My tickets, newest first */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                /** @description the seat id, `<section>-<row>-<number>` (absent for standing) */
                                seat?: string;
                                section: string;
                                /** @description signed; a scanner verifies it at the door */
                                code?: string;
                                checkedInAt?: string;
                                bookingId: string;
                                eventId: string;
                                issuedAt?: string;
                                event?: {
                                    name: string;
                                    startsAt: string;
                                    venueName: string;
                                };
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/seats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The seat map (ETag = version; If-None-Match gives 304) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            eventId: string;
                            version: number;
                            currency?: string;
                            readonly sections: ({
                                id: string;
                                name?: string;
                                /** @enum {string} */
                                kind: "seated";
                                price: number;
                                readonly rows: {
                                    label: string;
                                    /** @description one letter per seat, seat 1 first: A available, H held (by a live hold or a checkout), S sold. Seat n of row r in section s is s-r-n */
                                    seats: string;
                                }[];
                            } | {
                                id: string;
                                name?: string;
                                /** @enum {string} */
                                kind: "standing";
                                price: number;
                                capacity: number;
                                available: number;
                            })[];
                        };
                    };
                };
                /** @description Default Response */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/seats/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live seat map (text/event-stream): `snapshot`, then coalesced `seats` deltas; id = version; Last-Event-ID resumes */
        get: {
            parameters: {
                query?: never;
                header?: {
                    "last-event-id"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find events by keywords over name, performers, venue, city and description, by relevance */
        get: {
            parameters: {
                query?: {
                    /** @description "<lat>,<lng>": sort by distance and keep events within radiusKm */
                    near?: string;
                    /** @description with near; default 50 */
                    radiusKm?: number;
                    /** @description events starting at or after; default now */
                    from?: string;
                    /** @description events starting before */
                    to?: string;
                    category?: "music" | "theatre" | "comedy" | "sports" | "film" | "family" | "other";
                    /** @description a performer id */
                    performer?: string;
                    /** @description a venue id */
                    venue?: string;
                    /** @description a production id: only its showtimes */
                    production?: string;
                    page?: number;
                    pageSize?: number;
                    /** @description keywords; typos tolerated */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                name: string;
                                category: string;
                                readonly performers: {
                                    id: string;
                                    name: string;
                                }[];
                                startsAt: string;
                                venue: {
                                    id: string;
                                    name: string;
                                    city: string;
                                    location: {
                                        lat: number;
                                        lng: number;
                                    };
                                };
                                priceFrom: number | null;
                                currency: string;
                                available: number;
                                capacity: number;
                                /** @enum {string} */
                                status: "scheduled" | "cancelled";
                                distanceKm?: number;
                                /** @description the production this is a showtime of */
                                production?: {
                                    id: string;
                                    name: string;
                                };
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/performers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A performer and their upcoming events */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            readonly upcoming: {
                                id: string;
                                name: string;
                                category: string;
                                readonly performers: {
                                    id: string;
                                    name: string;
                                }[];
                                startsAt: string;
                                venue: {
                                    id: string;
                                    name: string;
                                    city: string;
                                    location: {
                                        lat: number;
                                        lng: number;
                                    };
                                };
                                priceFrom: number | null;
                                currency: string;
                                available: number;
                                capacity: number;
                                /** @enum {string} */
                                status: "scheduled" | "cancelled";
                                distanceKm?: number;
                                /** @description the production this is a showtime of */
                                production?: {
                                    id: string;
                                    name: string;
                                };
                            }[];
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/productions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Now showing: productions with an upcoming showtime, nearest or soonest first */
        get: {
            parameters: {
                query?: {
                    /** @description "<lat>,<lng>": only showtimes within radiusKm, nearest first */
                    near?: string;
                    /** @description with near; default 50 */
                    radiusKm?: number;
                    /** @description showtimes starting at or after; default now */
                    from?: string;
                    /** @description showtimes starting before */
                    to?: string;
                    category?: "music" | "theatre" | "comedy" | "sports" | "film" | "family" | "other";
                    /** @description words of the production or its performers */
                    q?: string;
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                name: string;
                                category: string;
                                readonly performers: {
                                    id: string;
                                    name: string;
                                }[];
                                nextShowtime: string;
                                showtimeCount: number;
                                priceFrom: number;
                                currency: string;
                                distanceKm?: number;
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/productions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A production and its upcoming showtimes (filtered by place and date, nearest or soonest first) */
        get: {
            parameters: {
                query?: {
                    /** @description "<lat>,<lng>": only showtimes within radiusKm, nearest first */
                    near?: string;
                    /** @description with near; default 50 */
                    radiusKm?: number;
                    /** @description showtimes starting at or after; default now */
                    from?: string;
                    /** @description showtimes starting before */
                    to?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            category: string;
                            readonly performers: {
                                id: string;
                                name: string;
                            }[];
                            readonly showtimes: {
                                id: string;
                                name: string;
                                category: string;
                                readonly performers: {
                                    id: string;
                                    name: string;
                                }[];
                                startsAt: string;
                                venue: {
                                    id: string;
                                    name: string;
                                    city: string;
                                    location: {
                                        lat: number;
                                        lng: number;
                                    };
                                };
                                priceFrom: number | null;
                                currency: string;
                                available: number;
                                capacity: number;
                                /** @enum {string} */
                                status: "scheduled" | "cancelled";
                                distanceKm?: number;
                                /** @description the production this is a showtime of */
                                production?: {
                                    id: string;
                                    name: string;
                                };
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a run of showtimes: the same details at up to 200 start times, answered per item */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        venueId: string;
                        name: string;
                        /** @default  */
                        description?: string;
                        /** @enum {string} */
                        category: "music" | "theatre" | "comedy" | "sports" | "film" | "family" | "other";
                        /** @default [] */
                        performers?: string[];
                        /** @description a film or show with many showtimes: events naming it are listed together */
                        production?: string;
                        /** @description ISO 4217 currency */
                        currency: string;
                        sectionPrices: {
                            [key: string]: number;
                        };
                        /**
                         * Format: date-time
                         * @description default: now
                         */
                        onSaleAt?: string;
                        /** @default 300 */
                        holdSeconds?: number;
                        /** @default 8 */
                        maxTicketsPerUser?: number;
                        /** @description one event per start time, at most 200 */
                        startsAt: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                startsAt: string;
                                /** @description 201 created, else the problem status */
                                status: number;
                                event?: {
                                    id: string;
                                    name: string;
                                    category: string;
                                    readonly performers: {
                                        id: string;
                                        name: string;
                                    }[];
                                    startsAt: string;
                                    venue: {
                                        id: string;
                                        name: string;
                                        city: string;
                                        location: {
                                            lat: number;
                                            lng: number;
                                        };
                                    };
                                    priceFrom: number | null;
                                    currency: string;
                                    available: number;
                                    capacity: number;
                                    /** @enum {string} */
                                    status: "scheduled" | "cancelled";
                                    distanceKm?: number;
                                    /** @description the production this is a showtime of */
                                    production?: {
                                        id: string;
                                        name: string;
                                    };
                                    description: string;
                                    readonly sections: {
                                        id: string;
                                        name: string;
                                        /** @enum {string} */
                                        kind: "seated" | "standing";
                                        price: number;
                                        capacity: number;
                                    }[];
                                    holdSeconds: number;
                                    maxTicketsPerUser: number;
                                    onSaleAt: string;
                                    waitingRoom: {
                                        enabled: boolean;
                                        opensAt?: string;
                                        admitPerMinute?: number;
                                        accessSeconds?: number;
                                    };
                                };
                                /** @description RFC 9457 problem details (application/problem+json) */
                                problem?: {
                                    type: string;
                                    title: string;
                                    status: number;
                                    detail?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                            }[];
                            created: number;
                            failed: number;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description forbidden: not an organizer, or not this organizer’s */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/waiting-room": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Configure the event's waiting room (organizer) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        enabled: boolean;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        opensAt: string;
                        admitPerMinute: number;
                        accessSeconds: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            opensAt: string;
                            admitPerMinute: number;
                            accessSeconds: number;
                            eventId: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join the event's queue; joining again answers the same place */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A place in the waiting room */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            state: "waiting" | "admitted";
                            /** @description 1 = next to be admitted; 0 once admitted */
                            position: number;
                            ahead: number;
                            /** @description estimated from the observed admission rate */
                            etaSeconds: number;
                            /** @description send as X-Access-Token when holding seats */
                            accessToken?: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            accessExpiresAt?: string;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/queue/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My place in the queue (with the access token once admitted) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A place in the waiting room */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            state: "waiting" | "admitted";
                            /** @description 1 = next to be admitted; 0 once admitted */
                            position: number;
                            ahead: number;
                            /** @description estimated from the observed admission rate */
                            etaSeconds: number;
                            /** @description send as X-Access-Token when holding seats */
                            accessToken?: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            accessExpiresAt?: string;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/queue/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My place as text/event-stream: a message whenever it changes, at least every 5 s and at once on admission; `event: problem` and the end when the place is gone */
        get: {
            parameters: {
                query?: {
                    /** @description the session token, for EventSource clients that cannot send an Authorization header */
                    access_token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/stripe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stripe's webhook (Stripe-Signature verified over the raw body) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the event was handled (or was a no-op) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            received: true;
                            outcome?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pay for a held booking: answers where to pay */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            provider: "stripe" | "local";
                            paymentId: string;
                            url: string;
                            expiresAt: string;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/check-ins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Scan a ticket at the door (the event's organizer) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ticketId: string;
                            bookingId: string;
                            eventId: string;
                            seat?: string;
                            section: string;
                            checkedInAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pay/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The local provider's pay page (HTML) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the checkout session id the checkout answered as paymentId */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the booking, the amount and, while the checkout is open, the Pay and Decline buttons */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description the link is not a checkout this server knows */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Press Pay or Decline on the local pay page (an HTML form post) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the checkout session id the checkout answered as paymentId */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": {
                        /** @description pay or decline */
                        action?: string;
                    } & {
                        [key: string]: string;
                    };
                };
            };
            responses: {
                /** @description the booking, the amount and, while the checkout is open, the Pay and Decline buttons */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description neither Pay nor Decline was pressed (HTML), or the form does not match (problem) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description the link is not a checkout this server knows */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description the checkout is no longer open */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description the payment could not be recorded; nothing was charged */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pay/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Back from the provider's checkout: to the web app's booking page */
        get: {
            parameters: {
                query?: {
                    booking?: string;
                    session_id?: string;
                    cancelled?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description thanks (or cancelled) with a link to the booking, when the booking id is not a UUID */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description to the web app's booking page, `?checkout=done` or `?checkout=cancelled` */
                303: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/waitlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event's waitlist counts (its organizer) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            waiting: number;
                            offered: number;
                            fulfilled: number;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Join the waitlist of a sold-out event (or section); joining again answers the same entry */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1..the event's maxTicketsPerUser */
                        quantity: number;
                        sectionId?: string;
                        /** @description only seats priced at most this, in minor units */
                        maxPrice?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            eventId: string;
                            quantity: number;
                            sectionId?: string;
                            maxPrice?: number;
                            /** @enum {string} */
                            status: "waiting" | "offered" | "fulfilled" | "expired" | "left";
                            /** @description place in the queue (from 1) while waiting */
                            position?: number;
                            /** @description the held booking once offered: check it out before it lapses */
                            bookingId?: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            createdAt: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            eventId: string;
                            quantity: number;
                            sectionId?: string;
                            maxPrice?: number;
                            /** @enum {string} */
                            status: "waiting" | "offered" | "fulfilled" | "expired" | "left";
                            /** @description place in the queue (from 1) while waiting */
                            position?: number;
                            /** @description the held booking once offered: check it out before it lapses */
                            bookingId?: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            createdAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description body-too-large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unsupported-media-type: the body must be application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        /** Leave the waitlist (an offer not yet paid is let go) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            eventId: string;
                            quantity: number;
                            sectionId?: string;
                            maxPrice?: number;
                            /** @enum {string} */
                            status: "waiting" | "offered" | "fulfilled" | "expired" | "left";
                            /** @description place in the queue (from 1) while waiting */
                            position?: number;
                            /** @description the held booking once offered: check it out before it lapses */
                            bookingId?: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            createdAt: string;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description rate-limited: `retry-after` says when */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/waitlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My waitlist entries, newest first */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            readonly items: {
                                id: string;
                                eventId: string;
                                quantity: number;
                                sectionId?: string;
                                maxPrice?: number;
                                /** @enum {string} */
                                status: "waiting" | "offered" | "fulfilled" | "expired" | "left";
                                /** @description place in the queue (from 1) while waiting */
                                position?: number;
                                /** @description the held booking once offered: check it out before it lapses */
                                bookingId?: string;
                                /**
                                 * Format: date-time
                                 * @description ISO 8601 time
                                 */
                                createdAt: string;
                            }[];
                            page: number;
                            pageSize: number;
                            total: number;
                        };
                    };
                };
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/waitlist/me/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My entry as text/event-stream: a message whenever it changes (an offer carries bookingId) */
        get: {
            parameters: {
                query?: {
                    /** @description the session token, for EventSource clients that cannot send an Authorization header */
                    access_token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description invalid-input: the request does not match the schema (`issues`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unauthorized: no token or a bad one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem details (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description internal: a bug; the detail quotes the request id */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description unavailable, overloaded or shutting down; `retry-after` says when to retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
