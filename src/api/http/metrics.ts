import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one process, on a registry of its own (never the
 * global default), so several apps in one test process do not collide.
 */
export type Metrics = {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly holds: Counter<'outcome'>;
  readonly conflicts: Counter<'reason'>;
  readonly bookings: Counter<'action'>;
  readonly writerBatchCommands: Histogram;
  readonly writerBatchMs: Histogram;
  readonly writerConflicts: Counter;
  /** Appends by result: `appended`, or `conflict` (refused for the expected version: another writer got there first). */
  readonly writerAppends: Counter<'result'>;
  /** Ownership of event writers across processes (acquired, forwarded, served, handed-over, lost, unowned). */
  readonly writerOwnership: Counter<'event'>;
  /** Browse and search answers by where they came from: the index, the answer cache, or a 304. */
  readonly searchAnswers: Counter<'source'>;
  /** Sets how the number of events whose writer this process owns is read at scrape time. */
  readonly setOwnedEvents: (read: () => number) => void;
  readonly sseClients: Gauge;
  /** Sets how projector lag is read at scrape time. */
  readonly setProjectorLag: (read: () => Promise<{ projection: string; events: number; seconds: number }[]>) => void;
};

export const createMetrics = (options: { defaultMetrics?: boolean } = {}): Metrics => {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'marquee_' });
  let readOwned: (() => number) | undefined;
  new Gauge({
    name: 'marquee_writer_owned_events',
    help: 'Events whose writer this process owns (multi-process deployments)',
    registers: [registry],
    collect() {
      if (readOwned) this.set(readOwned());
    },
  });
  let readLag: (() => Promise<{ projection: string; events: number; seconds: number }[]>) | undefined;
  const lagEvents = new Gauge({
    name: 'marquee_projector_lag_events',
    help: 'Events in the log not yet applied by each projection',
    labelNames: ['projection'],
    registers: [registry],
  });
  new Gauge({
    name: 'marquee_projector_lag_seconds',
    help: 'Age of the oldest event not yet applied by each projection',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      if (!readLag) return;
      this.reset();
      lagEvents.reset();
      try {
        for (const l of await readLag()) {
          this.set({ projection: l.projection }, l.seconds);
          lagEvents.set({ projection: l.projection }, l.events);
        }
      } catch {
        // a scrape must not fail because the read side is down; /ready reports that
      }
    },
  });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'marquee_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    holds: new Counter({ name: 'marquee_holds_total', help: 'Hold requests by outcome', labelNames: ['outcome'], registers: [registry] }),
    conflicts: new Counter({
      name: 'marquee_conflicts_total',
      help: 'Commands rejected with a 409 conflict, by problem type',
      labelNames: ['reason'],
      registers: [registry],
    }),
    bookings: new Counter({
      name: 'marquee_bookings_total',
      help: 'Booking commands answered successfully, by action',
      labelNames: ['action'],
      registers: [registry],
    }),
    writerBatchCommands: new Histogram({
      name: 'marquee_writer_batch_commands',
      help: 'Commands decided per stream-writer append (group commit size)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
    writerBatchMs: new Histogram({
      name: 'marquee_writer_batch_seconds',
      help: 'Time to decide and append one stream-writer batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    writerConflicts: new Counter({
      name: 'marquee_writer_version_conflicts_total',
      help: 'Expected-version conflicts met by stream writers (another process wrote)',
      registers: [registry],
    }),
    writerAppends: new Counter({
      name: 'marquee_writer_appends_total',
      help: 'Stream-writer appends by result: appended, or conflict (refused for the expected version)',
      labelNames: ['result'],
      registers: [registry],
    }),
    writerOwnership: new Counter({
      name: 'marquee_writer_ownership_total',
      help: 'Event-writer ownership: acquired, forwarded (to the owner), served (for another process), handed-over, lost, unowned',
      labelNames: ['event'],
      registers: [registry],
    }),
    searchAnswers: new Counter({
      name: 'marquee_search_answers_total',
      help: 'Browse and search answers by source: index (a search ran), cache (kept for the current index version), not-modified (304)',
      labelNames: ['source'],
      registers: [registry],
    }),
    setOwnedEvents: (read) => {
      readOwned = read;
    },
    sseClients: new Gauge({ name: 'marquee_sse_clients', help: 'Open seat-map SSE streams', registers: [registry] }),
    setProjectorLag: (read) => {
      readLag = read;
    },
  };
};
