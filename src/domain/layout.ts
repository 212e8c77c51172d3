export type GeoPoint = { readonly lat: number; readonly lng: number };

export type SeatRow = { readonly label: string; readonly seats: number };

export type SeatedSection = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'seated';
  readonly rows: readonly SeatRow[];
};

export type StandingSection = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'standing';
  readonly capacity: number;
};

export type Section = SeatedSection | StandingSection;

/** Compact: seat ids are derived (`<sectionId>-<rowLabel>-<number>`), never listed. */
export type Layout = { readonly sections: readonly Section[] };

export type StandingRequest = { readonly sectionId: string; readonly quantity: number };
