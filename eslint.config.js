// Lint runs in the tests (scripts/test.mjs). Type-aware rules are left out on purpose: tsc already
// type-checks, and these rules stay fast enough to run on every test run.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'mmgate-report/**', 'test-results/**', 'reports/**', '.stryker-tmp/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Plain JS scripts run on Node (TypeScript files get their globals from @types/node).
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // Checks are pure: no I/O, no environment, no clients. Enforced here, not by review.
    files: ['checks/**/*.ts'],
    ignores: ['checks/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:fs', 'node:fs/*', 'node:http', 'node:https', 'node:net', 'node:child_process', 'fs', 'http', 'https', 'child_process'], message: 'checks are pure: do I/O in a collector' },
        { group: ['@kubernetes/*', '@mattermost/client', 'axios', '**/collectors/**', '**/reporters/**', '**/cli/**', '**/lab/**'], message: 'checks read the snapshot only' },
      ] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'checks must not read env or argv' }, { name: 'fetch', message: 'checks are pure' }],
    },
  },
);
