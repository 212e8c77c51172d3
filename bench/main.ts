/**
 * `npm run bench -- <name> [args]`: benchmarks print figures; they are not tests.
 * They target loopback only and stop by themselves.
 */
const benches = {
  writer: () => import('./writer.js'),
  projections: () => import('./projections.js'),
  onsale: () => import('./onsale.js'),
  search: () => import('./search.js'),
  'search-index': () => import('./search-index.js'),
  queue: () => import('./queue.js'),
  'web-seatmap': () => import('./web-seatmap.js'),
  leases: () => import('./leases.js'),
} as const;

type BenchName = keyof typeof benches;
const isBench = (name: string | undefined): name is BenchName => name !== undefined && name in benches;

const [name, ...args] = process.argv.slice(2);
if (!isBench(name)) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(2);
}
try {
  const bench = await benches[name]();
  await bench.run(args);
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
