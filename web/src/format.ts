/** Money, times and counts as people read them. Pure: no DOM, tested under Node. */

export const formatMoney = (amount: number, currency: string): string => {
  try {
    const f = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency}`;
  }
};

/** Minor units per major unit of a currency (100 for GBP, 1 for JPY). */
export const minorPerMajor = (currency: string): number => {
  try {
    return 10 ** (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2);
  } catch {
    return 100;
  }
};

const zoneName = (date: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';

/** "Sat 5 Dec 2026, 20:00 GMT" in the venue's zone. */
export const formatWhen = (iso: string, timeZone: string): string => {
  const d = new Date(iso);
  const when = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(d);
  return `${when} ${zoneName(d, timeZone)}`.trim();
};

/** "Saturday 5 December 2026 at 20:00" and "GMT (Europe/London)". */
export const formatWhenLong = (iso: string, timeZone: string): { readonly date: string; readonly zone: string } => {
  const d = new Date(iso);
  return {
    date: new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(d),
    zone: `${zoneName(d, timeZone)} (${timeZone.replace(/_/g, ' ')})`,
  };
};

/** Offset of `timeZone` from UTC at `utcMs`, in ms (e.g. +3,600,000 for Europe/Berlin in winter). */
export const zoneOffsetMs = (utcMs: number, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
};

/** A wall-clock time at the venue ("2027-03-01T19:30" from a datetime-local field) as a UTC ISO string. */
export const zonedToUtc = (local: string, timeZone: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new RangeError(`not a local date and time: ${local}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Twice: the offset at the first guess may differ from the offset at the answer across a DST change.
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString();
};

/** The reverse: a UTC time as the venue's wall clock, for a datetime-local field. */
export const utcToZoned = (iso: string, timeZone: string): string => {
  const ms = Date.parse(iso);
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  return local.toISOString().slice(0, 16);
};

/** "4:05" for a countdown. */
export const formatCountdown = (ms: number): string => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** "about 3 minutes" for an estimated wait. */
export const formatWait = (seconds: number): string => {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 6) / 10;
  return `about ${hours} hour${hours === 1 ? '' : 's'}`;
};

export const formatKm = (km: number): string => (km < 10 ? `${km.toFixed(1)} km away` : `${Math.round(km)} km away`);

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
