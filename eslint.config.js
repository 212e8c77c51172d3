import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * typescript-eslint's strictTypeChecked, with these choices:
 * - numbers and booleans may appear in template literals (messages and SQL
 *   fragments print them; objects, undefined and null still may not);
 * - an arrow may return a void call in shorthand (`() => void close()` and
 *   `(x) => log(x)` read better than braces);
 * - require-await is off: fastify handlers and plugins, tap subtests and port
 *   implementations are async by contract whether or not their body awaits;
 * - no-unnecessary-condition is off: deciders and adapters check at run time
 *   what the static types only promise (commands arrive from HTTP, the CLI,
 *   imports and tests; stored JSON is trusted by type, not proven), so such
 *   checks are deliberate;
 * - no-non-null-assertion is off: with noUncheckedIndexedAccess, an index the
 *   code has just proven in range (a batch and its outcomes, a ring buffer, a
 *   HAMT's children) reads as `T | undefined`; `!` states that invariant where
 *   a runtime check would add branches to the hot paths for no behaviour.
 * Tests additionally may leave tap's t.test() promises to tap (it awaits every
 * subtest) and read `any` from light-my-request's json() (they assert its shape).
 */
export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', '.tap/', 'coverage/', 'web/dist/', 'web/.dist-*/'] },
  js.configs.recommended,
  // The web app (web/, its own tsconfig and lint level) keeps typescript-eslint's recommended rules.
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['web/**/*.{ts,tsx}'] })),
  ...tseslint.configs.strictTypeChecked.map((c) => ({ ...c, files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'] })),
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string-literal unions.' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string-literal unions.' }],
    },
  },
  {
    files: ['web/build.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // The web app is a browser bundle: it talks to the server over HTTP only.
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/src/api/*', '**/src/commands/*', '**/src/domain/*', '**/src/projections/*', '**/src/runtime/*', 'node:*'] },
      ],
    },
  },
);
