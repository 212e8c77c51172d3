/**
 * The browser suite's harness: the real server started as users start it
 * (`npm start` in a child process, on a free port, its own DATA_DIR and
 * database, stopped with SIGINT like Ctrl-C) and Debian's headless Chromium
 * through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Test } from 'tap';
import { freshDatabase } from '../../../test/support/services.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser suite cannot run here, or false when it can. */
export const browserSkip = (): string | false => (existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist (apt-get install chromium to run the browser suite)`);

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const ORGANIZER = { email: 'organizer@example.test', password: 'organizer-password-1' } as const;

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no free port'))));
    });
  });

export type Server = {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the server printed (stdout and stderr). */
  readonly output: () => string;
  /** JSON over HTTP with an optional Bearer token. */
  readonly call: <T = unknown>(method: string, path: string, body?: unknown, token?: string, headers?: Record<string, string>) => Promise<{ status: number; body: T }>;
  readonly organizerToken: () => Promise<string>;
};

/**
 * `npm start` with a fresh database (DATABASE_URL: the local server in CI, else
 * the suite's embedded one), an organizer account and no rate limits.
 */
/** What the harness needs of a tap test (a bench passes its own). */
export type Teardowns = Pick<Test, 'teardown'>;

export const startServer = async (t: Teardowns, env: Record<string, string> = {}, database?: string): Promise<Server> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-web-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  // tap loads its TypeScript loader and coverage into children through NODE_OPTIONS: the server runs without them, as users run it.
  const child = spawn('env', ['-u', 'NODE_OPTIONS', 'npm', 'start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      ...(database !== undefined ? (database ? { DATABASE_URL: database } : {}) : { DATABASE_URL: await freshDatabase(t as Test) }),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      RATE_LIMIT: '0',
      DEMO_DATA: '0',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ORGANIZER.email,
      ADMIN_PASSWORD: ORGANIZER.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.pid) {
      process.kill(-child.pid, 'SIGINT');
      const force = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(force);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${out}`);
    const up = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the server did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const call: Server['call'] = async (method, path, body, token, headers = {}) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as never };
  };

  let organizer: string | undefined;
  const organizerToken = async () => {
    if (organizer) return organizer;
    const r = await call<{ token: string }>('POST', '/auth/login', ORGANIZER);
    if (r.status !== 200) throw new Error(`organizer sign-in failed: ${r.status}`);
    return (organizer = r.body.token);
  };

  return { url, child, output: () => out, call, organizerToken };
};

export const launchBrowser = async (t: Teardowns): Promise<Browser> => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());
  return browser;
};

/** A fresh browser profile (its own localStorage: its own signed-in user). */
export const newPage = async (browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
};

export type VenueInput = { name: string; city: string; timezone: string; sections: unknown[]; lat?: number; lng?: number };

/** A venue and an event on sale now, through the API (for tests about the buyer's pages). */
export const onSaleEvent = async (
  server: Server,
  opts: { name: string; venue?: Partial<VenueInput>; event?: Record<string, unknown> },
): Promise<{ eventId: string; venueId: string }> => {
  const token = await server.organizerToken();
  const v = await server.call<{ id: string }>(
    'POST',
    '/venues',
    {
      name: opts.venue?.name ?? 'Riverside Arena',
      address: '1 Quay St',
      city: opts.venue?.city ?? 'Manchester',
      country: 'GB',
      location: { lat: opts.venue?.lat ?? 53.4794, lng: opts.venue?.lng ?? -2.2453 },
      timezone: opts.venue?.timezone ?? 'Europe/London',
      layout: {
        sections: opts.venue?.sections ?? [
          { id: 'A', name: 'Block A', kind: 'seated', rows: [{ label: '1', seats: 10 }, { label: '2', seats: 10 }] },
          { id: 'PIT', name: 'Standing pit', kind: 'standing', capacity: 50 },
        ],
      },
    },
    token,
  );
  if (v.status !== 201) throw new Error(`venue: ${v.status} ${JSON.stringify(v.body)}`);
  const sections = (opts.venue?.sections ?? [{ id: 'A' }, { id: 'PIT' }]) as { id: string }[];
  const e = await server.call<{ id: string }>(
    'POST',
    '/events',
    {
      venueId: v.body.id,
      name: opts.name,
      category: 'music',
      performers: ['The Examples'],
      startsAt: `${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T19:30:00.000Z`,
      currency: 'GBP',
      sectionPrices: Object.fromEntries(sections.map((s) => [s.id, 5000])),
      ...opts.event,
    },
    token,
  );
  if (e.status !== 201) throw new Error(`event: ${e.status} ${JSON.stringify(e.body)}`);
  return { eventId: e.body.id, venueId: v.body.id };
};

/** Waits until `check` answers something truthy (the read models trail writes by a moment). */
export const eventually = async <T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

/** Registers a buyer in the browser through the register page. */
export const registerInBrowser = async (page: Page, url: string, name: string, email: string, password = 'buyer-password-1'): Promise<void> => {
  await page.goto(`${url}/register`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
};
