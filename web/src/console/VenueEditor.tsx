import { useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage, fieldIssues } from '../api/problems.js';
import type { VenueBody } from '../api/types.js';
import { Alert, Field, PageTitle } from '../components/ui.js';
import { plural } from '../format.js';
import { navigate } from '../router.js';
import { pathTo } from '../routes.js';
import { ConsoleNav, OrganizerOnly } from './guard.js';
import { layoutErrors, rowLabels, type DraftSection } from './layout.js';

const zones = (): string[] => {
  try {
    const all = Intl.supportedValuesOf('timeZone');
    return all.includes('UTC') ? all : ['UTC', ...all];
  } catch {
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney'];
  }
};

let nextKey = 1;
const seated = (n: number): DraftSection => ({
  key: nextKey++,
  id: String.fromCharCode(64 + Math.min(26, n)),
  name: `Block ${String.fromCharCode(64 + Math.min(26, n))}`,
  kind: 'seated',
  rows: rowLabels('letters', 10).map((label) => ({ label, seats: 20 })),
  capacity: 500,
});

const SectionEditor = ({
  s,
  index,
  errors,
  onChange,
  onRemove,
}: {
  s: DraftSection;
  index: number;
  errors: Record<string, string>;
  onChange: (s: DraftSection) => void;
  onRemove: (() => void) | undefined;
}) => {
  const [rowCount, setRowCount] = useState(s.rows.length);
  const [perRow, setPerRow] = useState(s.rows[0]?.seats ?? 20);
  const [labels, setLabels] = useState<'letters' | 'numbers'>(/^[A-Z]/.test(s.rows[0]?.label ?? 'A') ? 'letters' : 'numbers');
  const e = (field: string) => errors[`${index}.${field}`];
  const regenerate = (count: number, seats: number, style: 'letters' | 'numbers') =>
    onChange({ ...s, rows: rowLabels(style, count).map((label) => ({ label, seats })) });
  const capacity = s.kind === 'seated' ? s.rows.reduce((n, r) => n + r.seats, 0) : s.capacity;
  return (
    <fieldset class="section-editor card">
      <legend>
        Section {index + 1}: {s.name || 'unnamed'} <span class="muted">({plural(capacity, 'place')})</span>
      </legend>
      <div class="inline-fields">
        <Field label="Section id" error={e('id')} hint="Letters and digits; part of every seat id.">
          {(p) => <input {...p} value={s.id} maxLength={16} onInput={(ev) => onChange({ ...s, id: ev.currentTarget.value.trim() })} />}
        </Field>
        <Field label="Section name" error={e('name')}>
          {(p) => <input {...p} value={s.name} onInput={(ev) => onChange({ ...s, name: ev.currentTarget.value })} />}
        </Field>
        <Field label="Kind">
          {(p) => (
            <select {...p} value={s.kind} onChange={(ev) => onChange({ ...s, kind: ev.currentTarget.value as 'seated' | 'standing' })}>
              <option value="seated">Seated</option>
              <option value="standing">Standing</option>
            </select>
          )}
        </Field>
      </div>
      {s.kind === 'standing' ? (
        <Field label="Standing capacity" error={e('capacity')}>
          {(p) => <input {...p} type="number" min={1} value={s.capacity} onInput={(ev) => onChange({ ...s, capacity: Number(ev.currentTarget.value) })} />}
        </Field>
      ) : (
        <>
          <div class="inline-fields">
            <Field label="Rows">
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  max={1000}
                  value={rowCount}
                  onInput={(ev) => {
                    const n = Math.max(1, Math.min(1000, Number(ev.currentTarget.value) || 1));
                    setRowCount(n);
                    regenerate(n, perRow, labels);
                  }}
                />
              )}
            </Field>
            <Field label="Seats per row">
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  max={1000}
                  value={perRow}
                  onInput={(ev) => {
                    const n = Math.max(1, Math.min(1000, Number(ev.currentTarget.value) || 1));
                    setPerRow(n);
                    regenerate(rowCount, n, labels);
                  }}
                />
              )}
            </Field>
            <Field label="Row labels">
              {(p) => (
                <select
                  {...p}
                  value={labels}
                  onChange={(ev) => {
                    const style = ev.currentTarget.value as 'letters' | 'numbers';
                    setLabels(style);
                    regenerate(rowCount, perRow, style);
                  }}
                >
                  <option value="letters">A, B, C…</option>
                  <option value="numbers">1, 2, 3…</option>
                </select>
              )}
            </Field>
          </div>
          {e('rows') ? <p class="field-error">{e('rows')}</p> : null}
          <div class="layout-preview" aria-hidden="true">
            {s.rows.slice(0, 30).map((r) => (
              <div class="preview-row">
                <span>{r.label}</span>
                <span class="preview-bar" style={{ width: `${Math.min(100, (r.seats / Math.max(...s.rows.map((x) => x.seats))) * 100)}%` }} />
              </div>
            ))}
            {s.rows.length > 30 ? <p class="muted small">… and {s.rows.length - 30} more rows</p> : null}
          </div>
          <details>
            <summary>Edit rows one by one</summary>
            <ul class="row-editor">
              {s.rows.map((r, i) => (
                <li>
                  <Field label={`Row ${i + 1} label`}>
                    {(p) => (
                      <input
                        {...p}
                        value={r.label}
                        maxLength={16}
                        onInput={(ev) => onChange({ ...s, rows: s.rows.map((x, j) => (j === i ? { ...x, label: ev.currentTarget.value.trim() } : x)) })}
                      />
                    )}
                  </Field>
                  <Field label={`Row ${i + 1} seats`}>
                    {(p) => (
                      <input
                        {...p}
                        type="number"
                        min={1}
                        max={1000}
                        value={r.seats}
                        onInput={(ev) => onChange({ ...s, rows: s.rows.map((x, j) => (j === i ? { ...x, seats: Number(ev.currentTarget.value) } : x)) })}
                      />
                    )}
                  </Field>
                  <button
                    type="button"
                    class="link-button"
                    disabled={s.rows.length <= 1}
                    onClick={() => onChange({ ...s, rows: s.rows.filter((_, j) => j !== i) })}
                    aria-label={`Remove row ${r.label}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => onChange({ ...s, rows: [...s.rows, { label: String(s.rows.length + 1), seats: s.rows[s.rows.length - 1]?.seats ?? 20 }] })}
            >
              Add a row
            </button>
          </details>
        </>
      )}
      {onRemove ? (
        <button type="button" class="link-button danger" onClick={onRemove}>
          Remove section {s.name}
        </button>
      ) : null}
    </fieldset>
  );
};

const Editor = () => {
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [city, setCity] = useState('');
  const [country, setCountry] = useState('GB');
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [sections, setSections] = useState<DraftSection[]>([seated(1)]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const capacity = sections.reduce((n, s) => n + (s.kind === 'seated' ? s.rows.reduce((m, r) => m + r.seats, 0) : s.capacity), 0);

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = 'Enter the venue’s name.';
    if (!address.trim()) e.address = 'Enter the street address.';
    if (!city.trim()) e.city = 'Enter the city.';
    if (!/^[A-Z]{2}$/.test(country)) e.country = 'Two capital letters, such as GB or US.';
    const la = Number(lat);
    const lo = Number(lng);
    if (lat.trim() === '' || !Number.isFinite(la) || la < -90 || la > 90) e.lat = 'A latitude between -90 and 90, such as 53.4794.';
    if (lng.trim() === '' || !Number.isFinite(lo) || lo < -180 || lo > 180) e.lng = 'A longitude between -180 and 180, such as -2.2453.';
    for (const [k, v] of Object.entries(layoutErrors(sections))) e[`section.${k}`] = v;
    return e;
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setFormError(undefined);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError('Please fix the fields marked below.');
      return;
    }
    const body: VenueBody = {
      name: name.trim(),
      address: address.trim(),
      city: city.trim(),
      country,
      location: { lat: Number(lat), lng: Number(lng) },
      timezone,
      layout: {
        sections: sections.map((s) =>
          s.kind === 'seated'
            ? { id: s.id, name: s.name.trim(), kind: 'seated' as const, rows: s.rows }
            : { id: s.id, name: s.name.trim(), kind: 'standing' as const, capacity: s.capacity },
        ),
      },
    };
    setBusy(true);
    try {
      const v = await ok(api.POST('/venues', { body }));
      navigate(`${pathTo('newEvent')}?venue=${encodeURIComponent(v.id)}&created=1`);
    } catch (err) {
      if (err instanceof ApiError) {
        const issues = fieldIssues(err.problem);
        const mapped: Record<string, string> = {};
        for (const i of issues) {
          const m = /^layout\.sections\.(\d+)\.(\w+)/.exec(i.field);
          if (m) mapped[`section.${m[1]}.${m[2]}`] = i.message;
          else mapped[i.field.split('.')[0] ?? 'form'] = i.message;
        }
        setErrors(mapped);
      }
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const sectionErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([k]) => k.startsWith('section.'))
      .map(([k, v]) => [k.slice('section.'.length), v]),
  );

  return (
    <>
      <PageTitle title="New venue">New venue</PageTitle>
      <ConsoleNav current="newVenue" />
      <form class="console-form" onSubmit={(e) => void submit(e)} noValidate>
        <Alert>{formError}</Alert>
        <fieldset class="card">
          <legend>Where it is</legend>
          <Field label="Venue name" error={errors.name}>
            {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Address" error={errors.address}>
            {(p) => <input {...p} value={address} onInput={(e) => setAddress(e.currentTarget.value)} />}
          </Field>
          <div class="inline-fields">
            <Field label="City" error={errors.city}>
              {(p) => <input {...p} value={city} onInput={(e) => setCity(e.currentTarget.value)} />}
            </Field>
            <Field label="Country code" error={errors.country} hint="ISO 3166, e.g. GB">
              {(p) => <input {...p} value={country} maxLength={2} onInput={(e) => setCountry(e.currentTarget.value.toUpperCase())} />}
            </Field>
          </div>
          <div class="inline-fields">
            <Field label="Latitude" error={errors.lat}>
              {(p) => <input {...p} inputMode="decimal" value={lat} onInput={(e) => setLat(e.currentTarget.value)} />}
            </Field>
            <Field label="Longitude" error={errors.lng}>
              {(p) => <input {...p} inputMode="decimal" value={lng} onInput={(e) => setLng(e.currentTarget.value)} />}
            </Field>
            <Field label="Time zone" error={errors.timezone} hint="Event times are entered and shown in it.">
              {(p) => (
                <select {...p} value={timezone} onChange={(e) => setTimezone(e.currentTarget.value)}>
                  {zones().map((z) => (
                    <option value={z}>{z.replace(/_/g, ' ')}</option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        <h2>Layout</h2>
        <p class="muted">
          Seats are named section-row-number, like <code>A-1-7</code>. Total: <strong>{plural(capacity, 'place')}</strong>.
        </p>
        {sections.map((s, i) => (
          <SectionEditor
            key={s.key}
            s={s}
            index={i}
            errors={sectionErrors}
            onChange={(next) => setSections(sections.map((x) => (x.key === s.key ? next : x)))}
            onRemove={sections.length > 1 ? () => setSections(sections.filter((x) => x.key !== s.key)) : undefined}
          />
        ))}
        <div class="actions">
          <button type="button" class="button button-secondary" onClick={() => setSections([...sections, seated(sections.length + 1)])}>
            Add a seated section
          </button>
          <button
            type="button"
            class="button button-secondary"
            onClick={() => setSections([...sections, { key: nextKey++, id: 'PIT', name: 'Standing', kind: 'standing', rows: [], capacity: 500 }])}
          >
            Add a standing section
          </button>
        </div>
        <button type="submit" class="button button-large" disabled={busy}>
          {busy ? 'Creating…' : 'Create venue'}
        </button>
      </form>
    </>
  );
};

export const VenueEditor = () => (
  <OrganizerOnly>
    <Editor />
  </OrganizerOnly>
);
