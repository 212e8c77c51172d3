/**
 * `npm test`: runs tap, then ends with a short list of what was skipped, why and
 * how to enable it, so a skipped suite is not lost in tap's indented output.
 */
import { spawn } from 'node:child_process';
import { skippedSince } from './skipped.js';

const started = Date.now();
const child = spawn('tap', process.argv.slice(2), { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code, signal) => {
  const skipped = skippedSince(started - 1000);
  if (skipped.length === 0) process.stdout.write('\nNothing was skipped.\n');
  else {
    process.stdout.write(`\nSkipped (${skipped.length}): each line says why and what runs it.\n`);
    for (const s of skipped) process.stdout.write(`  ${s.file}: ${s.why}\n`);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
