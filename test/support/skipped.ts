/**
 * What a tap run skipped and why. Suites say why they skip as `{ skip: '<why>' }`
 * or `t.comment('skipped: <why>')` (see services.ts); both land in tap's per-file
 * results under .tap/test-results.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const RESULTS = '.tap/test-results';

const files = (dir: string): string[] => {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.tap') ? [path] : [];
  });
};

/** `# skipped: why` comments and `# SKIP why` directives of the result files written since `sinceMs`. */
export const skippedSince = (sinceMs: number, dir = RESULTS): { file: string; why: string }[] => {
  const found = new Map<string, { file: string; why: string }>();
  for (const path of files(dir)) {
    if (statSync(path).mtimeMs < sinceMs) continue;
    const file = relative(dir, path).replace(/\.tap$/, '');
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const why = /^\s*# skipped: (.+)$/.exec(line)?.[1] ?? /^\s*(?:not )?ok \d+ - .*# SKIP (.+)$/.exec(line)?.[1];
      if (why) found.set(`${file}\n${why}`, { file, why: why.trim() });
    }
  }
  return [...found.values()].sort((a, b) => a.file.localeCompare(b.file));
};
