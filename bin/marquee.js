#!/usr/bin/env node
// The `marquee` command: the TypeScript source through tsx in a checkout, the compiled dist/ in an image.
/* global process, URL */
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

let cli;
if (existsSync(source)) {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport(source.href, import.meta.url);
} else if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  process.stderr.write('marquee: neither src/cli/main.ts nor dist/cli/main.js is here; run `npm run build` first\n');
  process.exit(1);
}
await cli.main(process.argv.slice(2));
