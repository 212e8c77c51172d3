import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', '.tap/', 'coverage/', 'web/dist/', 'web/.dist-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string-literal unions.' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'pg', 'ioredis', 'nats', 'fastify', '../commands/*', '../projections/*', '../api/*'] }],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../projections/*', '../api/*'] }] },
  },
  {
    files: ['src/projections/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../api/*'] }] },
  },
  {
    files: ['web/build.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // The web app is a browser bundle: it talks to the server over HTTP only.
    files: ['web/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/src/api/*', '**/src/commands/*', '**/src/domain/*', '**/src/projections/*', '**/src/runtime/*', 'node:*'] }] },
  },
);
