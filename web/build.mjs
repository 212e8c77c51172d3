#!/usr/bin/env node
/**
 * Builds the web app into web/dist, which the server serves at `/`.
 *   node web/build.mjs            build now
 *   node web/build.mjs --prepare  npm's `prepare` (after `npm install` / `npm ci`): build, except in a
 *                                 production install (--omit=dev), which has no build tools and takes
 *                                 web/dist from the image's build stage
 *   node web/build.mjs --if-stale `prestart`: build only when a source is newer than web/dist
 * Builds take a lock and swap the finished folder in, so servers starting side by side (the browser
 * suite) never read a half-written web/dist.
 */
import { closeSync, existsSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');
const lock = join(here, '.build.lock');
const mode = process.argv[2];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const newest = (path) => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};

const stale = () => {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(here, p)).filter(existsSync);
  return Math.max(...sources.map(newest)) > statSync(index).mtimeMs;
};

if (mode === '--prepare' && (process.env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev')) {
  console.log('web: production install (--omit=dev): not building; web/dist comes prebuilt');
  process.exit(0);
}
if (mode === '--if-stale' && !stale()) process.exit(0);
// NODE_ENV=production also leaves dev dependencies out (without saying --omit): no Vite, nothing to build with.
const vite = await import('vite').catch(() => undefined);
if (!vite) {
  const where = existsSync(join(dist, 'index.html')) ? 'serving the web/dist there is' : 'the server will say the web app is not built';
  console.log(`web: vite is not installed (a production install?): not building; ${where}`);
  process.exit(mode === undefined ? 1 : 0);
}

for (;;) {
  try {
    closeSync(openSync(lock, 'wx'));
    break;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    // A lock left by a build that died long ago does not block forever.
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 120_000) rmSync(lock, { force: true });
    await sleep(200);
  }
}
try {
  // Another build may have finished while this one waited for the lock.
  if (mode !== '--if-stale' || stale()) await buildNow();
} finally {
  unlinkSync(lock);
}

async function buildNow() {
  if (mode === '--if-stale') console.log('web: sources changed since the last build: rebuilding');
  const next = join(here, `.dist-${process.pid}`);
  await vite.build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
  const old = join(here, `.dist-old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  console.log('web: built web/dist');
}
