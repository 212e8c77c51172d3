import type pg from 'pg';

/**
 * Runs `work` inside BEGIN ... COMMIT on a client the caller holds (and
 * releases); when `work` throws, rolls back and rethrows.
 */
export const inTransaction = async <T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> => {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
};

/**
 * Runs `work` in a transaction on a client of the pool: committed when it
 * resolves, rolled back when it throws. A client whose ROLLBACK failed (the
 * connection broke) is destroyed rather than given back to the pool.
 */
export const withTransaction = async <T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.release(broken);
  }
};
