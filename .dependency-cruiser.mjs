/**
 * The shape of src/, checked in CI (`npm run lint`). Layers, from the bottom:
 *
 *   domain  <-  commands  <-  projections  <-  api  <-  runtime  <-  cli
 *
 * Each layer holds one folder per capability (src/<layer>/<capability>/); a folder's
 * index.ts is its only public face. The process entries (src/runtime/main.ts,
 * src/cli/main.ts) are the only files outside a folder, and nothing imports them.
 * docs/architecture.md explains why each arrow points the way it does.
 */
const LAYER = '^src/(domain|commands|projections|api|runtime|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle means two modules are one; merge them or move what both need into a third.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'through-the-face',
      comment: "Import another capability folder through its index.ts, never a file inside it.",
      severity: 'error',
      from: { path: '^src/([^/]+)/([^/]+)/' },
      to: { path: '^src/[^/]+/[^/]+/', pathNot: ['^src/$1/$2/', '^src/[^/]+/[^/]+/index\\.ts$'] },
    },
    {
      name: 'entries-and-bench-through-the-face',
      comment: 'The process entries and the benchmarks use capability folders through their index.ts too.',
      severity: 'error',
      from: { path: ['^src/[^/]+/main\\.ts$', '^bench/'] },
      to: { path: '^src/[^/]+/[^/]+/', pathNot: '^src/[^/]+/[^/]+/index\\.ts$' },
    },
    {
      name: 'nobody-imports-an-entry',
      comment: 'src/runtime/main.ts and src/cli/main.ts start processes; share code through a folder instead.',
      severity: 'error',
      from: {},
      to: { path: '^src/[^/]+/main\\.ts$' },
    },
    {
      name: 'files-live-in-capability-folders',
      comment: 'Besides the process and thread entries, every source file lives in src/<layer>/<capability>/.',
      severity: 'error',
      from: { path: '^src/', pathNot: [`${LAYER}[^/]+/`, '^src/(runtime|cli)/main\\.ts$', '^src/runtime/projector-thread\\.ts$'] },
      to: {},
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain imports only the domain: no Node built-ins, no packages, no I/O.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'commands-below-the-read-side',
      comment: 'The write side never depends on projections, the HTTP API or the composition root.',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/(projections|api|runtime|cli)/' },
    },
    {
      name: 'projections-below-the-api',
      comment: 'Projections never depend on the HTTP API or the composition root.',
      severity: 'error',
      from: { path: '^src/projections/' },
      to: { path: '^src/(api|runtime|cli)/' },
    },
    {
      name: 'projections-read-the-log-only',
      comment: 'The read side reads the event log; it never sends commands (only event-store and platform).',
      severity: 'error',
      from: { path: '^src/projections/' },
      to: { path: '^src/commands/', pathNot: '^src/commands/(event-store|platform)/' },
    },
    {
      name: 'api-below-the-composition-root',
      comment: 'Routes receive their services; only src/runtime picks and builds adapters.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(runtime|cli)/' },
    },
    {
      name: 'runtime-below-the-cli',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-stands-alone',
      comment: 'Production code never imports tests or benchmarks.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },

  },
};
