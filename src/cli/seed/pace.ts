import type pg from 'pg';

/**
 * Keeps a bulk append within `window` events of the slowest read model that is
 * being projected. The projector's subscriptions share one in-memory tail of the
 * log (the PostgreSQL store keeps its last 5,000 events); a read model that falls
 * out of it reads and decodes every event again on its own. Holding the seed back
 * a little keeps each event read once for all of them, and the catalogue is
 * searchable sooner for it (docs/benchmarks.md).
 *
 * Positions are the PostgreSQL store's: `prepare` counts events in log order. A
 * projection whose checkpoint has not moved for `stallMs` is taken to be
 * stopped (no server running, another adapter's old row) and not waited for.
 */
export type Pace = (appendedTo: bigint) => Promise<void>;

export type PaceOptions = {
  readonly window: number;
  readonly stallMs?: number;
  readonly pollMs?: number;
  readonly now?: () => number;
};

const UNDEFINED_TABLE = '42P01';

export const readModelPace = (pool: pg.Pool, options: PaceOptions): Pace => {
  const { window } = options;
  const stallMs = options.stallMs ?? 2_000;
  const pollMs = options.pollMs ?? 50;
  const now = options.now ?? Date.now;
  const lastMoved = new Map<string, { readonly at: bigint; readonly seen: number }>();
  let off = window <= 0;

  /** Events between `appendedTo` and the slowest live projection's checkpoint. */
  const behind = async (appendedTo: bigint): Promise<bigint> => {
    const { rows } = await pool.query<{ name: string; prepare: string | null }>(
      'SELECT name, prepare::text AS prepare FROM projection_checkpoints',
    );
    const t = now();
    let most = 0n;
    for (const r of rows) {
      const at = BigInt(r.prepare ?? 0);
      const known = lastMoved.get(r.name);
      const moved = known === undefined || known.at !== at ? { at, seen: t } : known;
      lastMoved.set(r.name, moved);
      if (t - moved.seen < stallMs && appendedTo - at > most) most = appendedTo - at;
    }
    return most;
  };

  return async (appendedTo) => {
    while (!off) {
      try {
        if ((await behind(appendedTo)) <= BigInt(window)) return;
      } catch (error) {
        // No projector has ever run on this database: nothing to keep pace with.
        if ((error as { code?: string }).code === UNDEFINED_TABLE) off = true;
        else throw error;
        return;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };
};
