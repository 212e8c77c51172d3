import type pg from 'pg';
import { inTransaction } from './transaction.js';

export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** One key for every namespace: CREATE TABLE IF NOT EXISTS is not safe under concurrency on its own. */
const MIGRATION_LOCK_KEY = 7_160_731_466_204_111n;

const checkMigrations = (namespace: string, migrations: readonly Migration[]): Migration[] => {
  if (namespace.trim() === '') throw new MigrationError('migration namespace must not be empty');
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (!Number.isSafeInteger(m.version) || m.version < 1)
      throw new MigrationError(`${namespace}: migration version ${m.version} must be a positive integer`);
    if (i > 0 && sorted[i - 1]?.version === m.version)
      throw new MigrationError(`${namespace}: migration version ${m.version} is defined twice`);
  });
  return sorted;
};

/**
 * Applies the migrations of one namespace not yet recorded in schema_migrations,
 * in version order, each in its own transaction. Concurrent callers (several
 * processes starting at once) are serialized by an advisory lock.
 */
export const migrate = async (pool: pg.Pool, namespace: string, migrations: readonly Migration[]): Promise<void> => {
  const wanted = checkMigrations(namespace, migrations);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        namespace text NOT NULL,
        version int NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (namespace, version)
      )`);
      const applied = await client.query<{ version: number; name: string }>(
        'SELECT version, name FROM schema_migrations WHERE namespace = $1',
        [namespace],
      );
      const appliedNames = new Map(applied.rows.map((r) => [r.version, r.name]));
      for (const m of wanted) {
        const recorded = appliedNames.get(m.version);
        if (recorded !== undefined) {
          if (recorded !== m.name)
            throw new MigrationError(`${namespace}: migration ${m.version} was applied as "${recorded}" but the code calls it "${m.name}"`);
          continue;
        }
        try {
          await inTransaction(client, async () => {
            await client.query(m.sql);
            await client.query('INSERT INTO schema_migrations (namespace, version, name) VALUES ($1, $2, $3)', [
              namespace,
              m.version,
              m.name,
            ]);
          });
        } catch (e) {
          throw new MigrationError(`${namespace}: migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, {
            cause: e,
          });
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]).catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
  } catch (e) {
    broken = e as Error;
    throw e;
  } finally {
    // A connection whose lock state is unknown must not go back to the pool.
    client.release(broken);
  }
};
