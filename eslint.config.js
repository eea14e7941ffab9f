// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The pure rooms and the pure files kept beside their one user (docs/architecture.md). */
const PURE = [
  'src/domain/**/*.ts',
  'src/verdict/**/*.ts',
  'src/report/**/*.ts',
  'src/config/**/*.ts',
  'src/measure/stats.ts',
  'src/measure/outputs.ts',
  'src/judge/injection.ts',
  'src/judge/sanitize.ts',
  'src/registry/schema.ts',
];

export default tseslint.config(
  {
    ignores: [
      'eslint.config.js',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'examples/**',
      'test/fixtures/**',
      '**/*.mjs',
      '**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The pure rooms (domain, verdict, report, config) and the pure files that moved to their one
    // user: no I/O, no process, no clients, and no import of an impure file. Adapters implement
    // the ports in src/domain/ports.ts.
    files: PURE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'pure code: use a port.' },
            {
              group: ['ollama', 'simple-git', 'ts-morph', 'undici'],
              message: 'pure code: use a port.',
            },
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'child_process',
                'os',
                'path',
                'process',
                'net',
                'http',
                'https',
              ],
              message: 'pure code: no Node I/O.',
            },
            {
              group: [
                '**/adapters/*',
                '**/cli/*',
                '**/action/*',
                '**/measure/*',
                '!**/measure/stats.js',
                '!**/measure/outputs.js',
                '**/analyze/*',
                '**/judge/*',
                '!**/judge/injection.js',
                '!**/judge/sanitize.js',
                '**/registry/*',
                '!**/registry/schema.js',
                '**/tools/*',
                '**/profile/*',
                '**/record/*',
                '**/run.js',
                '**/wiring.js',
              ],
              message: 'pure code imports only pure code (see PURE in eslint.config.js).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'fetch', 'require', '__dirname', '__filename'],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
