import type pg from 'pg';
import type { RecordedEvent } from '../../commands/event-store/index.js';

/**
 * A projection folds the global log into one read model. The projector runtime
 * calls `apply` with a batch inside the PostgreSQL transaction that also stores
 * the projection's checkpoint, so a read model in PostgreSQL sees every event
 * exactly once. `afterCommit` runs once the transaction has committed: publishing
 * to the bus or writing to an external index (at-least-once, so it must be idempotent).
 */
export type Projection = {
  readonly name: string;
  /** Only events of streams with these prefixes are given to apply. */
  readonly streamPrefixes: readonly string[];
  /** Creates or upgrades this projection's tables; safe to call on every start. */
  readonly setup: (db: pg.PoolClient) => Promise<void>;
  /** Empties the read model for a rebuild from zero. */
  readonly reset: (db: pg.PoolClient) => Promise<void>;
  readonly apply: (db: pg.PoolClient, events: readonly RecordedEvent[]) => Promise<void>;
  readonly afterCommit?: (events: readonly RecordedEvent[]) => Promise<void>;
  /** The tables apply writes; the projector analyzes them after bulk writes (see statistics.ts). */
  readonly tables?: readonly string[];
  /**
   * Its readers accept a lag of the projector's `gatherMs` (reports, the search index, deadlines, mail), so under
   * a hot on-sale its events may be held back to be applied in fewer, bigger batches. Projections that answer a
   * buyer's next read (the seat map, bookings) or an organizer's (the catalogue) leave it unset.
   */
  readonly gather?: boolean;
  /**
   * The event types `apply` acts on; omitted, every event of its streams. The projector hands `apply` only these,
   * and a batch without any of them commits no transaction of its own: its checkpoint goes with the next batch that
   * has work, or within the projector's `checkpointEveryMs` (an on-sale's holds are nothing to a waitlist).
   */
  readonly handles?: ReadonlySet<string>;
};
