import type pg from 'pg';
import { z } from 'zod';

/** An account as a backup carries it: the password only as its scrypt hash. */
export type AccountRecord = {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'customer' | 'organizer';
  readonly passwordHash: string;
  readonly createdAt: string;
};

export const accountRecordSchema = z.strictObject({
  id: z.uuid(),
  email: z.string().min(1).max(254),
  name: z.string().min(1).max(200),
  role: z.enum(['customer', 'organizer']),
  passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/, 'a scrypt$N$r$p$salt$hash password hash'),
  createdAt: z.iso.datetime({ offset: true }),
});

type Row = { id: string; email: string; name: string; role: 'customer' | 'organizer'; password_hash: string; created_at: Date };

/** Whether the database has the accounts table (a store that never served has none). */
export const hasAccountsTable = async (pool: pg.Pool): Promise<boolean> =>
  (await pool.query<{ t: string | null }>("SELECT to_regclass('users')::text AS t")).rows[0]?.t != null;

/** Accounts in id order after `afterId`, `limit` at a time: a backup reads them in pages, in constant memory. */
export const readAccountPage = async (pool: pg.Pool, afterId: string | undefined, limit: number): Promise<AccountRecord[]> => {
  const r = await pool.query<Row>(
    `SELECT id, email, name, role, password_hash, created_at FROM users
     WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2`,
    [afterId ?? null, limit],
  );
  return r.rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    passwordHash: u.password_hash,
    createdAt: u.created_at.toISOString(),
  }));
};

export const countAccounts = async (pool: pg.Pool): Promise<number> =>
  Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n ?? 0);

/** Inserts restored accounts as they were (ids, hashes and creation times kept). */
export const insertAccounts = async (pool: pg.Pool, accounts: readonly AccountRecord[]): Promise<void> => {
  if (accounts.length === 0) return;
  await pool.query(
    `INSERT INTO users (id, email, name, role, password_hash, created_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
    [
      accounts.map((a) => a.id),
      accounts.map((a) => a.email),
      accounts.map((a) => a.name),
      accounts.map((a) => a.role),
      accounts.map((a) => a.passwordHash),
      accounts.map((a) => a.createdAt),
    ],
  );
};
