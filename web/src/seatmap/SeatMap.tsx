import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatMoney } from '../format.js';
import { seatId, type MapSection, type SeatedSection, type SeatMapState, type SeatRow, type StandingSection } from './store.js';

/**
 * The seat map: the sections as tiles, then one section at a time, every seat
 * a toggle button named from its seat id first ("A-1-7, row 1, seat 7, £65.00").
 * One seat of the section is in the tab order (roving tabindex) and the arrow
 * keys move between seats, so a keyboard user crosses a 2,000-seat block in a
 * few keystrokes. Sections of many seats render their rows in chunks as they
 * scroll into view, so even a 100,000-seat event draws in a moment.
 */

export type SeatMapProps = {
  readonly map: SeatMapState;
  readonly currency: string;
  readonly selected: ReadonlySet<string>;
  /** Seats this buyer holds now (shown as theirs, not as taken). */
  readonly mine: ReadonlySet<string>;
  readonly standing: Readonly<Record<string, number>>;
  readonly maxTickets: number;
  readonly disabled?: boolean;
  readonly onToggle: (seatId: string) => void;
  readonly onStanding: (sectionId: string, quantity: number) => void;
  readonly live: boolean;
};

const SEATS_PER_CHUNK = 2500;

const pct = (s: MapSection): number => (s.capacity === 0 ? 0 : Math.round((s.available / s.capacity) * 100));

const SectionTile = ({ s, current, currency, onPick }: { s: MapSection; current: boolean; currency: string; onPick: () => void }) => (
  <li>
    <button type="button" class={`section-tile${current ? ' is-current' : ''}`} aria-pressed={current} onClick={onPick}>
      <span class="section-tile-name">{s.name}</span>
      <span class="section-tile-meta">
        {formatMoney(s.price, currency)} · {s.available === 0 ? 'Sold out' : `${s.available.toLocaleString('en-GB')} left`}
      </span>
      <span class="section-tile-bar" aria-hidden="true">
        <span style={{ width: `${pct(s)}%` }} />
      </span>
    </button>
  </li>
);

type RowProps = {
  sectionId: string;
  row: SeatRow;
  rowIndex: number;
  price: string;
  /** Seat numbers picked / held by this buyer in this row, joined, so memo compares strings. */
  picked: string;
  mine: string;
  focusNumber: number;
  disabled: boolean;
};

const Row = memo(
  ({ sectionId, row, rowIndex, price, picked, mine, focusNumber, disabled }: RowProps) => {
    const pickedSet = new Set(picked ? picked.split(',').map(Number) : []);
    const mineSet = new Set(mine ? mine.split(',').map(Number) : []);
    const seats = [];
    for (let i = 0; i < row.seats.length; i++) {
      const n = i + 1;
      const code = row.seats[i];
      const isMine = mineSet.has(n);
      const taken = code !== 'A' && !isMine;
      const on = pickedSet.has(n);
      const id = seatId(sectionId, row.label, n);
      const state = isMine ? ', held for you' : taken ? ', taken' : '';
      seats.push(
        <button
          type="button"
          class={`seat${on ? ' is-picked' : ''}${isMine ? ' is-mine' : ''}${taken ? ' is-taken' : ''}`}
          data-seat={id}
          data-r={rowIndex}
          data-n={n}
          tabIndex={n === focusNumber ? 0 : -1}
          aria-label={`${id}, row ${row.label}, seat ${n}, ${price}${state}`}
          aria-pressed={on}
          aria-disabled={taken || isMine || disabled ? 'true' : undefined}
        >
          {n}
        </button>,
      );
    }
    return (
      <div class="seat-row" role="group" aria-label={`Row ${row.label}`}>
        <span class="row-label" aria-hidden="true">
          {row.label}
        </span>
        <div class="seat-row-seats">{seats}</div>
      </div>
    );
  },
  (a, b) =>
    a.row === b.row &&
    a.picked === b.picked &&
    a.mine === b.mine &&
    a.focusNumber === b.focusNumber &&
    a.disabled === b.disabled &&
    a.price === b.price &&
    a.sectionId === b.sectionId,
);

const numbersIn = (ids: ReadonlySet<string>, prefix: string): string => {
  const out: string[] = [];
  for (const id of ids) if (id.startsWith(prefix)) out.push(id.slice(prefix.length));
  return out.join(',');
};

const SeatGrid = ({
  section,
  currency,
  selected,
  mine,
  disabled,
  onToggle,
}: {
  section: SeatedSection;
  currency: string;
  selected: ReadonlySet<string>;
  mine: ReadonlySet<string>;
  disabled: boolean;
  onToggle: (id: string) => void;
}) => {
  const perRow = Math.max(1, Math.round(section.capacity / Math.max(1, section.rows.length)));
  const chunk = Math.max(5, Math.ceil(SEATS_PER_CHUNK / perRow));
  const [shown, setShown] = useState(chunk);
  const [focus, setFocus] = useState<{ r: number; n: number }>({ r: 0, n: 1 });
  const sentinel = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | undefined>(undefined);
  const price = formatMoney(section.price, currency);

  useEffect(() => {
    setShown(chunk);
    setFocus({ r: 0, n: 1 });
  }, [section.id]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || shown >= section.rows.length) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setShown((s) => s + chunk);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [shown, section.rows.length, chunk]);

  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const el = grid.current?.querySelector<HTMLButtonElement>(`[data-seat="${id}"]`);
    if (el) {
      pendingFocus.current = undefined;
      el.focus();
    }
  });

  const moveTo = (r: number, n: number) => {
    const row = section.rows[r];
    if (!row) return;
    const num = Math.min(Math.max(1, n), row.seats.length);
    if (r >= shown) setShown(r + chunk);
    setFocus({ r, n: num });
    pendingFocus.current = seatId(section.id, row.label, num);
    const el = grid.current?.querySelector<HTMLButtonElement>(`[data-seat="${pendingFocus.current}"]`);
    if (el) {
      pendingFocus.current = undefined;
      el.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (!t.dataset.seat) return;
    const r = Number(t.dataset.r);
    const n = Number(t.dataset.n);
    const moves: Record<string, () => void> = {
      ArrowLeft: () => moveTo(r, n - 1),
      ArrowRight: () => moveTo(r, n + 1),
      ArrowUp: () => moveTo(r - 1, n),
      ArrowDown: () => moveTo(r + 1, n),
      Home: () => (e.ctrlKey ? moveTo(0, 1) : moveTo(r, 1)),
      End: () => (e.ctrlKey ? moveTo(section.rows.length - 1, Number.MAX_SAFE_INTEGER) : moveTo(r, Number.MAX_SAFE_INTEGER)),
      PageUp: () => moveTo(Math.max(0, r - 10), n),
      PageDown: () => moveTo(Math.min(section.rows.length - 1, r + 10), n),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  };

  const onClick = (e: MouseEvent) => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('[data-seat]');
    if (!t?.dataset.seat) return;
    setFocus({ r: Number(t.dataset.r), n: Number(t.dataset.n) });
    if (t.getAttribute('aria-disabled') === 'true') return;
    onToggle(t.dataset.seat);
  };

  return (
    <div class="seat-grid-wrap">
      <div class="stage" aria-hidden="true">
        Stage
      </div>
      <div class="seat-grid" ref={grid} onKeyDown={onKeyDown} onClick={onClick}>
        {section.rows.slice(0, shown).map((row, r) => {
          const prefix = `${section.id}-${row.label}-`;
          return (
            <Row
              key={row.label}
              sectionId={section.id}
              row={row}
              rowIndex={r}
              price={price}
              picked={numbersIn(selected, prefix)}
              mine={numbersIn(mine, prefix)}
              focusNumber={focus.r === r ? focus.n : 0}
              disabled={disabled}
            />
          );
        })}
      </div>
      {shown < section.rows.length ? (
        <div ref={sentinel} class="more-rows">
          <button type="button" class="button button-secondary" onClick={() => setShown((s) => s + chunk)}>
            Show more rows ({(section.rows.length - shown).toLocaleString('en-GB')} more)
          </button>
        </div>
      ) : null}
    </div>
  );
};

const StandingPicker = ({
  section,
  currency,
  quantity,
  max,
  disabled,
  onChange,
}: {
  section: StandingSection;
  currency: string;
  quantity: number;
  max: number;
  disabled: boolean;
  onChange: (q: number) => void;
}) => {
  const limit = Math.min(max, section.available);
  const id = `standing-${section.id}`;
  return (
    <div class="standing">
      <p>
        Standing: {section.available.toLocaleString('en-GB')} of {section.capacity.toLocaleString('en-GB')} places left, {formatMoney(section.price, currency)} each.
      </p>
      <div class="stepper">
        <button type="button" class="button button-secondary" aria-label={`Fewer ${section.name} tickets`} disabled={disabled || quantity <= 0} onClick={() => onChange(quantity - 1)}>
          −
        </button>
        <label for={id} class="visually-hidden">
          {section.name} tickets
        </label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={limit}
          value={quantity}
          disabled={disabled}
          onInput={(e) => onChange(Math.max(0, Math.min(limit, Math.floor(Number(e.currentTarget.value) || 0))))}
        />
        <button type="button" class="button button-secondary" aria-label={`More ${section.name} tickets`} disabled={disabled || quantity >= limit} onClick={() => onChange(quantity + 1)}>
          +
        </button>
      </div>
    </div>
  );
};

export const SeatMap = (props: SeatMapProps) => {
  const { map, currency } = props;
  const firstWithSeats = useMemo(() => map.sections.find((s) => s.available > 0)?.id ?? map.sections[0]?.id, [map.eventId]);
  const [currentId, setCurrentId] = useState(firstWithSeats);
  const current = map.sections.find((s) => s.id === currentId) ?? map.sections[0];

  return (
    <section class="seat-map" aria-labelledby="seat-map-heading">
      <div class="seat-map-head">
        <h2 id="seat-map-heading">Seat map</h2>
        <span class={`live-dot${props.live ? ' is-live' : ''}`}>{props.live ? 'Live' : 'Reconnecting…'}</span>
      </div>
      <p class="muted small" id="seat-map-help">
        Choose a section, then pick seats. Arrow keys move between seats; Enter or Space picks one.
      </p>
      <ul class="section-tiles" aria-label="Sections">
        {map.sections.map((s) => (
          <SectionTile key={s.id} s={s} current={s.id === current?.id} currency={currency} onPick={() => setCurrentId(s.id)} />
        ))}
      </ul>
      {current ? (
        <div class="section-view">
          <h3>
            {current.name} <span class="muted">· {formatMoney(current.price, currency)}</span>
          </h3>
          {current.kind === 'seated' ? (
            <>
              <ul class="legend" aria-label="Legend">
                <li>
                  <span class="seat swatch" aria-hidden="true" /> Available
                </li>
                <li>
                  <span class="seat swatch is-picked" aria-hidden="true" /> Your pick
                </li>
                <li>
                  <span class="seat swatch is-mine" aria-hidden="true" /> Held for you
                </li>
                <li>
                  <span class="seat swatch is-taken" aria-hidden="true" /> Taken
                </li>
              </ul>
              <SeatGrid
                section={current}
                currency={currency}
                selected={props.selected}
                mine={props.mine}
                disabled={props.disabled ?? false}
                onToggle={props.onToggle}
              />
            </>
          ) : (
            <StandingPicker
              section={current}
              currency={currency}
              quantity={props.standing[current.id] ?? 0}
              max={props.maxTickets}
              disabled={props.disabled ?? false}
              onChange={(q) => props.onStanding(current.id, q)}
            />
          )}
        </div>
      ) : null}
    </section>
  );
};
