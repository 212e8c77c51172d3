import type pg from 'pg';
import type { EventDoc, SearchDocStore, SearchIndex } from './port.js';

/**
 * The search projection's store for an index outside PostgreSQL (Typesense).
 * Documents live in `search_ts_docs`, written inside the projector's
 * transaction and marked unpushed; after commit, unpushed documents are bulk
 * imported (upsert) and marked pushed unless a newer version arrived
 * meanwhile. A failed push leaves them marked, so the next commit (or start)
 * pushes them again: at-least-once, and harmless to repeat.
 */

const TABLE = 'search_ts_docs';

export const outboxDocStore = (
  pool: pg.Pool,
  index: SearchIndex & { ensureCollection?: () => Promise<void> },
  batchSize = 1000,
): SearchDocStore & {
  /** Pushes every unpushed document; returns how many were pushed. */
  flush(): Promise<number>;
} => {
  const flush = async (): Promise<number> => {
    let pushed = 0;
    for (;;) {
      const { rows } = await pool.query<{ id: string; version: number; doc: EventDoc }>(
        `SELECT id, version, doc FROM ${TABLE} WHERE NOT pushed ORDER BY id LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) return pushed;
      await index.upsert(rows.map((r) => r.doc));
      await pool.query(
        `UPDATE ${TABLE} t SET pushed = true FROM unnest($1::text[], $2::integer[]) AS p(id, version)
         WHERE t.id = p.id AND t.version = p.version`,
        [rows.map((r) => r.id), rows.map((r) => r.version)],
      );
      pushed += rows.length;
      if (rows.length < batchSize) return pushed;
    }
  };

  return {
    kind: 'typesense',
    flush,
    setup: async (db) => {
      await db.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
        id text PRIMARY KEY,
        version integer NOT NULL,
        doc jsonb NOT NULL,
        pushed boolean NOT NULL DEFAULT false
      )`);
      await db.query(`CREATE INDEX IF NOT EXISTS ${TABLE}_unpushed ON ${TABLE} (id) WHERE NOT pushed`);
      await index.ensureCollection?.();
    },
    reset: async (db) => {
      await db.query(`TRUNCATE ${TABLE}`);
      await index.reset();
    },
    load: async (db, ids) => {
      const found = new Map<string, EventDoc>();
      if (ids.length === 0) return found;
      const { rows } = await db.query<{ doc: EventDoc }>(`SELECT doc FROM ${TABLE} WHERE id = ANY($1::text[])`, [ids]);
      for (const r of rows) found.set(r.doc.id, r.doc);
      return found;
    },
    save: async (db, docs) => {
      if (docs.length === 0) return;
      await db.query(
        `INSERT INTO ${TABLE} (id, version, doc, pushed)
         SELECT d.id, d.version, d.doc, false FROM unnest($1::text[], $2::integer[], $3::jsonb[]) AS d(id, version, doc)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc, pushed = false
         WHERE ${TABLE}.version < excluded.version`,
        [docs.map((d) => d.id), docs.map((d) => d.version), docs.map((d) => JSON.stringify(d))],
      );
    },
    afterCommit: async () => {
      await flush();
    },
  };
};
