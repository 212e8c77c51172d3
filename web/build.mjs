#!/usr/bin/env node
/**
 * Builds the web app into web/dist, which the server serves at `/`.
 *   node web/build.mjs            build now
 *   node web/build.mjs --prepare  npm's `prepare` (after `npm install` / `npm ci`): build, except in a
 *                                 production install (--omit=dev), which has no build tools and takes
 *                                 web/dist from the image's build stage
 *   node web/build.mjs --if-stale `prestart`: build only when a source is newer than web/dist
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist', 'index.html');
const mode = process.argv[2];

const newest = (path) => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};

if (mode === '--prepare' && (process.env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev')) {
  console.log('web: production install (--omit=dev): not building; web/dist comes prebuilt');
  process.exit(0);
}
if (mode === '--if-stale' && existsSync(dist)) {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(here, p)).filter(existsSync);
  if (Math.max(...sources.map(newest)) <= statSync(dist).mtimeMs) process.exit(0);
  console.log('web: sources changed since the last build: rebuilding');
}

const { build } = await import('vite');
await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
console.log('web: built web/dist');
