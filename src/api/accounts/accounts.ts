import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { migrate } from '../../commands/platform/index.js';
import type { Role } from '../http/index.js';

export type User = { readonly id: string; readonly email: string; readonly name: string; readonly role: Role };

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export type Accounts = {
  /** Creates the users table; safe on every start. */
  readonly setup: () => Promise<void>;
  /** Throws EmailTakenError when the email (case-insensitive) has an account. */
  readonly register: (input: { email: string; password: string; name: string; role?: Role }) => Promise<User>;
  /** The user when email and password match, else undefined (same work either way). */
  readonly verify: (email: string, password: string) => Promise<User | undefined>;
  readonly get: (id: string) => Promise<User | undefined>;
  /** Creates the organizer, or makes an existing account an organizer with this password. */
  readonly ensureOrganizer: (input: { email: string; password: string; name?: string }) => Promise<User>;
  readonly ping: () => Promise<void>;
};

const MIGRATIONS = [
  {
    version: 1,
    name: 'users',
    sql: `CREATE TABLE users (
      id uuid PRIMARY KEY,
      email text NOT NULL,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('customer', 'organizer')),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));`,
  },
];

// N=2^15 (r=8, p=1) costs ~32 MiB and tens of ms: OWASP's floor for scrypt.
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LEN = 32;

const derive = (password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { ...params, maxmem: SCRYPT.maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });

/** `scrypt$N$r$p$salt$hash`, base64url; the parameters travel with the hash so they can be raised later. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
};

type Row = { id: string; email: string; name: string; role: Role; password_hash: string };
const toUser = (r: Row): User => ({ id: r.id, email: r.email, name: r.name, role: r.role });

export const createAccounts = (pool: pg.Pool): Accounts => {
  // Verified against when the email is unknown, so a miss costs what a hit costs.
  let decoy: Promise<string> | undefined;
  const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomUUID()));

  const byEmail = async (email: string): Promise<Row | undefined> =>
    (await pool.query<Row>('SELECT id, email, name, role, password_hash FROM users WHERE lower(email) = lower($1)', [email])).rows[0];

  return {
    setup: () => migrate(pool, 'accounts', MIGRATIONS),

    async register({ email, password, name, role = 'customer' }) {
      const hash = await hashPassword(password);
      try {
        const r = await pool.query<Row>(
          `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
           RETURNING id, email, name, role, password_hash`,
          [randomUUID(), email.trim(), name, role, hash],
        );
        return toUser(r.rows[0]!);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new EmailTakenError(`${email} already has an account`);
        throw err;
      }
    },

    async verify(email, password) {
      const row = await byEmail(email.trim());
      const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
      return row && ok ? toUser(row) : undefined;
    },

    async get(id) {
      const r = await pool.query<Row>('SELECT id, email, name, role, password_hash FROM users WHERE id = $1', [id]);
      return r.rows[0] ? toUser(r.rows[0]) : undefined;
    },

    async ensureOrganizer({ email, password, name }) {
      const hash = await hashPassword(password);
      const r = await pool.query<Row>(
        `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, 'organizer', $4)
         ON CONFLICT (lower(email)) DO UPDATE SET role = 'organizer', password_hash = EXCLUDED.password_hash
         RETURNING id, email, name, role, password_hash`,
        [randomUUID(), email.trim(), name ?? 'Organizer', hash],
      );
      return toUser(r.rows[0]!);
    },

    async ping() {
      await pool.query('SELECT 1');
    },
  };
};
