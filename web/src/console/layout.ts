/** The venue layout editor's draft and its checks (the server checks again). Pure: tested under Node. */

export type DraftRow = { label: string; seats: number };
export type DraftSection = {
  readonly key: number;
  id: string;
  name: string;
  kind: 'seated' | 'standing';
  rows: DraftRow[];
  capacity: number;
};

const CODE = /^[A-Za-z0-9]{1,16}$/;

/** Row labels A..Z, AA..AZ, ... or 1..n. */
export const rowLabels = (style: 'letters' | 'numbers', count: number): string[] =>
  Array.from({ length: count }, (_, i) => {
    if (style === 'numbers') return String(i + 1);
    let n = i;
    let label = '';
    do {
      label = String.fromCharCode(65 + (n % 26)) + label;
      n = Math.floor(n / 26) - 1;
    } while (n >= 0);
    return label;
  });

/** Problems by `<section index>.<field>`. */
export const layoutErrors = (sections: readonly DraftSection[]): Record<string, string> => {
  const e: Record<string, string> = {};
  const ids = new Set<string>();
  sections.forEach((s, i) => {
    if (!CODE.test(s.id)) e[`${i}.id`] = 'Use 1 to 16 letters or digits, no spaces.';
    else if (ids.has(s.id)) e[`${i}.id`] = `Another section is already “${s.id}”.`;
    ids.add(s.id);
    if (!s.name.trim()) e[`${i}.name`] = 'Give the section a name.';
    if (s.kind === 'standing') {
      if (!Number.isInteger(s.capacity) || s.capacity < 1 || s.capacity > 1_000_000) e[`${i}.capacity`] = 'A whole number from 1 to 1,000,000.';
      return;
    }
    const labels = new Set<string>();
    for (const r of s.rows) {
      if (!CODE.test(r.label)) e[`${i}.rows`] = `Row “${r.label}”: labels are 1 to 16 letters or digits.`;
      else if (labels.has(r.label)) e[`${i}.rows`] = `Two rows are labelled “${r.label}”.`;
      else if (!Number.isInteger(r.seats) || r.seats < 1 || r.seats > 1000) e[`${i}.rows`] = `Row ${r.label}: from 1 to 1,000 seats.`;
      labels.add(r.label);
    }
    if (s.rows.length === 0) e[`${i}.rows`] = 'A seated section needs at least one row.';
  });
  return e;
};
