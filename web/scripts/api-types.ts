/**
 * Regenerates web/src/api/schema.d.ts from the server's OpenAPI document:
 *   npm run web:api-types               (starts the server on a free port with a scratch DATA_DIR)
 *   npm run web:api-types -- <base url>  (asks a running server)
 * web/test/api-types.test.ts fails when the committed file is not what this writes.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiTypesFrom, API_TYPES_FILE } from './api-types-source.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

const fetchDocument = async (base: string): Promise<unknown> => {
  const r = await fetch(`${base}/openapi.json`);
  if (!r.ok) throw new Error(`${base}/openapi.json answered ${r.status}`);
  return r.json();
};

const fromFreshServer = async (): Promise<unknown> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'marquee-api-types-'));
  // The embedded PostgreSQL runs as its own user, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DEMO_DATA: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        return await fetchDocument(base);
      } catch (err) {
        if (child.exitCode !== null || i > 600) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
};

const base = process.argv[2];
const doc = base ? await fetchDocument(base.replace(/\/$/, '')) : await fromFreshServer();
await writeFile(API_TYPES_FILE, await apiTypesFrom(doc));
process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
