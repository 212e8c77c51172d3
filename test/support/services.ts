import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Test } from 'tap';
import { EMBEDDED_TEST_URL_FILE } from './embedded-url.js';

/**
 * The PostgreSQL server the tests use: DATABASE_URL (CI points it at the local
 * service), else the embedded server that the tap `before` script started.
 */
export const testServerUrl = (): string => {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  try {
    return readFileSync(EMBEDDED_TEST_URL_FILE, 'utf8').trim();
  } catch {
    throw new Error('no DATABASE_URL and no embedded test PostgreSQL: run the tests through `npm test`');
  }
};

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/** A database of its own for this test file, dropped when the test ends, so files run in parallel. */
export const freshDatabase = async (t: Test): Promise<string> => {
  const server = testServerUrl();
  const name = `marquee_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  return withDatabase(server, name);
};

/** The Redis URL, or undefined after telling tap why the suite skips. */
export const redisUrlOrSkip = (t: Test): string | undefined => {
  const url = process.env.REDIS_URL;
  if (!url) t.comment('skipped: REDIS_URL is not set; set REDIS_URL=redis://127.0.0.1:6379 to run the Redis adapter suites (CI does)');
  return url;
};

export const natsUrlOrSkip = (t: Test): string | undefined => {
  const url = process.env.NATS_URL;
  if (!url) t.comment('skipped: NATS_URL is not set; set NATS_URL=nats://127.0.0.1:4222 to run the NATS adapter suites (CI does)');
  return url;
};
